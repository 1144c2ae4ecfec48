"""Plugin discovery: built-ins and third-party packages, registered the same way.

Built-in plugins are the modules of ``zahnrad.plugins``; third-party plugins come through the
entry-point group ``zahnrad`` (pluggy's ``load_setuptools_entrypoints``). Two environment
variables limit what is loaded, for locked-down procurement machines and for tests:

- ``ZAHNRAD_LOAD_PLUGINS=dist-a,dist-b`` loads only the named distributions (plus the built-ins);
- ``ZAHNRAD_DISABLE_PLUGIN_AUTOLOAD=1`` loads only the built-ins.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

from . import __version__, hookspecs
from .errors import InputError
from .platforms import KINDS, Platform

if TYPE_CHECKING:
    from .strategy import Vendor

BUILTIN = "zahnrad (built-in)"


def _builtin_modules() -> list[str]:
    import zahnrad.plugins as pkg

    return sorted(
        f"zahnrad.plugins.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)
        if not m.name.startswith("_")
    )


def _normalise(dist: str) -> str:
    """Distribution names compare as PEP 503 says: case, '-', '_' and '.' do not matter."""
    return re.sub(r"[-_.]+", "-", dist.strip()).lower()


_PROBLEMS_AT_LOAD: list[str] = []


def make_plugin_manager() -> pluggy.PluginManager:
    _PROBLEMS_AT_LOAD.clear()
    pm = pluggy.PluginManager("zahnrad")
    pm.add_hookspecs(hookspecs)
    for name in _builtin_modules():
        pm.register(importlib.import_module(name), name=name)
    if os.environ.get("ZAHNRAD_DISABLE_PLUGIN_AUTOLOAD"):
        return pm
    only = os.environ.get("ZAHNRAD_LOAD_PLUGINS")
    wanted = {_normalise(n) for n in only.split(",") if n.strip()} if only is not None else None
    for ep in metadata.entry_points(group="zahnrad"):
        dist = ep.dist.name if ep.dist else ""
        if wanted is not None and _normalise(dist) not in wanted:
            # Blocked *before* loading: the code of distributions not asked for is never imported.
            pm.set_blocked(ep.name)
            continue
        try:
            ep.load()  # imported once here; pluggy's load below finds it in sys.modules
        except Exception as exc:  # noqa: BLE001 - one broken package must not stop zahnrad
            _PROBLEMS_AT_LOAD.append(f"plugin {ep.name} ({dist}) left out: cannot import {ep.value}: "
                                     f"{type(exc).__name__}: {exc}")
            pm.set_blocked(ep.name)
    # pluggy loads the rest and records which distribution each plugin came from.
    pm.load_setuptools_entrypoints("zahnrad")
    return pm


def _origin(pm: pluggy.PluginManager) -> dict[int, str]:
    out = {}
    for plugin, dist in pm.list_plugin_distinfo():
        out[id(plugin)] = f"{dist.project_name} {dist.version}"
    return out


_PROBLEMS: list[str] = []


@lru_cache(maxsize=1)
def registry() -> dict[str, Platform]:
    """Every platform any loaded plugin registers, by platform name.

    A plugin that fails to register (raises, registers something invalid, or a platform name
    another plugin already has) is left out and named in :func:`problems`: one broken third-party
    package must not stop every zahnrad command on the machine.
    """
    pm = make_plugin_manager()
    origins = _origin(pm)
    platforms: dict[str, Platform] = {}
    found: dict[str, list[Platform]] = {}
    _PROBLEMS[:] = _PROBLEMS_AT_LOAD
    for impl in pm.hook.zahnrad_register_platforms.get_hookimpls():
        plats: list[Platform] = []
        try:
            impl.function(register=plats.append)
        except Exception as exc:  # noqa: BLE001 - a plugin bug is reported, not fatal
            _PROBLEMS.append(f"plugin {impl.plugin_name} left out: {type(exc).__name__}: {exc}")
            continue
        found.setdefault(impl.plugin_name, []).extend(plats)
    for impl in pm.hook.zahnrad_register_packs.get_hookimpls():
        paths: list[str] = []
        try:
            impl.function(register=paths.append)
            if paths:
                from .packs import load_pack

                found.setdefault(impl.plugin_name, []).extend(load_pack(p) for p in paths)
        except Exception as exc:  # noqa: BLE001 - includes InputError from an invalid pack
            _PROBLEMS.append(f"plugin {impl.plugin_name} left out: {exc}")
    for pname, plats in found.items():
        plugin = pm.get_plugin(pname)
        dist = origins.get(id(plugin), f"{BUILTIN} {__version__}")
        for p in plats:
            problem = None
            if not isinstance(p, Platform):
                problem = "registered something that is not a Platform"
            elif p.kind not in KINDS:
                problem = f"platform {p.name!r}: unknown kind {p.kind!r} (known: {', '.join(KINDS)})"
            elif p.name in platforms:
                problem = f"platform {p.name!r} is already registered by {platforms[p.name].plugin}"
            if problem:
                _PROBLEMS.append(f"plugin {pname} ({dist}): {problem}; left out")
                continue
            p.plugin = pname.removeprefix("zahnrad.plugins.")
            p.distribution = dist
            platforms[p.name] = p
    return platforms


def problems() -> list[str]:
    """Plugins that were left out of the registry, and why."""
    registry()
    return list(_PROBLEMS)


def platform_for(vendor: Vendor) -> Platform:
    """The platform that probes ``vendor``: its own probe pack (``pack = "path"``) or the registry's.

    A vendor's pack overrides a registered platform of the same name, or defines a new one; its
    platform name must match the vendor's ``platform`` so a strategy never says one thing and
    probes another.
    """
    if vendor.pack:
        from .packs import load_pack

        p = load_pack(vendor.pack)
        if p.name != vendor.platform:
            raise InputError(vendor.pack, "platform.name",
                             f"the pack is for platform {p.name!r}, but vendor {vendor.name!r} "
                             f"names platform {vendor.platform!r}")
        if p.kind not in KINDS:
            raise InputError(vendor.pack, "platform.kind", f"unknown kind {p.kind!r}")
        p.plugin = f"pack {Path(vendor.pack).name}"
        p.distribution = f"probe pack {vendor.pack}"
        return p
    return registry()[vendor.platform]


def platform_names() -> dict[str, str]:
    """Platform name -> plugin name, for validating strategies."""
    return {n: p.plugin for n, p in registry().items()}
