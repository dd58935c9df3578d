"""One person's slow database call does not hold up another person's reply.

The action server is one process with one event loop; the drafts store blocks (SQLAlchemy,
Fernet). Here the drafts database is really slow: another connection holds SQLite's write
lock, so one person's "save" waits on it. Meanwhile a second person goes on with their
reflection, which needs no database, and gets their replies at once.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from harness.servers import TO_THE_DRAFT, texts

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def steady(shared_steady):
    return shared_steady


def test_a_save_waiting_on_a_locked_database_does_not_delay_another_persons_reply(steady):
    saver, other = "slow-saver", "meanwhile"
    for turn in TO_THE_DRAFT:
        steady.say(saver, turn)
    lock = sqlite3.connect(steady.data_dir / "steady.db", timeout=30, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # the database is busy: every write waits for it
    saved: dict = {}

    def save() -> None:
        started = time.monotonic()
        saved["replies"] = texts(steady.say(saver, "/save_draft"))
        saved["seconds"] = time.monotonic() - started

    saving = threading.Thread(target=save)
    try:
        saving.start()
        time.sleep(1.0)  # the save has reached the action server and waits on the lock
        assert saving.is_alive()
        started = time.monotonic()
        replies = texts(steady.say(other, "she cancelled our plans an hour before"))
        other_seconds = time.monotonic() - started
        assert "alarm" in replies  # their reflection began
        assert saving.is_alive(), "the save did not wait on the locked database"
        # Well within the time the save is held: their reply did not queue behind it.
        assert other_seconds < 4.0
        time.sleep(2.0)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        saving.join(timeout=60)
    # Nothing was lost: the save went through once the database was free again.
    assert "Saved as draft #1" in saved["replies"]
    assert saved["seconds"] >= 3.0
