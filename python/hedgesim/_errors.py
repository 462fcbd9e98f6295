"""The exception hedgesim raises for bad input, with where it is."""

from __future__ import annotations


class InputError(ValueError):
    """A scenario, sweep file or parameter that hedgesim refuses, said as the command line says it.

    ``str(error)`` is the command line's message (``bad.toml:5:7: small_state.cap: must be between
    0 and 1, got 1.5``); the attributes give its parts to a program: ``file``, ``line`` and
    ``column`` (1-based; 0 when the error has no position, as for a setter or a column of
    ``params``), ``field`` (the dotted path, empty if none applies) and ``message`` (the reason).
    """

    def __init__(self, text: str, file: str, line: int, column: int, field: str, message: str) -> None:
        super().__init__(text)
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
