"""All nine self-hosted platforms in one evaluation, replayed offline from their recordings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from zahnrad.cli import main
from zahnrad.registry import registry

RECORDINGS = Path(__file__).with_name("recordings")

# platform -> (recording, vendor name as recorded, credential keys the recorded run used)
SUITE = {
    "mattermost": ("mattermost/Mattermost-member.json", "Mattermost (member)", ["token"]),
    "zulip": ("zulip/Zulip-member.json", "Zulip (member)", ["email", "api_key"]),
    "discourse": ("discourse/Discourse-admin.json", "Discourse (admin)",
                  ["api_key", "api_username", "admin_api_key", "admin_username"]),
    "rocketchat": ("rocketchat/Rocket.Chat-admin.json", "Rocket.Chat (admin)", ["user_id", "auth_token"]),
    "nextcloud": ("nextcloud/Nextcloud-admin.json", "Nextcloud (admin)",
                  ["username", "app_password", "admin_username", "admin_app_password"]),
    "wikijs": ("wikijs/Wiki.js-admin-key.json", "Wiki.js (admin key)", ["api_key"]),
    "xwiki": ("xwiki/XWiki-member-closed.json", "XWiki (member, closed)", ["username", "password"]),
    "bookstack": ("bookstack/BookStack-admin.json", "BookStack (admin)", ["token_id", "token_secret"]),
    "humhub": ("humhub/HumHub-admin.json", "HumHub (admin)", ["token"]),
}


def test_plugins_lists_the_nine():
    assert set(SUITE) <= set(registry())


def test_evaluation_of_all_nine_completes_offline(tmp_path, capsys):
    rec = tmp_path / "rec"
    rec.mkdir()
    vendors = []
    for platform, (file, name, keys) in SUITE.items():
        data = json.loads((RECORDINGS / file).read_text())
        assert data["vendor"] == name and data["platform"] == platform
        shutil.copy(RECORDINGS / file, rec / Path(file).name)
        creds = ", ".join(f'{k} = "ZW_{platform.upper()}_{k.upper()}"' for k in keys)
        vendors.append(f'[[vendors]]\nname = "{name}"\nplatform = "{platform}"\n'
                       f'url = "https://{platform}.example"\ncredentials = {{ {creds} }}\n')
    strategy = tmp_path / "strategy.toml"
    strategy.write_text("""
[organisation]
name = "Souverän e.V."
employees = 300
[goals]
participation = 5
self_organisation = 5
knowledge_sharing = 4
external_reach = 3
adaptability = 5
""" + "\n".join(vendors))
    assert main(["evaluate", str(strategy), "-o", str(tmp_path / "run"), "--replay", str(rec), "-q"]) == 0
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    facts = json.loads((tmp_path / "run" / "facts.json").read_text())
    assert {v["platform"] for v in results["vendors"]} == set(SUITE)
    assert all(v["total"] is not None and v["rank"] is not None for v in results["vendors"])
    for v in facts["vendors"]:
        observed = [f for f in v["facts"] if f["source"] == "observed"]
        assert len(observed) >= 4, v["name"]
        assert not any("not in the recording" in (f.get("reason") or "") for f in v["facts"]), v["name"]
        assert v["plugin"]["distribution"].startswith("zahnrad (built-in)")


@pytest.mark.parametrize("platform", sorted(SUITE))
def test_each_passes_the_conformance_kit(platform, tmp_path, capsys):
    file = SUITE[platform][0]
    (tmp_path / "rec").mkdir()
    shutil.copy(RECORDINGS / file, tmp_path / "rec")
    assert main(["plugin", "check", platform, "--replay", str(tmp_path / "rec")]) == 0
    assert "checks passed" in capsys.readouterr().out
