"""Check-ins delivered by the channels (in the Rasa server).

* Telegram: at their time. Every Rasa server with Telegram on looks for due check-ins
  every ``STEADY_CHECKIN_SECONDS`` (60) and sends each one it claims; the store lets only
  one server claim each (``bot.storage.checkins``), so two servers never send one twice.
* The web chat and REST: at the person's next visit (a web page opened; over REST, a
  message, looked for at most every ``STEADY_CHECKIN_SECONDS`` for one person, so a
  conversation under way costs no database query per message), before the answer. The web
  page acknowledges each one it shows; only then is it counted as delivered.

A check-in that cannot be sent now (Telegram down, a 429) goes back for the next look; one
Telegram refuses for good (the person blocked the bot) is not tried again. Nothing a
person wrote is logged: failures are logged by their kind.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Awaitable, Callable, Dict, List, Optional, Sequence, Set, Tuple

from bot.checkins import DRAFT, WEEKLY, after_weekly, message_for
from bot.storage.checkins import CheckinRecord

logger = logging.getLogger(__name__)

#: This server, as it claims check-ins (host, process, and a random part: a restarted
#: process never takes over a claim of the one before it).
WORKER = f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
DEFAULT_SECONDS = 60.0


def interval(environ=None) -> float:
    """Seconds between two looks for due check-ins (``STEADY_CHECKIN_SECONDS``)."""
    raw = (os.environ if environ is None else environ).get("STEADY_CHECKIN_SECONDS", "")
    try:
        value = float(raw) if raw else DEFAULT_SECONDS
    except ValueError:
        logger.warning("STEADY_CHECKIN_SECONDS is not a number: using %.0f", DEFAULT_SECONDS)
        return DEFAULT_SECONDS
    return max(0.2, value)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Courier:
    """Claims due check-ins and says what each one says. Blocking (the store): call it in a
    worker thread from the event loop."""

    def __init__(self, make_store: Callable[[], object], clock: Callable[[], datetime] = _now):
        self._make_store = make_store
        self._store: Optional[object] = None
        self.clock = clock
        self.warned = False
        # its own two threads: looks waiting on a locked database never take the threads
        # the server's other work (the tracker store) runs in
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="checkins")
        # when each person's check-ins were last looked for, on this server (monotonic)
        self.looked: "OrderedDict[Tuple[str, str], float]" = OrderedDict()
        # the people whose look at a visit waits for the interval to pass (the web chat)
        self.waiting: Set[Tuple[str, str]] = set()
        # check-ins being given back per person: that person's next look waits for them,
        # so the next message shows what a late look claimed (one thread may lag the other)
        self.giving_back: Dict[Tuple[str, str], List["Future[None]"]] = {}

    @property
    def store(self):  # a DraftStore (typed loosely: it is made on first use)
        if self._store is None:
            self._store = self._make_store()
        return self._store

    def text_of(self, record: CheckinRecord) -> str:
        if record.kind == WEEKLY:
            return message_for(WEEKLY)
        draft = self.store.get_draft(record.channel, record.user_id, record.draft_number)
        return message_for(DRAFT, record.draft_number, draft.text if draft else None)

    def due(
        self,
        channels: Optional[Sequence[str]] = None,
        identity: Optional[Tuple[str, str]] = None,
    ) -> List[Tuple[CheckinRecord, str]]:
        records = self.store.claim_due(self.clock(), WORKER, channels=channels, identity=identity)
        try:
            return [(record, self.text_of(record)) for record in records]
        except Exception:  # claimed but not composed: back for the next look, not in 10 min
            for record in records:
                self.store.release_checkin(record.id, WORKER)
            raise
        finally:
            if records:  # a reminder's draft was unsealed: no key stays in this server
                self.store.forget_keys()

    def delivered(self, record: CheckinRecord) -> None:
        """Sent: done, or (weekly) due again at its weekday and hour after now."""
        next_due = None
        if record.kind == WEEKLY:
            next_due = after_weekly(record.due_at, record.zone, record.quiet, self.clock())
        self.store.finish_checkin(record.id, WORKER, next_due)

    def failed(self, record: CheckinRecord) -> None:
        self.store.release_checkin(record.id, WORKER)


LOOKED = 10_000  # people whose last look is remembered


def _due_a_look(courier: Courier, key: Tuple[str, str], every: float) -> bool:
    """Whether to look in the database for this person now: once every ``every`` seconds
    at most, so a conversation under way costs no query per message."""
    last = courier.looked.get(key)
    if last is not None and time.monotonic() - last < every:
        return False
    _note_a_look(courier, key)
    return True


def _note_a_look(courier: Courier, key: Tuple[str, str]) -> None:
    courier.looked[key] = time.monotonic()
    courier.looked.move_to_end(key)
    while len(courier.looked) > LOOKED:
        courier.looked.popitem(last=False)


Found = List[Tuple[CheckinRecord, str]]


async def looked_for(
    courier: Optional[Courier], channel: str, user_id: str, every: Optional[float] = None
) -> Found:
    """A person's due check-ins, claimed (not yet delivered: :func:`with_the_answer` says
    whether they went). With ``every``: looked for at most that often for one person, as
    for every message over REST. Nothing when the store is down (the conversation goes on:
    the check-ins wait for the next look)."""
    if courier is None:
        return []
    if every is not None and not _due_a_look(courier, (channel, user_id), every):
        return []
    try:
        for pending in courier.giving_back.pop((channel, user_id), []):
            await asyncio.wrap_future(pending)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(courier.pool, courier.due, None, (channel, user_id))
    except Exception as error:  # noqa: BLE001 - never in the way of the conversation
        if not courier.warned:  # once: a store that is down is down for every message
            logger.warning("Check-ins at a visit failed (%s)", type(error).__name__)
            courier.warned = True
        return []


async def with_the_answer(
    courier: Courier,
    looking: "asyncio.Future[Found]",
    channel: str,
    user_id: str,
    wait: float = 1.0,
    shown: bool = True,
) -> List[str]:
    """What to show with this answer: the look started beside the message
    (:func:`looked_for`), waited for at most ``wait`` seconds more, so a slow or locked
    database never holds up the reply. What it found is counted as delivered with the
    answer; what a look finds after the answer went is given back at once (and the next
    message looks again whatever the interval says), so nothing waits in this server's
    memory or is lost when it restarts. ``shown=False``: nothing goes with this answer (a
    refusal); what the look found is given back."""
    key = (channel, user_id)

    def give_back(task: "asyncio.Future[Found]") -> None:
        if task.cancelled() or task.exception() is not None or not task.result():
            return
        courier.looked.pop(key, None)
        pending = [courier.pool.submit(_quietly, courier.failed, r) for r, _ in task.result()]
        courier.giving_back[key] = courier.giving_back.get(key, []) + pending
        if len(courier.giving_back) > LOOKED:  # people who never came back: forget the done
            for person, steps in list(courier.giving_back.items()):
                if all(step.done() for step in steps):
                    del courier.giving_back[person]

    done, _ = await asyncio.wait({looking}, timeout=wait)
    if looking not in done or not shown:
        looking.add_done_callback(give_back)  # at once if it is done
        return []
    found = looking.result()
    if found:
        loop = asyncio.get_running_loop()
        for record, _ in found:
            await loop.run_in_executor(courier.pool, _quietly, courier.delivered, record)
    return [text for _, text in found]


def _quietly(step: Callable[[CheckinRecord], None], record: CheckinRecord) -> None:
    """A check-in counted or given back; a store that fails now leaves the claim to its
    lease (taken again after it), and says so by its kind only."""
    try:
        step(record)
    except Exception as error:  # noqa: BLE001 - the answer has gone; nothing to tell
        logger.warning("A check-in could not be updated (%s)", type(error).__name__)


Send = Callable[[CheckinRecord, str], Awaitable[None]]
Temporary = Callable[[Exception], Optional[bool]]


async def deliver_due(courier: Courier, channel: str, send: Send, temporary: Temporary) -> int:
    """One look: send each due check-in of ``channel`` this server claims; how many went."""
    loop = asyncio.get_running_loop()
    found = await loop.run_in_executor(courier.pool, courier.due, [channel])
    return await _hand_over(courier, found, send, temporary)


async def _hand_over(
    courier: Courier, found: List[Tuple[CheckinRecord, str]], send: Send, temporary: Temporary
) -> int:
    """Send each claimed check-in: counted as delivered once sent (or refused for good),
    given back for the next look when ``temporary`` says so; how many went."""
    sent = 0
    loop = asyncio.get_running_loop()
    for record, text in found:
        try:
            await send(record, text)
        except Exception as error:  # noqa: BLE001 - one failure must not stop the others
            if temporary(error):
                logger.warning("A check-in could not be sent now (%s)", type(error).__name__)
                await loop.run_in_executor(courier.pool, courier.failed, record)
                continue
            logger.warning("A check-in was refused for good (%s)", type(error).__name__)
        await loop.run_in_executor(courier.pool, courier.delivered, record)
        sent += 1
    return sent


async def shown_at_visit(
    courier: Optional[Courier], channel: str, user_id: str, show: Send, every: float
) -> int:
    """A visit on a channel whose client says it has the message (the web chat's
    acknowledgement): each due check-in of this person is claimed and handed to ``show``,
    and counted as delivered only once ``show`` returns; one it could not hand over (the
    page closed or reconnected meanwhile, no acknowledgement) goes back, and is looked for
    again at the next visit whatever ``every`` says. A visit sooner than ``every`` after
    the last look waits for its turn (one waits per person; the others add nothing). A
    store that is down or locked is logged (its kind only) and the visit goes on; how many
    were shown."""
    key = (channel, user_id)
    if courier is None or key in courier.waiting:
        return 0  # a look for this visit is already waiting for its turn
    last = courier.looked.get(key)
    if last is not None and time.monotonic() - last < every:
        # a visit right after a look (a page reloaded, a socket reconnecting) is looked
        # for when the interval is up, not skipped: what came due meanwhile is shown now
        courier.waiting.add(key)
        try:
            await asyncio.sleep(every - (time.monotonic() - last))
        finally:
            courier.waiting.discard(key)
    _note_a_look(courier, key)
    loop = asyncio.get_running_loop()
    try:
        found = await loop.run_in_executor(courier.pool, courier.due, None, key)
        shown = await _hand_over(courier, found, show, lambda error: True)
    except Exception as error:  # noqa: BLE001 - never in the way of the conversation
        logger.warning("Check-ins at a visit failed (%s)", type(error).__name__)
        courier.looked.pop(key, None)
        return 0
    if shown < len(found):
        courier.looked.pop(key, None)
    return shown


async def keep_delivering(
    courier: Courier, channel: str, send: Send, temporary: Temporary, seconds: float
) -> None:
    """Look for due check-ins every ``seconds`` while the server runs."""
    while True:
        try:
            await deliver_due(courier, channel, send, temporary)
        except Exception as error:  # noqa: BLE001 - the server keeps running
            logger.warning("Delivering check-ins failed (%s); trying again", type(error).__name__)
        await asyncio.sleep(seconds)
