"""MediaWiki (Debian package, SQLite, PHP's built-in server) on 127.0.0.1.

No copy of the code is made: ``MW_CONFIG_FILE`` points both web requests and
maintenance scripts at a private LocalSettings.php written by ``install.php``
into a tmp directory.  ``$wgServer`` contains the port, so each instance is
installed for its own port.

Configurations:
- ``open``: installer defaults, with all bundled extensions (``--with-extensions``:
  VisualEditor, WikiEditor, ConfirmEdit, ...).
- ``locked``: no extensions; ``*`` and ``user`` may not edit, ``*`` may not create accounts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .common import (
    ServerStartError,
    free_port,
    run_checked,
    running_server,
    secret_hex,
    start_process,
    stop_on_failure,
    unavailable,
    wait_until_answers,
)

MW_ROOT = Path("/usr/share/mediawiki")
ROUTER = "maintenance/dev/includes/router.php"
CONFIGS = ("open", "locked")

MEMBER = "Member"
BOT_APP = "zahnrad"
BOT_GRANTS = "basic,editpage,createeditmovepage"

# Appended to every LocalSettings.php: keep state in tmp and avoid test friction
# (failed-login throttling and the ConfirmEdit captcha after bad logins).
COMMON_SETTINGS = """
# --- zahnrad test settings ---
$wgCacheDirectory = @CACHE@;
$wgPasswordAttemptThrottle = [ [ 'count' => 1000, 'seconds' => 60 ] ];
$wgCaptchaTriggers['badlogin'] = false;
$wgCaptchaTriggers['badloginperuser'] = false;
"""

LOCKED_SETTINGS = """
# --- zahnrad "locked" configuration ---
$wgGroupPermissions['*']['edit'] = false;
$wgGroupPermissions['user']['edit'] = false;
$wgGroupPermissions['*']['createaccount'] = false;
"""


def check_available() -> None:
    """Skip (or fail under ZAHNRAD_REQUIRE_SERVERS=1) when MediaWiki cannot run here."""
    php = shutil.which("php")
    if not php:
        unavailable("MediaWiki: php not installed (apt-get install php-cli)")
    if not (MW_ROOT / "maintenance/install.php").is_file() or not (MW_ROOT / ROUTER).is_file():
        unavailable(f"MediaWiki: {MW_ROOT} missing (apt-get install mediawiki)")
    mods = (
        subprocess.run([php, "-m"], capture_output=True, text=True, timeout=30)
        .stdout.lower()
        .split()
    )
    missing = [m for m in ("pdo_sqlite", "intl", "mbstring", "xml") if m not in mods]
    if missing:
        unavailable(
            f"MediaWiki: PHP modules missing: {', '.join(missing)} "
            "(apt-get install php-sqlite3 php-intl php-mbstring php-xml)"
        )


def _php_str(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def start(config: str, workdir: Path):
    """Install and start one MediaWiki. Returns (Server, stop)."""
    if config not in CONFIGS:
        raise ValueError(f"unknown MediaWiki configuration {config!r}")
    check_available()
    php = shutil.which("php")
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "mediawiki.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = workdir / "LocalSettings.php"
    env = dict(os.environ, MW_CONFIG_FILE=str(settings), PHP_CLI_SERVER_WORKERS="2")

    admin_password = secret_hex()
    password = secret_hex()
    bot_password = secret_hex()  # must match ^[0-9a-w]{32,}$: hex does

    argv = [
        php,
        "maintenance/install.php",
        "--dbtype=sqlite",
        f"--dbpath={workdir / 'db'}",
        "--dbname=zahnrad",
        f"--confpath={workdir}",
        f"--server={url}",
        "--scriptpath=",
        f"--pass={admin_password}",
        "--lang=en",
    ]
    if config == "open":
        argv.append("--with-extensions")
    argv += [f"Zahnrad MediaWiki {config}", "Admin"]
    run_checked(
        argv, log=log, cwd=MW_ROOT, env=env, what="MediaWiki install.php", redact=[admin_password]
    )
    if not settings.is_file():
        raise ServerStartError(f"install.php wrote no {settings}")

    (workdir / "cache").mkdir(exist_ok=True)
    extra = COMMON_SETTINGS.replace("@CACHE@", _php_str(str(workdir / "cache")))
    if config == "locked":
        extra += LOCKED_SETTINGS
    with settings.open("a") as fh:
        fh.write(extra)

    proc = start_process([php, "-S", f"127.0.0.1:{port}", ROUTER], log=log, cwd=MW_ROOT, env=env)
    with stop_on_failure(proc):
        # Accounts are made by maintenance scripts while the server comes up.
        run_checked(
            [php, "maintenance/createAndPromote.php", MEMBER, password],
            log=log,
            cwd=MW_ROOT,
            env=env,
            what="createAndPromote.php",
            redact=[password],
        )
        run_checked(
            [
                php,
                "maintenance/createBotPassword.php",
                f"--appid={BOT_APP}",
                f"--grants={BOT_GRANTS}",
                MEMBER,
                bot_password,
            ],
            log=log,
            cwd=MW_ROOT,
            env=env,
            what="createBotPassword.php",
            redact=[bot_password],
        )
        wait_until_answers(
            f"{url}/api.php?action=query&meta=siteinfo&format=json&formatversion=2",
            proc=proc,
            log=log,
            timeout=60,
            ok=lambda r: r.status_code == 200 and "general" in r.text,
        )

    return running_server(
        "mediawiki", config, url, log, proc, "ZW_MW",
        {
            "username": ("USER", MEMBER),
            "password": ("PASSWORD", password),
            "bot_username": ("BOT_USER", f"{MEMBER}@{BOT_APP}"),
            "bot_password": ("BOT_PASSWORD", bot_password),
        },
    )
