"""DokuWiki (Debian package, release 2022-07-31 "Igor") on 127.0.0.1.

Debian's tree hard-wires /etc/dokuwiki (through inc/preload.php) and
/var/lib/dokuwiki (through symlinks).  Once per session the code is copied with
symlinks resolved into a tmp directory, and its inc/preload.php is replaced by one
that takes DOKU_CONF from the environment variable ZAHNRAD_DOKU_CONF.  Each
instance then gets its own conf/ and data/ directories under tmp and its own
``php -S`` process sharing that code copy.

This release speaks XML-RPC only (lib/exe/xmlrpc.php); refusals are HTTP 401
with an empty body.

Configurations:
- ``open``: ``* @ALL 8``, self-registration open, remote=1, remoteuser=''.
- ``restricted``: ``* @ALL 1`` + ``* @user 8``, registration disabled, remote=1, remoteuser=''.
- ``api-off``: like ``open`` but remote=0.
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

DW_ROOT = Path("/usr/share/dokuwiki")
DW_ETC = Path("/etc/dokuwiki")
DW_DATA = Path("/var/lib/dokuwiki/data")
CONFIGS = ("open", "restricted", "api-off")
CONF_ENV = "ZAHNRAD_DOKU_CONF"

MEMBER = "member"

PRELOAD = f"""<?php
// zahnrad tests: per-instance configuration directory from the environment.
if (!defined('DOKU_CONF') && getenv('{CONF_ENV}')) define('DOKU_CONF', getenv('{CONF_ENV}'));
"""

ACL = {
    "open": "*\t@ALL\t8\n",
    "restricted": "*\t@ALL\t1\n*\t@user\t8\n",
    "api-off": "*\t@ALL\t8\n",
}


def check_available() -> None:
    php = shutil.which("php")
    if not php:
        unavailable("DokuWiki: php not installed (apt-get install php-cli)")
    if not (DW_ROOT / "doku.php").is_file() or not (DW_ETC / "dokuwiki.php").is_file():
        unavailable(f"DokuWiki: {DW_ROOT} or {DW_ETC} missing (apt-get install dokuwiki)")
    mods = (
        subprocess.run([php, "-m"], capture_output=True, text=True, timeout=30)
        .stdout.lower()
        .split()
    )
    if "xml" not in mods:
        unavailable("DokuWiki: PHP module xml missing (apt-get install php-xml)")


def prepare_code(dest: Path) -> Path:
    """Copy the DokuWiki code once (symlinks resolved) with an env-driven preload.php."""
    check_available()
    code = dest / "code"
    if (code / "doku.php").is_file():
        return code
    dest.mkdir(parents=True, exist_ok=True)
    log = dest / "copy.log"
    run_checked(["cp", "-rL", str(DW_ROOT), str(code)], log=log, what="copying DokuWiki")
    (code / "inc" / "preload.php").write_text(PRELOAD)
    return code


def _php_str(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _bcrypt(php: str, passwords: list[str]) -> list[str]:
    """bcrypt hashes computed by PHP (passwords go through stdin, not argv)."""
    out = subprocess.run(
        [
            php,
            "-r",
            "while (($l = fgets(STDIN)) !== false) "
            'echo password_hash(rtrim($l, "\\n"), PASSWORD_BCRYPT), "\\n";',
        ],
        input="".join(p + "\n" for p in passwords),
        capture_output=True,
        text=True,
        timeout=30,
    )
    hashes = out.stdout.split()
    if out.returncode != 0 or len(hashes) != len(passwords):
        raise ServerStartError(f"php password_hash failed: {out.stderr.strip()}")
    return hashes


def start(config: str, workdir: Path, code: Path):
    """Configure and start one DokuWiki using the shared code copy. Returns (Server, stop)."""
    if config not in CONFIGS:
        raise ValueError(f"unknown DokuWiki configuration {config!r}")
    check_available()
    php = shutil.which("php")
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "dokuwiki.log"
    conf = workdir / "conf"
    data = workdir / "data"
    shutil.copytree(DW_ETC, conf, symlinks=False)
    shutil.copytree(DW_DATA, data, symlinks=False)

    password = secret_hex()
    admin_password = secret_hex()
    member_hash, admin_hash = _bcrypt(php, [password, admin_password])

    local = [
        "<?php",
        "// zahnrad test configuration: " + config,
        f"$conf['title'] = {_php_str('Zahnrad DokuWiki ' + config)};",
        "$conf['lang'] = 'en';",
        "$conf['license'] = 'cc-by-sa';",
        f"$conf['savedir'] = {_php_str(str(data))};",
        "$conf['useacl'] = 1;",
        "$conf['authtype'] = 'authplain';",
        "$conf['superuser'] = '@admin';",
        f"$conf['remote'] = {0 if config == 'api-off' else 1};",
        "$conf['remoteuser'] = '';",
        f"$conf['disableactions'] = {_php_str('register' if config == 'restricted' else '')};",
        "$conf['userewrite'] = 0;",
        "$conf['updatecheck'] = 0;",
        "",
    ]
    (conf / "local.php").write_text("\n".join(local))
    (conf / "acl.auth.php").write_text("# acl.auth.php (zahnrad tests)\n" + ACL[config])
    (conf / "users.auth.php").write_text(
        "# users.auth.php (zahnrad tests)\n"
        f"admin:{admin_hash}:Wiki Admin:admin@example.invalid:admin,user\n"
        f"{MEMBER}:{member_hash}:Member:member@example.invalid:user\n"
    )
    for leftover in ("local.protected.php",):
        (conf / leftover).unlink(missing_ok=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PHP_CLI_SERVER_WORKERS="2")
    env[CONF_ENV] = str(conf) + "/"
    proc = start_process(
        [php, "-S", f"127.0.0.1:{port}", "-t", str(code)], log=log, cwd=code, env=env
    )
    with stop_on_failure(proc):
        body = (
            "<?xml version='1.0'?><methodCall><methodName>dokuwiki.getTitle</methodName>"
            "<params/></methodCall>"
        )
        wait_until_answers(
            f"{url}/lib/exe/xmlrpc.php",
            method="POST",
            data=body,
            headers={"Content-Type": "text/xml"},
            proc=proc,
            log=log,
            timeout=30,
            ok=lambda r: r.status_code == 200 and "methodResponse" in r.text,
        )

    return running_server(
        "dokuwiki", config, url, log, proc, "ZW_DW",
        {
            "username": ("USER", MEMBER),
            "password": ("PASSWORD", password),
        },
    )
