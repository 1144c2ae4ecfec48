"""Record probe runs against real servers on 127.0.0.1, for replay tests and the demo.

Usage (from the repository root)::

    .venv/bin/python tests/record_live.py --out evaluator/demo/recordings \\
        --keys username,password \\
        "mediawiki_open=MediaWiki (open)" "mediawiki_locked=MediaWiki (locked)"

Each argument names a real-server fixture of ``tests/servers/fixtures.py`` (``mediawiki_open``,
``dokuwiki_restricted``, ``synapse_closed``, ...) and, after ``=``, the vendor name to record it
under (default: "Platform (config)"). The script starts the servers, writes a strategy that lists
them with their credentials (environment variable names only), runs
``zahnrad probe STRATEGY -o RUN --record OUT`` with the credentials in the environment, stops the
servers, and then checks every recording it wrote: no credential value in any encoding, no
``127.0.0.1:PORT`` (the recorder replaces the vendor URL with ``{base}``). Exit status 1 when a
check fails, so a leaking recording is never committed by accident.

The facts of the run are kept in ``RUN/facts.json`` (``--run``, default a temporary folder) for
comparing with a replay.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from servers import common, dokuwiki, mediawiki, synapse  # noqa: E402
from servers.common import Server  # noqa: E402

from zahnrad.recording import recording_file  # noqa: E402
from zahnrad.redact import secret_forms  # noqa: E402

PORT_PATTERN = re.compile(r"127\.0\.0\.1:\d+|localhost:\d+")


def fixture_parts(fixture: str) -> tuple[str, str]:
    """``"dokuwiki_api_off"`` -> ``("dokuwiki", "api-off")``."""
    module, _, config = fixture.partition("_")
    if module not in ("mediawiki", "dokuwiki", "synapse") or not config:
        raise SystemExit(f"unknown fixture {fixture!r} (e.g. mediawiki_open, dokuwiki_restricted, "
                         "synapse_closed)")
    return module, config.replace("_", "-")


def start_server(fixture: str, workdir: Path) -> tuple[Server, Callable[[], None]]:
    """Start the server a fixture would start; returns (server, stop)."""
    module, config = fixture_parts(fixture)
    workdir.mkdir(parents=True, exist_ok=True)
    if module == "mediawiki":
        return mediawiki.start(config, workdir / fixture)
    if module == "dokuwiki":
        code = dokuwiki.prepare_code(workdir / "dokuwiki-code")
        return dokuwiki.start(config, workdir / fixture, code)
    return synapse.start(config, workdir / fixture)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_strategy(path: Path, vendors: list[tuple[str, Server]],
                   options: dict[str, dict[str, str]] | None = None,
                   keys: set[str] | None = None) -> None:
    """A minimal strategy listing the servers as vendors (credentials by variable name only).

    ``keys`` limits the logical credential keys named (e.g. only ``username``/``password`` to
    record a MediaWiki main-account login instead of the bot password).
    """
    lines = [
        "[organisation]", 'name = "Live recording"', "",
        "[goals]", "participation = 5", "self_organisation = 4", "knowledge_sharing = 5",
        "external_reach = 2", "adaptability = 3", "",
    ]
    for name, server in vendors:
        creds = ", ".join(f"{k} = {_toml_str(v)}" for k, v in server.cred_names.items()
                          if keys is None or k in keys)
        lines += ["[[vendors]]", f"name = {_toml_str(name)}", f"platform = {_toml_str(server.platform)}",
                  f"url = {_toml_str(server.url)}", f"credentials = {{ {creds} }}"]
        for key, value in (options or {}).get(name, {}).items():
            lines.append(f"options.{key} = {_toml_str(value)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def check_recording(path: Path, secrets: list[str], *, ports: bool = True) -> list[str]:
    """Problems of one file: credential values (any encoding) or, with ``ports``, loopback ports."""
    text = path.read_text(encoding="utf-8")
    problems = [f"{path.name}: contains a credential value" for form in secret_forms(secrets)
                if form in text]
    if ports:
        problems += [f"{path.name}: contains {m!r}"
                     for m in sorted(set(PORT_PATTERN.findall(text)))]
    return list(dict.fromkeys(problems))


def record(specs: list[tuple[str, str]], out: Path, run: Path, workdir: Path,
           keys: set[str] | None = None) -> int:
    """Start the servers, probe them with --record into ``out``, check what was written."""
    started: list[tuple[str, Server, Callable[[], None]]] = []
    try:
        for fixture, name in specs:
            server, stop = start_server(fixture, workdir)
            started.append((name, server, stop))
            print(f"started {fixture} at {server.url}", file=sys.stderr)
        strategy = workdir / "strategy.toml"
        write_strategy(strategy, [(n, s) for n, s, _ in started], keys=keys)
        env = dict(os.environ)
        for _, server, _ in started:
            env.update(server.credentials)
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "zahnrad", "probe", str(strategy), "-o", str(run),
                        "--record", str(out)], env=env, check=True, stdin=subprocess.DEVNULL)
    finally:
        for _, _, stop in reversed(started):
            stop()
    problems: list[str] = []
    secrets = [v for _, s, _ in started for v in s.credentials.values()]
    for name, _, _ in started:
        p = recording_file(out, name)
        if not p.exists():
            problems.append(f"{p}: not written")
            continue
        problems += check_recording(p, secrets)
        print(f"wrote {p}", file=sys.stderr)
    facts = run / "facts.json"
    if facts.exists():
        problems += check_recording(facts, secrets, ports=False)  # facts keep the vendor URL
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("specs", nargs="+", metavar="FIXTURE[=VENDOR NAME]")
    ap.add_argument("--out", type=Path, required=True, help="recording folder to write to")
    ap.add_argument("--run", type=Path, help="folder for facts.json (default: temporary)")
    ap.add_argument("--keys", help="comma-separated credential keys to use (default: all the "
                    "fixture has), e.g. username,password")
    a = ap.parse_args(argv)
    specs = []
    for spec in a.specs:
        fixture, _, name = spec.partition("=")
        module, config = fixture_parts(fixture)
        specs.append((fixture, name or f"{module.capitalize()} ({config})"))
    with tempfile.TemporaryDirectory(prefix="zahnrad-record-") as tmp:
        try:
            keys = {k.strip() for k in a.keys.split(",") if k.strip()} if a.keys else None
            return record(specs, a.out, a.run or Path(tmp) / "run", Path(tmp), keys)
        except common.ServerStartError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except BaseException as exc:  # pytest.skip from servers.common.unavailable
            if type(exc).__name__ in ("Skipped", "Failed"):
                print(f"error: {exc}", file=sys.stderr)
                return 2
            raise


if __name__ == "__main__":
    sys.exit(main())
