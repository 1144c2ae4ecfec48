"""Strategy-side commands: init, requirements, criteria, facts (no vendor needed)."""

from __future__ import annotations

from pathlib import Path

import click

from zahnrad.catalog import ASPECTS
from zahnrad.errors import InputError
from zahnrad.strategy import GOALS
from zahnrad.textsafe import terminal

from .common import echo_json, load_strategy_checked, output_path, table


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing strategy.toml.")
def init_cmd(directory: Path, force: bool) -> None:
    """Write a commented strategy.toml to fill in (default: current folder)."""
    from importlib import resources

    from zahnrad.files import write_text

    target = directory / "strategy.toml"
    if target.exists() and not force:
        raise InputError(target, None, "already exists (use --force to overwrite)")
    text = resources.files("zahnrad").joinpath("templates/strategy.toml").read_text("utf-8")
    write_text(target, text)
    click.echo(f"Wrote {target}. Fill in goals and priorities, then run:\n"
               f"  zahnrad requirements {target}")


@click.command("requirements")
@click.argument("strategy", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE.md or FILE.csv instead of the terminal.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def requirements_cmd(strategy: Path, output: Path | None, as_json: bool) -> None:
    """Derive the weighted requirements from the strategy's goals (no vendor needed)."""
    from zahnrad.catalog import load_catalog
    from zahnrad.requirements import derive_requirements

    if output is not None:
        output = output_path(output, (".md", ".csv"))
    s = load_strategy_checked(strategy)
    catalog = load_catalog(s.criteria_file)
    reqs = derive_requirements(s, catalog)
    for w in s.warnings:
        click.echo(f"warning: {terminal(w)}", err=True)
    if output is not None:
        from zahnrad.files import write_text
        from zahnrad.reports.requirements import requirements_csv, requirements_markdown

        text = (requirements_csv if output.suffix.lower() == ".csv" else requirements_markdown)(s, reqs)
        write_text(output, text)
        click.echo(f"Wrote {len(reqs)} requirements to {output}")
        return
    if as_json:
        echo_json({"goal_weights": s.goal_weights, "consistency_ratio": s.consistency_ratio,
                   "requirements": [r.as_dict() for r in reqs]})
        return
    table("Goal weights", ["goal", "weight"],
          [[g, f"{w:.3f}"] for g, w in s.goal_weights.items()], justify={1: "right"})
    if s.consistency_ratio is not None:
        click.echo(f"AHP consistency ratio: {s.consistency_ratio:.3f}")
    rows = []
    for r in reqs:
        shared = "; ".join(f"{f} also in {', '.join(o)}" for f, o in r.shared_facts.items())
        rows.append([r.id, r.title, r.aspect, ", ".join(r.goals), f"{100 * r.weight:.2f} %",
                     "must" if r.must_have is not None else "", shared])
    table(f"{len(reqs)} requirements", ["id", "title", "aspect", "goals", "weight", "", "shared facts"],
          rows, justify={4: "right"})


def _filter_criteria(aspect: str | None, goal: str | None, manual: bool):
    from zahnrad.catalog import load_catalog

    crits = list(load_catalog().criteria.values())
    return [c for c in crits if (not aspect or c.aspect == aspect)
            and (not goal or goal in c.goals) and (not manual or c.manual)]


@click.command("criteria")
@click.option("--aspect", type=click.Choice(ASPECTS), help="Only criteria of this aspect.")
@click.option("--goal", type=click.Choice(GOALS), help="Only criteria serving this goal.")
@click.option("--manual", is_flag=True, help="Only manual questions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def criteria_cmd(aspect: str | None, goal: str | None, manual: bool, as_json: bool) -> None:
    """List the criteria catalog: what will be judged and how."""
    crits = _filter_criteria(aspect, goal, manual)
    if as_json:
        echo_json([{"id": c.id, "title": c.title, "aspect": c.aspect, "goals": list(c.goals),
                    "description": c.description, "levels": c.levels, "rule": c.rule} for c in crits])
        return
    table(f"{len(crits)} criteria", ["id", "title", "aspect", "goals", "rule", "facts / question"],
          [[c.id, c.title, c.aspect, ", ".join(c.goals), c.kind,
            c.question if c.manual else ", ".join(c.facts)] for c in crits])


@click.command("facts")
@click.option("--aspect", type=click.Choice(ASPECTS), help="Only facts of this aspect.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def facts_cmd(aspect: str | None, as_json: bool) -> None:
    """List the fact catalog: every fact a plugin may report."""
    from zahnrad.catalog import load_catalog

    catalog = load_catalog()
    facts = [f for f in catalog.facts.values() if not aspect or f.aspect == aspect]
    users = catalog.fact_users()
    if as_json:
        echo_json([{"name": f.name, "type": f.type, "aspect": f.aspect, "meaning": f.meaning,
                    "criteria": users.get(f.name, [])} for f in facts])
        return
    table(f"{len(facts)} facts", ["name", "type", "aspect", "meaning", "used by"],
          [[f.name, f.type, f.aspect, f.meaning, ", ".join(users.get(f.name, []))] for f in facts])


COMMANDS = [init_cmd, requirements_cmd, criteria_cmd, facts_cmd]
