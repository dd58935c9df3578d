"""Jobs a long-running server repeats on its own (retention), not only once at start.

A server may run for months; what must expire (old drafts, old conversations) has to go
while it runs. Several servers may run the same job: each job is written so that running it
twice, or at the same moment on two servers, does no harm.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

logger = logging.getLogger(__name__)

HOUR = 3600.0


async def every(seconds: float, job: Callable[[], Any], what: str) -> None:
    """Run ``job`` now and then every ``seconds``, in a worker thread (it waits on a
    database, which must not hold up the conversations on the event loop). A failure is
    logged by its kind only (a message could quote someone's words) and tried again at the
    next turn."""
    loop = asyncio.get_running_loop()
    while True:
        try:
            await loop.run_in_executor(None, job)
        except Exception as error:  # noqa: BLE001 - the server must keep running
            logger.warning(
                "%s failed (%s); trying again in %.0f minutes.",
                what,
                type(error).__name__,
                seconds / 60,
            )
        await asyncio.sleep(seconds)
