"""Refresh the generated tables of docs/platforms.md by replaying the committed recordings.

Why replay instead of writing the tables by hand: the columns then say what each plugin really
establishes from real (or documented) answers, and ``tests/test_platforms_doc.py`` fails when a
plugin or a recording changes and the page was not refreshed. Offline and deterministic.

    .venv/bin/python docs/gen_platforms.py           # rewrite the generated blocks
    .venv/bin/python docs/gen_platforms.py --check   # exit 1 if the page is out of date

Levels: *anonymous* = observed when a recording is replayed without any credential (every probe
asks its anonymous questions before it uses a credential); *member* / *admin* = observed when a
recording made with a member's / an administrator's credentials is replayed with them, minus the
lower levels. What no recording shows comes from the platform's page (``FROM_DOCS``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from zahnrad.catalog import load_catalog
from zahnrad.recording import RECORDING_FORMAT, Replayer
from zahnrad.registry import BUILTIN, registry
from zahnrad.runner import probe_vendor
from zahnrad.strategy import Vendor

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "platforms.md"
RECORDINGS = sorted((ROOT / "tests" / "recordings").glob("*/*.json")) + sorted(
    (ROOT / "evaluator" / "demo" / "recordings").glob("*.json"))
LEVELS = ("anonymous", "member", "admin")
# Table order: wikis, team chat, SaaS suites, social network / forum / file sharing; others last.
ORDER = ("mediawiki", "dokuwiki", "wikijs", "xwiki", "bookstack", "matrix", "mattermost", "zulip",
         "rocketchat", "microsoft365", "confluence", "slack", "humhub", "discourse", "nextcloud")
# Recordings made before recordings named their credential keys.
BOT = ("bot_username", "bot_password")
LEGACY_KEYS = {"MediaWiki (private, anonymous)": (), "MediaWiki (private, member)": BOT,
               "MediaWiki (wrong password)": BOT}
ADMIN_CONSENT = {"microsoft365"}  # every Graph call needs permissions an administrator consents to
# (platform, level) -> (facts, credential keys, note), from docs/platforms/<name>.md.
FROM_DOCS: dict[tuple[str, str], tuple[tuple[str, ...], str, str]] = {
    ("mediawiki", "anonymous"): ((), "", "member rights judged from the `*` and `user` groups"),
    ("mediawiki", "member"): ((), "", "on a private wiki everything in the anonymous column"),
    ("mediawiki", "admin"): ((), "", "none used: an ordinary member is enough"),
    ("dokuwiki", "admin"): ((), "", "none used: an administrator account is refused"),
    ("wikijs", "member"): ((), "", "a key without `manage:system` adds nothing"),
    ("xwiki", "member"): ((), "", "on a wiki closed to guests everything in the anonymous column"),
    ("xwiki", "admin"): ((), "", "none used: the core REST API shows configuration to nobody"),
    ("matrix", "admin"): ((), "", "none used: an ordinary account"),
    ("mattermost", "admin"): ((), "", "none used: nothing needs an administrator"),
    ("zulip", "admin"): ((), "", "none used: nothing needs an administrator"),
    ("rocketchat", "member"): (("extensions.count", "extensions.installed",
                                "x-rocketchat.apps_enabled"), "`user_id`+`auth_token`", ""),
    ("microsoft365", "anonymous"): ((), "", "nothing: every call needs a Graph token"),
    ("microsoft365", "member"): ((), "", "nothing: a delegated token needs the same scopes"),
    ("microsoft365", "admin"): (("apps.catalogue", "extensions.count", "extensions.installed"), "",
                                "with `AppCatalog.Read.All`"),
    ("confluence", "anonymous"): (("platform.version", "signup.open", "site.title"), "",
                                  "Data Center"),
    ("confluence", "admin"): (("extensions.count", "extensions.installed", "webhooks.outgoing"),
                              "`email`+`api_token` or `token`", "a Confluence administrator"),
    ("slack", "anonymous"): ((), "", "nothing: every method needs a token"),
    ("slack", "admin"): (("extensions.count", "extensions.installed"), "`token`",
                         "an Enterprise Grid org admin's user token"),
}


def _run(plat, path: Path, data: dict, keys: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """Replay one recording with the given credential keys: (observed, declared) fact names."""
    url = plat.default_url if not plat.needs_url and plat.default_url else "https://vendor.invalid"
    vendor = Vendor(name=data["vendor"], platform=plat.name, url=url,
                    credentials={k: f"ZAHNRAD_DOC_{k.upper()}" for k in keys})
    replayer = Replayer(path.parent)
    replayer.load(vendor.name, url)
    with replayer.active():
        vf = probe_vendor(vendor, plat, load_catalog(), replay=True, environ={})
    by = {s: {n for n, f in vf.facts.items() if f.source == s} for s in ("observed", "declared")}
    return by["observed"], by["declared"]


def collect() -> dict[str, dict]:
    """Per built-in platform: facts and credential keys per level, declared and unseen facts."""
    plats = {n: p for n, p in registry().items() if p.distribution.startswith(BUILTIN)}
    out = {n: {"facts": {lv: set() for lv in LEVELS}, "keys": {lv: [] for lv in LEVELS},
               "recorded": set(), "declared": {d.fact for d in p.declared}}
           for n, p in plats.items()}
    for path in RECORDINGS:
        data = json.loads(path.read_text("utf-8"))
        plat = plats.get(data.get("platform")) if data.get("format") == RECORDING_FORMAT else None
        if plat is None:
            continue
        row = out[plat.name]
        keys = tuple(data.get("credentials", LEGACY_KEYS.get(data["vendor"], ("username", "password"))))
        admin = "admin" in data["vendor"].lower() or plat.name in ADMIN_CONSENT
        level = "anonymous" if not keys else "admin" if admin else "member"
        for run_keys in dict.fromkeys(((), keys)):
            seen, declared = _run(plat, path, data, run_keys)
            row["facts"]["anonymous" if not run_keys else level] |= seen
            row["declared"] |= declared
        if keys and keys not in row["keys"][level]:
            row["keys"][level].append(keys)
        row["recorded"].add(level)
    for name, row in out.items():
        for level in LEVELS:
            row["facts"][level] |= set(FROM_DOCS.get((name, level), ((),))[0])
        below: set[str] = set()
        for level in LEVELS:
            row["facts"][level] -= below
            below |= row["facts"][level]
        member_keys = {k for keys in row["keys"]["member"] for k in keys}
        row["keys"]["admin"] = [tuple(k for k in keys if k not in member_keys) or keys
                                for keys in row["keys"]["admin"]]  # the admin's own keys
        row["unseen"] = set(plats[name].facts) - below - row["declared"]
        row["plat"] = plats[name]
    return out


def _names(facts: set[str]) -> str:
    """Catalog facts by name, then the platform's own as ``x-name.{a, b}``: short table cells."""
    common = sorted(f for f in facts if not f.startswith("x-"))
    own: dict[str, list[str]] = {}
    for f in sorted(facts - set(common)):
        prefix, _, rest = f.partition(".")
        own.setdefault(prefix, []).append(rest)
    parts = common + [f"{p}.{{{', '.join(r)}}}" if len(r) > 1 else f"{p}.{r[0]}"
                      for p, r in own.items()]
    return ", ".join(parts)


