"""The storage commands, in one place: ``python -m bot.storage.cli migrate|rotate-key``.

``migrate``     create the server key if needed, bring the drafts database to the newest
                revision and seal conversation events an earlier Steady stored in clear
                (``make run`` runs it before the servers start).
``rotate-key``  a new server key: every person's and conversation's key is re-wrapped with
                it, then the old one is gone (``make rotate-key``).

The top of the storage layers (engine <- keys <- migrate <- drafts <- cli): nothing in
``bot.storage`` imports this module.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.storage.cli", description=__doc__.splitlines()[0]
    )
    parser.add_argument("command", choices=["migrate", "rotate-key"])
    command = parser.parse_args(argv).command
    if command == "migrate":
        from bot.storage.migrate import main as migrate

        migrate()
        return 0
    from bot.storage.crypto import main as rotate

    return rotate(["rotate"])


if __name__ == "__main__":
    sys.exit(main())
