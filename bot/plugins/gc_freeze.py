"""Keep Python's garbage collector from pausing a whole server for a third of a second.

Each server process holds a few hundred thousand long-lived objects once it has started
(TensorFlow, spaCy, Rasa and the model; the action server imports most of them too). Every
so often CPython's full ("generation 2") collection walks all of them looking for cycles: on
a 2-core machine that stopped the Rasa server for 350-400 ms and the action server for about
270 ms, several times a minute under load, and every conversation waiting at that moment
waited with it (the bench's p99 at 10 users was about 490 ms against a p95 of 140 ms).

Objects loaded at start live as long as the process, so once they are loaded they are moved
out of the collector's way with ``gc.freeze()``; whatever is made afterwards (conversations,
caches) is collected as before, and reference counting still frees everything at once.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> None:
    """Collect what is garbage now, then exempt every surviving object from later scans.

    Called again (a new model loaded into a running server), the earlier frozen objects are
    first handed back to the collector, so a replaced model's cycles can still be freed.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
