"""Lists of regular expressions kept as data (``bot/data/moment.yml``, ``bot/data/loved.yml``):
each entry matched case-insensitively with whole-word edges, a broken one refused at load
with the file, the list and the entry."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["compile_list"]


def compile_list(where: str, key: str, entries: Any) -> tuple[re.Pattern, ...]:
    """``entries`` (the list ``key`` of the file ``where``) compiled with whole-word edges."""
    compiled = []
    for entry in entries or []:
        if not isinstance(entry, str) or not entry.strip():
            raise ValueError(f"{where}: {key}: not a pattern: {entry!r}")
        try:
            compiled.append(re.compile(rf"(?<![\w']){entry}(?![\w'])", re.I))
        except re.error as error:
            raise ValueError(f"{where}: {key}: {entry!r}: {error}") from None
    return tuple(compiled)
