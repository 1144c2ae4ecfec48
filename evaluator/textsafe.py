"""Vendor-controlled strings are data: neutralise them for each place they are shown.

Site names, extension names and excerpts come from servers we do not control. On the terminal
they must not carry control sequences; in CSV and spreadsheets they must never become formulas;
in Markdown they must not become markup or links; as file names they must stay in their folder.
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


#: Characters that reorder text (Trojan-Source style): never shown raw in any report.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def terminal(text: object) -> str:
    """Replace control and format characters (ESC, BEL, bidi overrides…) by a visible escape."""
    return "".join(
        _escape(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(text)
    )


def visible(text: object) -> str:
    """For documents (HTML, xlsx): control characters and bidi overrides escaped, lines kept.

    Gentler than :func:`terminal`: newlines and tabs stay, and other format characters (the
    zero-width joiner inside emoji) are harmless in a document.
    """
    return "".join(
        _escape(ch) if ch in BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t") else ch
        for ch in str(text)
    )


def cell(text: object) -> object:
    """A value safe for a CSV or spreadsheet cell: never a formula, no control characters.

    Numbers and booleans pass through unchanged; control characters and bidi overrides are
    escaped (a CSV is also read with `cat`), and strings starting with a formula prefix get an
    apostrophe, the convention spreadsheet programs show as text (OWASP CSV injection guidance).
    """
    if not isinstance(text, str):
        return text
    text = visible(text)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def markdown(text: object) -> str:
    """Escape Markdown and HTML specials and flatten newlines, for table cells and prose."""
    s = terminal(text).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


def filename(text: object, default: str = "vendor") -> str:
    """A safe file-name component: no separators, no dots at the start, bounded length."""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"[^\w.-]+", "-", s, flags=re.UNICODE).strip(".-_")
    return s[:80] or default
