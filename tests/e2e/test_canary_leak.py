"""A test that finds any leak: canary words through everything a person does, then a scan.

One person uses Steady over REST, in the web chat (headless Chromium, over the socket) and
in Telegram (the fake Bot API): in each a whole reflection, a rewrite, saving, listing,
opening, editing, exporting, and linking the three chats into one person. Every word they
type carries a random canary no one else has ever written. Then every file of the data
directory (databases, write-ahead logs, journals, keys, the servers' logs at the default
level) and the model and cache folders are read byte by byte, and on PostgreSQL every table
row: no canary may be found in clear, nor base64-encoded. Last, "delete all my data", after
which a backup taken just before opens nothing, even with the server key.

Run on SQLite files and on PostgreSQL. What stays in clear on purpose is the person's own
copy: the browser's local storage and Telegram's copy of the chat (README, "What Steady
stores"); neither is on the server.
"""
from __future__ import annotations

import base64
import os
import re
import secrets
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import InvalidToken

from tests.e2e.test_telegram import Person, webhook_person
from tests.e2e.test_webchat import Chat, browser  # noqa: F401 - the fixture
from tests.fakes.telegram_api import FakeTelegram
from harness.servers import ROOT, buttons, model_path, started, texts

pytestmark = pytest.mark.e2e

pytest.importorskip("playwright.sync_api")

POSTGRES = os.environ.get("STEADY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Letters whose pairs and triples English (and so the model's training examples) hardly
# uses: a canary adds almost no feature the model knows. The messages around them were
# chosen among those the model reads the same way whatever canary they carry (checked with
# many): some answers sit so close to "show my drafts" that any extra word tips them.
RARE_LETTERS = "jqvxz"
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")
# Folders of the repository Rasa or Steady could write into besides the data directory.
MODEL_AND_CACHE = [ROOT / "models", ROOT / ".rasa", Path.home() / ".rasa", ROOT / "results"]


def canary() -> str:
    """A made-up word (13 letters, about 1.2e9 possibilities), new for every run."""
    return "".join(secrets.choice(RARE_LETTERS) for _ in range(13))


def forms(word: str) -> list[bytes]:
    """The word as bytes, and the parts of its base64 encodings that do not depend on what
    comes before or after it (at each of the three alignments; both alphabets)."""
    found = [word.encode()]
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * shift + word.encode())
            found.append(encoded[4:-4] if shift else encoded[:-4])
    return found


def leaks(canaries: dict, blobs: dict) -> list[str]:
    return [f"{name} ({which}) found in {where}"
            for where, blob in blobs.items()
            for which, word in canaries.items()
            for name, form in zip(["clear"] + ["base64"] * 6, forms(word)) if form in blob]


def files_under(*folders: Path) -> dict:
    return {str(path): path.read_bytes() for folder in folders if folder.exists()
            for path in folder.rglob("*") if path.is_file()}


