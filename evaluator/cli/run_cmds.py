"""Run-side commands: probe, evaluate, report, demo."""

from __future__ import annotations

from pathlib import Path

import click

from zahnrad.errors import InputError
from zahnrad.textsafe import terminal

from .common import load_strategy_checked, table


def _print_ranking(results: dict) -> None:
    # html/sensitivity: share of first place and price-performance beside the totals
    from zahnrad.reports.html import percent, ratio, robustness
    from zahnrad.textsafe import terminal

    sens = {s["name"]: s for s in (results.get("sensitivity") or {}).get("vendors", [])}
    cost = {c["name"]: c for c in (results.get("cost") or {}).get("vendors", [])}
    rows = []
    for v in results["vendors"]:
        status = "ranked"
        if v["knocked_out"]:
            status = "knocked out: " + ", ".join(k for k, s in v["must_have"].items() if s == "failed")
        elif "unverified" in v["must_have"].values():
            status = "must-have unverified: " + ", ".join(
                k for k, s in v["must_have"].items() if s == "unverified")
        total = "?" if v["total"] is None else f"{v['total']:.1f}"
        first = percent(sens[v["name"]]["first_share"]) if v["name"] in sens else "–"
        c = cost.get(v["name"])
        value = ratio(c["points_per_1000"]) if c and c["points_per_1000"] is not None else (
            c["status"].replace("_", " ") if c and c["status"] != "knocked_out" else "–")
        rows.append([v["rank"] if v["rank"] is not None else "–", v["name"], v["platform"], total,
                     first, f"{100 * v['coverage']:.0f} %", v["unknown"], value, status])
    policy = results["strategy"]["unknown_policy"]
    table(f"Ranking (unknown scores: {policy})",
          ["rank", "vendor", "platform", "total", "first", "coverage", "unknown",
           "pts/1k €", "status"], rows,
          justify={0: "right", 3: "right", 4: "right", 5: "right", 6: "right", 7: "right"})
    sentence = robustness(results, "en")
    if sentence:
        click.echo("Robustness: " + terminal(sentence))


def run_evaluation(
    strategy_path: Path,
    outdir: Path,
    *,
    facts_path: Path | None = None,
    answers_path: Path | None = None,
    lang: str | None = None,
    record: Path | None = None,
    replay: Path | None = None,
    quiet: bool = False,
) -> dict:
    """Probe (unless facts are given), score, and write the run folder. Shared by evaluate and demo."""
    from zahnrad.evaluation import evaluate
    from zahnrad.facts import load_facts
    from zahnrad.outputs import write_run

    strategy = load_strategy_checked(strategy_path)
    if facts_path is not None:
        if record or replay:
            raise InputError(facts_path, None, "--facts cannot be combined with --record/--replay")
        from zahnrad.catalog import load_catalog
        from zahnrad.facts import check_facts

        facts = load_facts(facts_path)
        check_facts(facts, load_catalog(strategy.criteria_file), facts_path)
    else:
        from zahnrad.runner import probe_strategy

        facts = probe_strategy(strategy, record=record, replay=replay, quiet=quiet)
    evaluation = evaluate(strategy, facts, answers_path=answers_path)
    results = evaluation.as_results()
    if lang:
        results["strategy"]["language"] = lang
    written = write_run(results, facts.as_dict(), outdir, lang)
    for w in evaluation.warnings:
        click.echo(f"warning: {terminal(w)}", err=True)
    if not quiet:
        _print_ranking(results)
        click.echo("Wrote " + ", ".join(str(p) for p in written))
    return results


_lang = click.option("--lang", type=click.Choice(["en", "de"]), help="Report language (default: the strategy's).")
_record = click.option("--record", type=click.Path(file_okay=False, path_type=Path),
                       help="Save every HTTP exchange (credentials removed) to this folder.")
_replay = click.option("--replay", type=click.Path(file_okay=False, path_type=Path),
                       help="Serve HTTP exchanges from a recording instead of the network.")
_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress bar or tables.")


@click.command("evaluate")
@click.argument("strategy", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Run folder to write results.json, facts.json and reports to.")
@click.option("--facts", "facts_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Score saved facts (facts.json) instead of probing.")
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Manual answers: CSV, TOML or a filled-in report.xlsx questionnaire.")
@_record
@_replay
@_lang
@_quiet
def evaluate_cmd(strategy: Path, outdir: Path, facts_path: Path | None, answers_path: Path | None,
                 record: Path | None, replay: Path | None, lang: str | None, quiet: bool) -> None:
    """Probe every vendor, score against the strategy and write the run folder."""
    run_evaluation(strategy, outdir, facts_path=facts_path, answers_path=answers_path, lang=lang,
                   record=record, replay=replay, quiet=quiet)


@click.command("report")
@click.argument("rundir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path))
@_lang
def report_cmd(rundir: Path, outdir: Path, lang: str | None) -> None:
    """Re-render the reports of a saved run, without probing again."""
    from zahnrad.outputs import load_run, render_run

    results, facts = load_run(rundir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = render_run(results, facts, outdir, lang)
    click.echo("Wrote " + ", ".join(str(p) for p in written))


@click.command("demo")
@click.option("-o", "--output", "outdir", default="zahnrad-demo", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
@_lang
@_quiet
def demo_cmd(outdir: Path, lang: str | None, quiet: bool) -> None:
    """Evaluate the bundled example (a mid-sized company, several vendors), fully offline."""
    from zahnrad.demo import demo_inputs

    inputs = demo_inputs()
    if not quiet:
        click.echo(f"Demo strategy: {inputs.strategy}")
    run_evaluation(inputs.strategy, outdir, answers_path=inputs.answers,
                   replay=inputs.replay, lang=lang, quiet=quiet)
    if not quiet:
        click.echo(f"Reports are in {outdir}/ (start with report.md)")


@click.command("probe")
@click.argument("strategy", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write facts.json to.")
@click.option("--resume", type=click.Path(file_okay=False, path_type=Path),
              help="Continue an interrupted probe run in this folder: only unfinished vendors.")
@_record
@_replay
@_quiet
def probe_cmd(strategy: Path, outdir: Path | None, resume: Path | None, record: Path | None,
              replay: Path | None, quiet: bool) -> None:
    """Probe every vendor of the strategy and save the facts with their evidence."""
    from zahnrad.facts import FactSet, load_facts
    from zahnrad.runner import probe_strategy

    if (outdir is None) == (resume is None):
        raise click.UsageError("give either -o DIR or --resume DIR")
    target = outdir or resume
    assert target is not None
    s = load_strategy_checked(strategy)
    done: dict = {}
    if resume is not None:
        previous = load_facts(resume / "facts.json")
        done = {n: v for n, v in previous.vendors.items() if v.complete
                and n in {x.name for x in s.vendors}}
    todo = {v.name for v in s.vendors} - set(done)
    collected = dict(done)

    def save(vf) -> None:
        collected[vf.name] = vf
        order = {v.name: collected[v.name] for v in s.vendors if v.name in collected}
        FactSet(vendors=order).save(target / "facts.json")

    facts = probe_strategy(s, record=record, replay=replay, quiet=quiet, only=todo, on_done=save)
    collected.update(facts.vendors)
    final = FactSet(vendors={v.name: collected[v.name] for v in s.vendors})
    final.save(target / "facts.json")
    if not quiet:
        click.echo(f"Wrote {target / 'facts.json'}"
                   + (f" (re-probed {len(todo)}, kept {len(done)})" if resume else ""))


COMMANDS = [probe_cmd, evaluate_cmd, report_cmd, demo_cmd]
