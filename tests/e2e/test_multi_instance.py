"""Several Rasa servers, one action server, PostgreSQL and Redis: Steady scaled out.

Conversations whose messages alternate between two Rasa servers (sharing the tracker
store in PostgreSQL and the lock store in Redis) each reach a saved draft, with no lost,
reordered or duplicated events and no duplicate drafts, also after one server is killed
mid-way and the rest of every conversation goes to the other.
"""
from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import create_engine, text

from harness.servers import TO_THE_DRAFT, model_path, started, texts

pytestmark = pytest.mark.e2e

POSTGRES = os.environ.get("STEADY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("STEADY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# One whole reflection, as typed and pressed over REST.
TURNS = ["hi", *TO_THE_DRAFT, "/save_draft"]


@pytest.fixture(scope="module")
def database():
    """A PostgreSQL database of this run's own, for drafts and the tracker store."""
    name = f"steady_mi_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f"create database {name}"))
    except Exception as error:  # the machines provide PostgreSQL; say so loudly if not
        pytest.fail(f"PostgreSQL at {POSTGRES} is not usable: {error}")
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(text(
            f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"))
        connection.execute(text(f"drop database if exists {name}"))
    admin.dispose()


@pytest.fixture(scope="module")
def cluster(database, tmp_path_factory):
    try:
        redis.Redis.from_url(REDIS).ping()
    except Exception as error:
        pytest.fail(f"Redis at {REDIS} is not reachable: {error}")
    steady = started(model_path(), tmp_path_factory.mktemp("cluster"), {
        "STEADY_DATABASE_URL": database,
        "STEADY_TRACKER_STORE_URL": database,
        "STEADY_LOCK_STORE_URL": REDIS,
    }, rasa_servers=2)
    yield steady
    steady.stop()


def converse(steady, sender: str, servers: list[int]) -> list[str]:
    """Send TURNS, turn i to servers[i]; return the bot's last reply text."""
    replies: list[dict] = []
    for turn, server in zip(TURNS, servers):
        replies = steady.say(sender, turn, server=server)
    return texts(replies)


def user_turns(steady, sender: str) -> list[str]:
    events = steady.tracker(sender)["events"]
    return [event["text"] for event in events if event.get("event") == "user"]


def draft_count(database: str, sender: str) -> int:
    engine = create_engine(database, future=True)
    with engine.connect() as connection:
        count = connection.execute(text(
            "select count(*) from drafts d join identities i on i.person_id = d.person_id "
            "where i.user_id = :sender"), {"sender": sender}).scalar_one()
    engine.dispose()
    return count


def test_conversations_alternating_between_two_servers_then_one_killed(cluster, database):
    import yaml

    endpoints = yaml.safe_load((cluster.data_dir / "endpoints.yml").read_text())
    assert endpoints["lock_store"]["type"] == "redis"       # both servers share Redis's lock
    people = [f"mi-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    alternating = [index % 2 for index in range(len(TURNS))]

    # Four people at once, every message to the other server than the last.
    with ThreadPoolExecutor(max_workers=4) as pool:
        endings = list(pool.map(lambda sender: converse(cluster, sender, alternating), people))
    for sender, ending in zip(people, endings):
        assert "Saved as draft #1" in ending
        assert user_turns(cluster, sender) == TURNS          # nothing lost, nothing reordered
        assert draft_count(database, sender) == 1              # and saved exactly once

    # Two more people start on both servers; server 1 dies half-way; server 0 carries on.
    late = [f"mi-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    half = len(TURNS) // 2
    for sender in late:
        for turn, server in zip(TURNS[:half], alternating):
            cluster.say(sender, turn, server=server)
    cluster.kill_rasa(1)
    for sender in late:
        replies = []
        for turn in TURNS[half:]:
            replies = cluster.say(sender, turn, server=0)
        assert "Saved as draft #1" in texts(replies)
        assert user_turns(cluster, sender) == TURNS
        assert draft_count(database, sender) == 1
