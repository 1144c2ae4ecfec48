"""zahnrad plugin for Toy Wiki: the probe is the pack file beside this module."""

from pathlib import Path

from zahnrad.hookspecs import hookimpl


@hookimpl
def zahnrad_register_packs(register):
    register(str(Path(__file__).with_name("toywiki.pack.toml")))
