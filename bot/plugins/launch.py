"""How every Rasa server of Steady's starts: ``python -m bot.plugins.launch run …``.

Any ``rasa`` command line works (``run``, ``shell``, ``test`` …). Before Rasa reads it:

* the speed-ups (``bot.plugins.speedups``) are checked against this Rasa and installed,
  unless ``STEADY_SPEEDUPS=0``; a Rasa they were not written for stops the start with a
  message that says what differs;
* for a server (``run``, ``shell``), the endpoints file must name Steady's tracker store
  (``bot.storage.tracker_store.SteadyTrackerStore`` or a subclass), and it is imported
  here, so that if it cannot be, the server stops with the error. Rasa itself would log a
  warning and keep every conversation in memory, unsaved, with the server up.

The action server (``rasa run actions``) needs neither and starts as Rasa starts it.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Optional, Sequence

_SERVERS = ("run", "shell")


def prepare(argv: Sequence[str]) -> None:
    """What has to happen in this process before Rasa reads ``argv``."""
    if list(argv[:2]) == ["run", "actions"]:
        return
    from bot.plugins import speedups

    speedups.install()
    if argv[:1] and argv[0] in _SERVERS:
        check_tracker_store(_option(argv, "--endpoints", "endpoints.yml"))


def _option(argv: Sequence[str], name: str, default: str) -> str:
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return default


def check_tracker_store(endpoints: str) -> None:
    """Stop unless ``endpoints`` names Steady's tracker store and it imports (fails loudly,
    never falls back to conversations kept in memory)."""
    import yaml

    from bot.storage.tracker_store import SteadyTrackerStore

    path = Path(endpoints)
    kind = None
    if path.is_file():
        kind = (
            (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
        ).get("type")
    store = None
    if isinstance(kind, str) and "." in kind:
        module, _, name = kind.rpartition(".")
        store = getattr(importlib.import_module(module), name, None)
    if not (isinstance(store, type) and issubclass(store, SteadyTrackerStore)):
        raise SystemExit(
            f"{endpoints}: tracker_store type is {kind!r}, not Steady's "
            "(bot.storage.tracker_store.SteadyTrackerStore). Rasa would keep conversations "
            "elsewhere, unsealed or in memory only; the server does not start."
        )


def main(argv: Optional[Sequence[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    prepare(argv)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main()
