"""Example third-party plugin: probes a toy platform that serves /status.json.

The toy API answers ``{"version": "1.0", "anonymous_edit": true, "signup": false}``; the plugin
turns that into catalog facts. Tests use it to check entry-point discovery and the runner.
"""

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import ProbeContext

FACTS = ("platform.version", "edit.anonymous", "signup.open")


def probe(ctx: ProbeContext) -> None:
    with ctx.establishing(*FACTS):
        headers = {}
        token = ctx.credential("token")
        if token:
            headers["X-Api-Key"] = token
        reply, data = ctx.get_json("status.json", headers=headers)
        ctx.observe("platform.version", str(data["version"]), reply, "version", data["version"])
        # Only a real boolean is an answer: null or "no" is not "false" (unknown is not absent).
        for fact, key in (("edit.anonymous", "anonymous_edit"), ("signup.open", "signup")):
            value = data[key]  # a missing key is a wrong shape (KeyError), reported as such
            if isinstance(value, bool):
                ctx.observe(fact, value, reply, key, value)
            else:
                ctx.unknown(fact, f"{key} in {reply.short_url} is {value!r}, not true or false")


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="example", display_name="Example Toy Platform", kind="other", version="1.2.0",
        probe=probe, facts=FACTS,
        declared=(Declared("licence.open_source", True, "https://example.org/licence", "MIT"),),
        credentials={"token": "API key (optional)"},
    ))
