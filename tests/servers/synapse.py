"""Matrix Synapse (PyPI ``matrix-synapse`` in /work/main/.venv-synapse, SQLite) on 127.0.0.1.

The configuration is written directly (as JSON, which is valid YAML) instead of
running ``--generate-config`` and editing it; the ed25519 signing key is generated
here too.  Settings that keep it offline and test-friendly: listeners on 127.0.0.1
only, ``trusted_key_servers: []``,
``report_stats: false``, relaxed ``rc_login`` / ``rc_registration`` limits,
``public_baseurl`` set (else /.well-known/matrix/client is 404).

The member account is registered through the shared-secret admin API
(``/_synapse/admin/v1/register``), which works with registration closed; its
access token comes from that registration.

Configurations:
- ``open``: ``enable_registration`` (+ ``enable_registration_without_verification``,
  without which Synapse refuses to start), listener resources client + federation, and no
  federation allow-list: it would federate with anyone (nothing outside loopback is reachable
  here, so it only tries).
- ``closed``: registration off, listener resource client only, and
  ``federation_domain_whitelist: []`` (an allow-list naming nobody): no federation at all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

import requests

from .common import (
    REPO_ROOT,
    ServerStartError,
    free_port,
    running_server,
    secret_hex,
    start_process,
    stop_on_failure,
    unavailable,
    wait_until_answers,
)

VENV = REPO_ROOT / ".venv-synapse"
PYTHON = VENV / "bin" / "python"
CONFIGS = ("open", "closed")
SERVER_NAME = "localhost"
MEMBER = "member"

_RELAXED = {"per_second": 1000, "burst_count": 1000}


def check_available() -> None:
    if not PYTHON.exists():
        unavailable(
            f"Synapse: {VENV} missing (python3 -m venv .venv-synapse && "
            ".venv-synapse/bin/pip install matrix-synapse)"
        )
    if not any(VENV.glob("lib/python3*/site-packages/synapse/app/homeserver.py")):
        unavailable(
            f"Synapse: matrix-synapse not installed in {VENV} "
            "(.venv-synapse/bin/pip install matrix-synapse)"
        )


def _signing_key() -> str:
    """A Synapse signing key file line: 'ed25519 <key id> <unpadded base64 seed>'."""
    seed = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    return f"ed25519 a_{secrets.token_hex(2)} {seed}\n"


def _config(config: str, workdir: Path, port: int, shared_secret: str) -> dict:
    open_ = config == "open"
    resources = ["client", "federation"] if open_ else ["client"]
    return {
        "server_name": SERVER_NAME,
        "pid_file": str(workdir / "homeserver.pid"),
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": resources, "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(workdir / "homeserver.db")}},
        "media_store_path": str(workdir / "media_store"),
        "signing_key_path": str(workdir / f"{SERVER_NAME}.signing.key"),
        "registration_shared_secret": shared_secret,
        "macaroon_secret_key": secret_hex(32),
        "form_secret": secret_hex(32),
        "report_stats": False,
        "enable_metrics": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        # open: federates with anyone (no allow-list); closed: an allow-list naming nobody, which
        # Synapse treats as "no federation" -- besides having no federation listener at all.
        **({} if open_ else {"federation_domain_whitelist": []}),
        "url_preview_enabled": False,
        "enable_registration": open_,
        "enable_registration_without_verification": open_,
        "rc_login": {"address": _RELAXED, "account": _RELAXED, "failed_attempts": _RELAXED},
        "rc_registration": _RELAXED,
        "rc_message": _RELAXED,
        "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
    }


def _register(url: str, shared_secret: str, user: str, password: str, admin: bool) -> dict:
    """Register a user via the shared-secret admin API; returns the JSON answer."""
    endpoint = f"{url}/_synapse/admin/v1/register"
    nonce = requests.get(endpoint, timeout=10).json()["nonce"]
    mac = hmac.new(shared_secret.encode(), digestmod=hashlib.sha1)
    mac.update(
        b"\x00".join(
            [nonce.encode(), user.encode(), password.encode(), b"admin" if admin else b"notadmin"]
        )
    )
    r = requests.post(
        endpoint,
        timeout=30,
        json={
            "nonce": nonce,
            "username": user,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        },
    )
    if r.status_code != 200:
        raise ServerStartError(
            f"Synapse shared-secret registration of {user!r} gave HTTP "
            f"{r.status_code}: {r.text[:300]}"
        )
    return r.json()


def start(config: str, workdir: Path):
    """Configure and start one Synapse. Returns (Server, stop)."""
    if config not in CONFIGS:
        raise ValueError(f"unknown Synapse configuration {config!r}")
    check_available()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "synapse.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    shared_secret = secret_hex(32)
    (workdir / "media_store").mkdir(exist_ok=True)
    (workdir / f"{SERVER_NAME}.signing.key").write_text(_signing_key())
    cfg_path = workdir / "homeserver.yaml"
    cfg_path.write_text(json.dumps(_config(config, workdir, port, shared_secret), indent=2))

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    proc = start_process(
        [str(PYTHON), "-m", "synapse.app.homeserver", "--config-path", str(cfg_path)],
        log=log,
        cwd=workdir,
        env=env,
    )
    with stop_on_failure(proc):
        wait_until_answers(
            f"{url}/_matrix/client/versions",
            proc=proc,
            log=log,
            timeout=120,
            ok=lambda r: r.status_code == 200,
        )
        password = secret_hex()
        reg = _register(url, shared_secret, MEMBER, password, admin=False)
        token = reg["access_token"]

    return running_server(
        "matrix", config, url, log, proc, "ZW_MX",
        {
            "username": ("USER", MEMBER),
            "password": ("PASSWORD", password),
            "access_token": ("TOKEN", token),
        },
    )