def table_rows(url: str) -> dict:
    """Every row of every table of a PostgreSQL database, as text."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            return {f"{url.rsplit('/', 1)[1]}.{table}": "\n".join(
                " ".join(map(str, row)) for row in connection.execute(
                    sa.text(f'select * from "{table}"'))).encode() for table in tables}
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- the servers

@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def steady(request, tmp_path_factory):
    fake = FakeTelegram().start()
    env = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url,
           "TELEGRAM_WEBHOOK_URL": "http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook",
           "TELEGRAM_WEBHOOK_SECRET": "canary-secret",
           # This person answers faster than anyone types: flood limits are not under test.
           "STEADY_SESSION_LIMIT": "off", "STEADY_ADDRESS_LIMIT": "off"}
    databases = []
    if request.param == "postgresql":
        admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT", future=True)
        try:
            with admin.connect() as connection:
                for purpose in ("steady", "keys"):
                    name = f"canary_{purpose}_{uuid.uuid4().hex[:8]}"
                    connection.execute(sa.text(f"create database {name}"))
                    databases.append(POSTGRES.rsplit("/", 1)[0] + f"/{name}")
        except Exception as error:  # the machines provide PostgreSQL; say so loudly if not
            pytest.fail(f"PostgreSQL at {POSTGRES} is not usable: {error}")
        env.update(STEADY_DATABASE_URL=databases[0], STEADY_TRACKER_STORE_URL=databases[0],
                   STEADY_KEYS_URL=databases[1])
    servers = started(model_path(), tmp_path_factory.mktemp(f"canary-{request.param}"), env)
    fake.wait_for_call("setWebhook")
    servers.fake, servers.databases = fake, databases
    yield servers
    servers.stop()
    fake.stop()
    if databases:
        with admin.connect() as connection:
            for url in databases:
                name = url.rsplit("/", 1)[1]
                connection.execute(sa.text(
                    f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"))
                connection.execute(sa.text(f"drop database if exists {name}"))
        admin.dispose()


# --------------------------------------------------------------------------- one person

def over_rest(steady, sender: str, c: dict) -> str:
    """A whole reflection, a rewrite, save, list, open, edit, export; returns a link code."""
    say = lambda message: steady.say(sender, message)  # noqa: E731
    assert "not a therapist" in texts(say(f"hi, {c['rest_greeting']} here"))
    assert "I'm ready" in buttons(say(
        f"my boyfriend got home at midnight from {c['rest_situation']} without texting me"))
    say("/done_pausing")
    say("scared")
    say(f"that he's losing interest in me and {c['rest_fear']}")
    say("/affirm")
    say('/inform_need{"need": "reassurance"}')
    assert "Is that it?" in texts(say(f"could you text me when you leave {c['rest_request']}"))
    assert "How would you put" in texts(say("/deny"))          # their own words, kept exactly
    draft = texts(say(f"you got home at midnight from {c['rest_situation']} without texting me"))
    assert c["rest_situation"] in draft and c["rest_request"] in draft
    assert "Type the message" in texts(say("/rewrite_draft"))
    assert c["rest_rewrite"] in texts(say(f"When you got home late from {c['rest_rewrite']}, I felt scared."))
    assert "Saved as draft #1" in texts(say("/save_draft"))
    assert c["rest_rewrite"] in texts(say("show my drafts"))
    assert c["rest_rewrite"] in texts(say("open draft 1"))
    assert "Type the message" in texts(say("edit draft 1"))
    assert c["rest_edit"] in texts(say(f"When you came home late from {c['rest_edit']}, I felt scared."))
    assert "Updated draft #1" in texts(say("/save_draft"))
    assert c["rest_edit"] in texts(say("export my drafts"))
    return CODE.search(texts(say("link my accounts"))).group()


def in_telegram(person: Person, c: dict, code: str) -> None:
    replies = person.say(f"my girlfriend stopped replying to my texts after {c['tg_situation']}")
    replies = person.press("I'm ready", replies)
    replies = person.press("scared", replies)
    replies = person.say(f"that she's losing interest in me and {c['tg_fear']}")
    replies = person.press("Yes, part of me knows", replies)
    replies = person.press("reassurance", replies)
    replies = person.say(f"could you text me when you leave {c['tg_request']}")
    replies = person.press("Yes", replies)
    replies = person.press("Rewrite it myself", replies)
    replies = person.say(f"When you stopped replying after {c['tg_rewrite']}, I felt scared.")
    assert any(c["tg_rewrite"] in m["text"] for m in replies)
    assert "Saved as draft #1" in texts_of(person.press("Save", replies))
    assert c["tg_rewrite"] in texts_of(person.say("/drafts"))
    assert c["tg_rewrite"] in texts_of(person.say("open draft 1"))
    person.say("edit draft 1")
    replies = person.say(f"When you went quiet after {c['tg_edit']}, I felt scared.")
    assert "Updated draft #1" in texts_of(person.press("Save", replies))
    assert c["tg_edit"] in texts_of(person.say("export my drafts"))
    person.say("I have a code")
    assert "Linked" in texts_of(person.say(code))


def in_the_browser(browser, url: str, c: dict) -> str:
    context = browser.new_context()
    chat = Chat(context.new_page(), f"{url}/chat").open()
    chat.wait_for_bot("not a therapist")
    chat.type(f"he stopped replying to my texts after {c['web_situation']}")
    chat.wait_for_bot("alarm")
    chat.click("I'm ready")
    chat.click("scared")
    chat.wait_for_bot("What story is the fear telling you")
    chat.type(f"that he's bored of me and {c['web_fear']}")
    chat.click("Yes, part of me knows")
    chat.click("reassurance")
    chat.wait_for_bot("small, concrete request")
    chat.type(f"could you text me when you leave {c['web_request']}")
    chat.wait_for_bot("Is that it?")
    chat.click("Yes")
    wait_for_nth(chat, "Nothing is ever sent to your partner", 1)
    chat.click("Rewrite it myself")
    chat.wait_for_bot("Type the message")
    chat.type(f"When you stopped replying after {c['web_rewrite']}, I felt scared.")
    wait_for_nth(chat, "Nothing is ever sent to your partner", 2)
    chat.click("Save")
    chat.wait_for_bot("Saved as draft #1")
    chat.type("open draft 1")
    chat.wait_for_bot("What would you like to do with it")
    chat.type("edit draft 1")
    chat.wait_for_bot("Type the message")
    chat.type(f"When you went quiet after {c['web_edit']}, I felt scared.")
    wait_for_nth(chat, "Nothing is ever sent to your partner", 3)  # the third draft on offer
    chat.click("Save")
    chat.wait_for_bot("Updated draft #1")
    chat.type("export my drafts")
    chat.wait_for_bot("My Steady drafts")
    wait_for_nth(chat, c["web_edit"], 2)  # shown when edited, then in the export
    chat.type("link my accounts")
    chat.wait_for_bot("if the other chat gave you a code")
    code = next(CODE.search(text).group() for text in chat.bot_texts() if CODE.search(text))
    context.close()
    return code


def wait_for_nth(chat: Chat, fragment: str, count: int) -> None:
    chat.page.locator(Chat.BOT, has_text=fragment).nth(count - 1).wait_for()


def texts_of(messages: list) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def test_no_canary_is_stored_or_logged_in_clear_anywhere(steady, browser):
    c = {f"{channel}_{what}": canary() for channel in ("rest", "tg", "web")
         for what in ("greeting", "situation", "fear", "request", "rewrite", "edit")}
    rest, telegram_user = f"canary-{uuid.uuid4().hex[:8]}", 7000 + secrets.randbelow(1000)
    code = over_rest(steady, rest, c)
    in_telegram(webhook_person(steady.fake, telegram_user), c, code)
    web_code = in_the_browser(browser, steady.url, c)
    assert "code" in texts(steady.say(rest, "I have a code"))
    assert "Linked" in texts(steady.say(rest, web_code))
    listing = texts(steady.say(rest, "show my drafts"))
    assert all(c[f"{channel}_edit"] in listing for channel in ("rest", "tg", "web"))  # one person

    blobs = files_under(steady.data_dir, *MODEL_AND_CACHE)
    expected = ["logs/rasa.log", "logs/actions.log"] + (
        [] if steady.databases else ["steady.db", "keys.db", "tracker.db", "tracker.db-wal"])
    assert all(str(steady.data_dir / name) in blobs for name in expected)
    for url in steady.databases:
        blobs.update(table_rows(url))
    scanned_tables = {name.split(".")[1] for name in blobs if "/" not in name}
    assert not steady.databases or {"events", "drafts", "identities", "person_keys"} <= scanned_tables
    assert leaks(c, blobs) == []
    # The scan does see canaries where they are meant to be: Telegram's copy of the chat.
    telegram_copy = texts_of(steady.fake.sent_messages(telegram_user)).encode()
    assert leaks({"tg_edit": c["tg_edit"]}, {"Telegram": telegram_copy}) == [
        "clear (tg_edit) found in Telegram"]

    # "Delete all my data": a backup taken just before opens nothing, even with the server key.
    backup = sealed_rows(steady)
    assert backup
    assert "Yes, delete everything" in buttons(steady.say(rest, "delete all my data"))
    assert "every linked chat" in texts(steady.say(rest, "/confirm_delete_all"))
    keyring = server_keyring(steady)
    with keyring.engine.connect() as connection:
        holders = list(connection.execute(sa.text("select person_id from person_keys")).scalars())
    for row in backup:
        for holder in holders:
            with pytest.raises(InvalidToken):
                keyring.get(holder).decrypt(row.encode())
    assert leaks(c, files_under(steady.data_dir)) == []


def sealed_rows(steady) -> list[str]:
    """The conversation rows as a backup of the tracker database holds them."""
    url = steady.databases[0] if steady.databases else f"sqlite:///{steady.data_dir / 'tracker.db'}"
    if not steady.databases:  # SQLite's own online backup (the file alone misses the log)
        import sqlite3

        copy = steady.data_dir.parent / f"{steady.data_dir.name}-backup.db"
        with sqlite3.connect(steady.data_dir / "tracker.db") as source, sqlite3.connect(copy) as target:
            source.backup(target)
        url = f"sqlite:///{copy}"
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text("select data from events")).scalars())
    finally:
        engine.dispose()


def server_keyring(steady):
    from bot.storage.crypto import KeyRing, load_server_keys
    from bot.storage.engine import make_engine

    keys_url = steady.databases[1] if steady.databases else f"sqlite:///{steady.data_dir / 'keys.db'}"
    return KeyRing(make_engine(keys_url), load_server_keys(None, steady.data_dir / "secret.key"))
