"""Reading user files safely and writing outputs atomically.

All readers go through :func:`read_text` so that empty, binary, oversized or wrongly encoded
files give the same clear :class:`InputError` everywhere; all writers go through
:func:`atomic_write` so a run killed half-way never leaves a half-written file under the final name.
"""

from __future__ import annotations

import glob
import json
import os
import re
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import InputError

MAX_INPUT_BYTES = 20 * 1024 * 1024


def read_bytes(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a user file, refusing missing, oversized and empty files with a clear message."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(p, None, "file not found") from None
    except OSError as exc:
        raise InputError(p, None, f"cannot read: {exc.strerror}") from None
    if p.is_dir():
        raise InputError(p, None, "is a folder, expected a file")
    if size > limit:
        raise InputError(p, None, f"file is {size:,} bytes; the limit is {limit:,}")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(p, None, "file is empty")
    return data


def read_text(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is accepted); binary or other encodings are refused."""
    data = read_bytes(path, limit=limit)
    if _utf16(data[:8192]):
        raise InputError(path, None, "is UTF-16 text, expected UTF-8 (save the file as UTF-8)")
    if b"\x00" in data[:8192]:
        raise InputError(path, None, "looks like a binary file, expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"line {line}", "not valid UTF-8 text (save the file as UTF-8)"
        ) from None


def _utf16(head: bytes) -> bool:
    """UTF-16 text (spreadsheet programs' "Unicode text" export): a BOM, or a zero byte beside
    nearly every character of mostly-ASCII text. Told apart so the message says what to do."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) >= 0.9 * len(odd) or even.count(0) >= 0.9 * len(even)


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file; syntax errors name the line and column."""
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        place = f"line {m.group(1)}, column {m.group(2)}" if m else None
        msg = _TOML_POS.sub("", msg)
        raise InputError(path, place, f"TOML syntax error: {msg}") from None


def load_json(path: str | Path) -> Any:
    """Parse a JSON file; syntax errors name the line and column."""
    text = read_text(path, limit=512 * 1024 * 1024)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"line {exc.lineno}, column {exc.colno}", f"JSON syntax error: {exc.msg}"
        ) from None


@contextmanager
def atomic_write(path: str | Path, mode: str = "w") -> Iterator[Any]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    The rename is atomic on POSIX, so readers (and a later run) see either the old file or the
    complete new one, never a fragment.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; a report is a normal file, readable as the umask allows
        os.chmod(tmp, 0o666 & ~_umask())
        pause = os.environ.get("ZAHNRAD_TEST_SLOW_WRITE")  # tests kill the process right here
        if pause:
            time.sleep(float(pause))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: A ``.part`` file this old was left by a killed run (a live write takes milliseconds).
STALE_PART_SECONDS = 600


def _remove_stale_parts(target: Path) -> None:
    """Remove ``.NAME.*.part`` files a killed run left beside ``target`` (never a fresh one,
    which may belong to another process writing right now)."""
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        try:
            if time.time() - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:
            pass


def write_json(path: str | Path, data: Any) -> None:
    """Write JSON atomically, UTF-8, stable key order for diff-friendly runs."""
    with atomic_write(path) as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def write_text(path: str | Path, text: str) -> None:
    """Write text atomically."""
    with atomic_write(path) as fh:
        fh.write(text)
