"""Text from files, uploads and devices made visible: control and invisible characters written out.

A name can carry a newline (a second line in an error, a new line in a config), an escape
sequence (terminal control) or a bidirectional override (text that reads differently than it
is). Wherever such text is shown to a person it goes through `visible`: `\\n`, `\\x1b`, `\\u202e`.
"""
from __future__ import annotations

import re

_FORMAT = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"     # zero-width and bidirectional controls
_INVISIBLE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_FORMAT}]")
_INVISIBLE_BUT_NEWLINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}]")


def _written_out(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def visible(text: str, *, newlines: bool = False) -> str:
    """`text` with every control or invisible character written out; `newlines=True` keeps line breaks."""
    return (_INVISIBLE_BUT_NEWLINE if newlines else _INVISIBLE).sub(_written_out, text)
