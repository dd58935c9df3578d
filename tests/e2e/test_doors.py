"""No door speaks for another person: the REST channel, attacked on loopback against a
real Rasa server and a real action server.

* REST without the token, or with a wrong one, gets 401 and reaches nothing.
* REST with the token, aimed at another channel's conversation (``tg-…``, a web chat
  session id), gets 403 and creates no row in the tracker store.
"""
from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from tests.servers import REST_TOKEN, model_path, started, texts

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def steady(tmp_path_factory):
    server = started(model_path(), tmp_path_factory.mktemp("doors"))
    yield server
    server.stop()


def tracker_rows(data_dir: Path) -> dict[str, int]:
    """Rows in every table of the tracker store, by table."""
    db = sqlite3.connect(data_dir / "tracker.db")
    try:
        tables = [name for (name,) in db.execute(
            "select name from sqlite_master where type = 'table'")]
        return {table: db.execute(f'select count(*) from "{table}"').fetchone()[0]
                for table in tables}
    finally:
        db.close()


def rows_of(data_dir: Path, sender: str) -> int:
    db = sqlite3.connect(data_dir / "tracker.db")
    try:
        return db.execute("select count(*) from events where sender_id = ?",
                          (sender,)).fetchone()[0]
    finally:
        db.close()


# ----------------------------------------------------------------------------- REST

def test_rest_without_the_token_is_refused_before_anything_reaches_rasa(steady):
    steady.say("rest-owner", "hi")  # a REST conversation exists, so the store has rows
    before = tracker_rows(steady.data_dir)
    body = {"sender": "rest-owner", "message": "show my drafts"}
    for token in (None, "", "wrong-token-0123456789", REST_TOKEN + "x", REST_TOKEN[:-1]):
        response = steady.post_rest(body, token=token)
        assert response.status_code == 401, token
        assert "Authorization: Bearer" in response.json()["error"]
        assert "drafts" not in response.text.lower()
    # The token anywhere but the Authorization header does not count either.
    import requests
    url = f"{steady.url}/webhooks/rest/webhook"
    assert requests.post(url, params={"token": REST_TOKEN}, json=body).status_code == 401
    assert requests.post(url, json=body, headers={"Authorization": REST_TOKEN}).status_code == 401
    assert requests.get(f"{steady.url}/webhooks/rest/").status_code == 401
    assert tracker_rows(steady.data_dir) == before


@pytest.mark.parametrize("sender", [
    "tg-5151",                      # a Telegram user: their ids are no secret
    "TG-5151", " tg-5151", "tg-",   # near spellings of one
    uuid.uuid4().hex,               # a web chat session id
    uuid.uuid4().hex.upper(),
])
def test_rest_with_the_token_cannot_speak_for_another_channels_person(steady, sender):
    before = tracker_rows(steady.data_dir)
    for message in ("/save_draft", "show my drafts", "export my drafts", "hi"):
        response = steady.post_rest({"sender": sender, "message": message})
        assert response.status_code == 403, (sender, message)
        assert "belongs to the" in response.json()["error"]
    assert rows_of(steady.data_dir, sender) == 0
    assert tracker_rows(steady.data_dir) == before     # no row anywhere in the store


def test_rest_with_the_token_works_and_is_filed_as_rest_whatever_the_request_claims(steady):
    response = steady.post_rest({"sender": "rest-claims-telegram", "message": "hi",
                                 "input_channel": "telegram"})
    assert response.status_code == 200 and "not a therapist" in texts(response.json())
    events = steady.tracker("rest-claims-telegram")["events"]
    assert {e.get("input_channel") for e in events if e.get("event") == "user"} == {"rest"}


@pytest.mark.parametrize("body", [
    ["a list"], {"message": "no sender"}, {"sender": "", "message": "hi"},
    {"sender": 5151, "message": "hi"}, {"sender": "x" * 200, "message": "hi"},
    {"sender": "rest-bad", "message": {"text": "hi"}},
])
def test_malformed_rest_requests_get_a_clear_400(steady, body):
    response = steady.post_rest(body)
    assert response.status_code == 400 and response.json()["error"]
