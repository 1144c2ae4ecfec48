"""Errors a user can fix, reported as one line naming the file and the place.

Every bad input (strategy, criteria, answers, saved runs) raises :class:`InputError`; the CLI turns
it into ``FILE: PLACE: message`` on stderr and exit code 2, never a traceback. Keeping the place
separate from the message lets tests and tools read both.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INPUT = 2
EXIT_INCOMPLETE = 3


class InputError(Exception):
    """A problem in a file the user gave us, pointing at the place to fix."""

    def __init__(self, file: str | Path | None, place: str | None, message: str):
        self.file = str(file) if file is not None else None
        self.place = place
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.place) if p]
        parts.append(self.message)
        return ": ".join(parts)


def describe_type(value: object) -> str:
    """Name a TOML/JSON value's type the way a strategist would read it."""
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
