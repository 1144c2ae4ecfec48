"""A Python plugin can build on a pack: the pack's probe returns its replies by request id."""

from __future__ import annotations

from pathlib import Path

import responses

from zahnrad.catalog import load_catalog
from zahnrad.packs import load_pack
from zahnrad.runner import probe_vendor
from zahnrad.strategy import Vendor

PACK = """
format = "zahnrad-pack/1"

[platform]
name = "toy"
display_name = "Toy"
kind = "other"
version = "1.0.0"

[credentials]
token = "a member's token"

[request.info]
path = "api/info"

[request.me]
path = "api/me"
auth = { headers = { Authorization = "Bearer {token}" } }

[request.flags]
path = "api/flags"

[[fact]]
name = "platform.version"
request = "info"
path = "version"
type = "string"

[[fact]]
name = "edit.member"
request = "me"
path = "can_edit"
type = "bool"

[[fact]]
name = "signup.open"
request = "flags"
path = "signup"
type = "bool"
"""


def test_the_pack_probe_returns_its_replies(tmp_path: Path):
    pack_file = tmp_path / "toy.pack.toml"
    pack_file.write_text(PACK)
    base = load_pack(pack_file)
    seen: dict = {}

    def probe(ctx):
        replies = base.probe(ctx)
        seen.update(replies)
        # Combine two answers the pack read, without asking again.
        info, flags = replies["info"], replies["flags"]
        if info is not None and flags is not None and flags.status == 200:
            ctx.observe("x-toy.combined", f"{info.json()['version']}/{flags.json()['signup']}",
                        info, "version + flags.signup")

    with responses.RequestsMock() as rs:
        rs.get("https://toy.example/api/info", json={"version": "2.0"})
        rs.get("https://toy.example/api/flags", status=404, json={"error": "no such module"})
        plat = base.__class__(**{**base.__dict__, "probe": probe,
                                 "facts": base.facts + ("x-toy.combined",)})
        v = Vendor(name="Toy", platform="toy", url="https://toy.example")
        vf = probe_vendor(v, plat, load_catalog(), environ={})
        assert len(rs.calls) == 2  # nothing was requested twice
    assert set(seen) == {"info", "me", "flags"}
    assert seen["info"].status == 200 and seen["flags"].status == 404
    assert seen["me"] is None  # not sent: no token
    assert vf.facts["platform.version"].value == "2.0"
    assert vf.facts["x-toy.combined"].source == "unknown"  # flags did not answer usefully
    with responses.RequestsMock() as rs:
        rs.get("https://toy.example/api/info", json={"version": "2.0"})
        rs.get("https://toy.example/api/flags", json={"signup": True})
        vf = probe_vendor(v, plat, load_catalog(), environ={})
    assert vf.facts["x-toy.combined"].value == "2.0/True"
    assert vf.facts["x-toy.combined"].evidence.url == "https://toy.example/api/info"
