"""How every Rasa server of Steady's starts: ``python -m bot.plugins.launch run …``.

Any ``rasa`` command line works (``run``, ``shell``, ``test`` …). Before Rasa reads it:

* the speed-ups (``bot.plugins.speedups``) are checked against this Rasa and installed,
  unless ``STEADY_SPEEDUPS=0``; a Rasa they were not written for stops the start with a
  message that says what differs;
* for a server (``run``, ``shell``), Steady's tracker store is imported here, so that if it
  cannot be, the server stops with the error. Rasa itself would log a warning and keep
  every conversation in memory, unsaved, with the server up.

The action server (``rasa run actions``) needs neither and starts as Rasa starts it.
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence

_SERVERS = ("run", "shell")


def prepare(argv: Sequence[str]) -> None:
    """What has to happen in this process before Rasa reads ``argv``."""
    if list(argv[:2]) == ["run", "actions"]:
        return
    from bot.plugins import speedups

    speedups.install()
    if argv[:1] and argv[0] in _SERVERS:
        import bot.storage.tracker_store  # noqa: F401  (fails loudly, never falls back)


def main(argv: Optional[Sequence[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    prepare(argv)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main()
