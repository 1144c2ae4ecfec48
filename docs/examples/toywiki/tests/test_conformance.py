"""The zahnrad conformance kit on the recording in tests/recordings (offline, no network).

The fixtures come from zahnrad's pytest plugin (installed with zahnrad).
"""

from pathlib import Path

RECORDINGS = Path(__file__).parent / "recordings"


def test_conformance(zahnrad_conformance):
    """Listed, facts from the catalog with complete evidence, no scores, no secrets, offline."""
    zahnrad_conformance("toywiki", RECORDINGS).assert_ok()


def test_facts_from_the_recording(zahnrad_replay):
    """What the plugin reads from the recording of the toy server (python toyserver.py)."""
    facts = zahnrad_replay("toywiki", RECORDINGS)["toywiki"].facts
    values = {name: f.value for name, f in facts.items()}
    assert values["platform.version"] == "2.1.0"
    assert values["edit.anonymous"] is False  # "anonymous_edit": "no"
    assert values["signup.open"] is False  # "signup": "invite"
    assert values["extensions.installed"] == ["gallery", "polls"]
    assert values["edit.member"] is True  # read with the member token
    assert values["social.reactions"] is True
    assert facts["edit.member"].evidence.url.endswith("/api/me")