def _form(name: str) -> str:
    code = ROOT / "plugins" / f"{name}.py"
    if not (ROOT / "plugins" / f"{name}.pack.toml").exists():
        return "Python"
    return "probe pack" if "zahnrad_register_packs" in code.read_text("utf-8") else "pack + Python"


def _cell(name: str, row: dict, level: str) -> str:
    docs_facts, docs_keys, note = FROM_DOCS.get((name, level), ((), "", ""))
    recorded = row["facts"][level] - set(docs_facts)
    keys = " or ".join("+".join(f"`{k}`" for k in ks) for ks in row["keys"][level])
    parts = []
    if keys and recorded:
        parts.append(f"{keys}: {_names(recorded)}")
    elif recorded:
        parts.append(_names(recorded))
    elif level in row["recorded"] and not docs_facts and not note:
        parts.append(f"{keys}: nothing more" if keys else "nothing")
    if docs_facts or note:
        head = ", ".join(x for x in (docs_keys, note) if x)
        body = f"{head}: {_names(set(docs_facts))}" if docs_facts and head else (
            _names(set(docs_facts)) or head)
        parts.append(f"*from the plugin docs:* {body}")
    return "; ".join(parts) or "—"


def render() -> dict[str, str]:
    """The generated blocks of the page: name -> Markdown."""
    rows = collect()
    names = [n for n in ORDER if n in rows] + sorted(set(rows) - set(ORDER))
    table = ["| Platform | Kind | Plugin | Anonymous | As a member | As an admin | "
             "Declared from documentation |", "|---|---|---|---|---|---|---|"]
    unseen = ["| Platform | Named by the plugin, observed in no recording |", "|---|---|"]
    for n in names:
        r, p = rows[n], rows[n]["plat"]
        cells = [f"[{p.display_name}](platforms/{n}.md)", p.kind, _form(n)]
        cells += [_cell(n, r, lv) for lv in LEVELS] + [_names(r["declared"]) or "—"]
        table.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if r["unseen"]:
            unseen.append(f"| {p.display_name} | {_names(r['unseen'])} |")
    return {"table": "\n".join(table) + "\n", "unseen": "\n".join(unseen) + "\n"}


BLOCK = re.compile(r"(<!-- generated:(?P<what>[a-z]+) -->\n)(.*?)(<!-- /generated -->)", re.S)


def refresh(text: str) -> str:
    blocks = render()
    return BLOCK.sub(lambda m: m.group(1) + blocks[m.group("what")] + m.group(4), text)


def main(argv: list[str]) -> int:
    old = PAGE.read_text("utf-8")
    new = refresh(old)
    if "--check" in argv:
        if new != old:
            print(f"{PAGE} is out of date: run .venv/bin/python docs/gen_platforms.py")
            return 1
        return 0
    PAGE.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
