"""Writing a run folder: results.json, facts.json and the reports, each atomically.

Renderers are looked up by name and imported only when used, so the CLI starts without jinja2,
openpyxl or pandas. Every output is rendered in memory first and renamed into place, so an
interrupted run never leaves a fragment under a final name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import load_json, write_json

#: output file -> "module:function" taking (RunView) and returning str or bytes
RENDERERS: dict[str, str] = {
    "report.md": "zahnrad.reports.markdown:render_markdown",
    "report.html": "zahnrad.reports.html:render_html",
    "report.xlsx": "zahnrad.reports.xlsx:render_xlsx",
    "matrix.csv": "zahnrad.reports.matrix_csv:render_matrix_csv",
}


def _renderer(spec: str) -> Callable[[Any], str | bytes]:
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


def render_run(results: dict[str, Any], facts: dict[str, Any], outdir: Path, lang: str | None = None) -> list[Path]:
    """Render every report of a run into ``outdir``; returns the paths written."""
    from zahnrad.reports.model import RunView

    from .files import atomic_write

    view = RunView(results, facts, lang or results["strategy"].get("language", "en"))
    rendered = {name: _renderer(spec)(view) for name, spec in RENDERERS.items()}
    written = []
    for name, content in rendered.items():
        path = outdir / name
        with atomic_write(path, "wb" if isinstance(content, bytes) else "w") as fh:
            fh.write(content)
        written.append(path)
    return written


def write_run(results: dict[str, Any], facts: dict[str, Any], outdir: Path, lang: str | None = None) -> list[Path]:
    """Write results.json, facts.json and all reports."""
    outdir.mkdir(parents=True, exist_ok=True)
    write_json(outdir / "facts.json", facts)
    write_json(outdir / "results.json", results)
    return [outdir / "results.json", outdir / "facts.json", *render_run(results, facts, outdir, lang)]


def load_run(rundir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read a saved run for re-rendering; refuses runs of another format version."""
    from .evaluation import RESULTS_FORMAT
    from .facts import FACTS_FORMAT

    if not rundir.is_dir():
        raise InputError(rundir, None, "not a folder (expected a run folder with results.json)")
    results = load_json(rundir / "results.json")
    facts = load_json(rundir / "facts.json")
    for name, data, fmt in (("results.json", results, RESULTS_FORMAT), ("facts.json", facts, FACTS_FORMAT)):
        got = data.get("format") if isinstance(data, dict) else None
        if got != fmt:
            raise InputError(rundir / name, "format",
                             f"{got!r} is not a format this version reads (expected {fmt!r}); "
                             "evaluate again with this version of zahnrad")
    _check_schema(results, rundir / "results.json")
    from .facts import load_facts

    load_facts(rundir / "facts.json")  # the same checks as `evaluate --facts`
    return results, facts


def _check_schema(results: dict[str, Any], path: Path) -> None:
    """Validate a saved results.json against the schema kept in the repo."""
    import json
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("zahnrad").joinpath("schemas/results.schema.json").read_text("utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(results))
    if error is not None:
        place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        raise InputError(path, place or None, f"not a valid results file: {error.message}")
