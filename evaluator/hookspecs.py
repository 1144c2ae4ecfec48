"""Hook specifications: the contract between zahnrad and vendor plugins.

zahnrad uses pluggy under the project name ``zahnrad``. Built-in plugins (``zahnrad.plugins.*``)
are registered exactly like third-party ones, which are found through the entry-point group
``zahnrad``::

    [project.entry-points.zahnrad]
    myplatform = "zahnrad_myplatform"

A plugin module implements one or more of the hooks below, decorated with
:data:`zahnrad.hookspecs.hookimpl`.

What plugins may and may not do
    Plugins report **facts and evidence, never scores**. They name facts from the fact catalog
    (``zahnrad facts``), or vendor-specific facts prefixed ``x-VENDOR.``, and attach the request
    that showed them. Which fact is worth what is decided by the evaluating organisation's
    criteria and weights, so a vendor can write the plugin for its own platform without being able
    to grade itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .platforms import Platform

hookspec = pluggy.HookspecMarker("zahnrad")
hookimpl = pluggy.HookimplMarker("zahnrad")


@hookspec
def zahnrad_register_platforms(register: Callable[[Platform], None]) -> None:
    """Register the platforms this plugin can probe.

    :param register: call it once per platform with a :class:`zahnrad.platforms.Platform`,
        which names the platform (the ``platform`` key of a strategy's vendor), gives its display
        name, kind (``wiki``, ``enterprise social network``, ``team chat``, ``intranet suite``…),
        the plugin version, the facts it can establish, its declared facts and its probe function.

    Called once when the plugin manager is set up. All implementations are called (no
    ``firstresult``); registering a platform name twice is an error that names both plugins.

    Example::

        @hookimpl
        def zahnrad_register_platforms(register):
            register(Platform(name="toywiki", display_name="Toy Wiki", kind="wiki",
                              version="1.0", facts=("edit.anonymous",), probe=probe))
    """


@hookspec
def zahnrad_register_packs(register: Callable[[str], None]) -> None:
    """Register declarative probe packs (TOML files) shipped by this plugin.

    :param register: call it with the path of a probe pack file; the pack is validated against
        the pack schema and becomes a platform like any other.

    Lets a vendor ship probes without Python code: see ``docs/writing-plugins.md``.

    Example::

        @hookimpl
        def zahnrad_register_packs(register):
            register(str(Path(__file__).with_name("toywiki.pack.toml")))
    """
