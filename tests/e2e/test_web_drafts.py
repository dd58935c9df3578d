"""The drafts view beside the web chat, in a real headless Chromium against real servers.

The same person and the same drafts as in the chat (the one draft store): the list with its
full texts and filters, the patterns summary, Copy, Edit (the chat's own edit flow), Mark as
sent, Archive, Delete (asked first), and the Markdown export as a file; axe-core finds no
critical or serious violation. A second person, with their own session, can neither read
nor change the first one's drafts by naming their numbers or their session, and a socket
without a session gets nothing.

Shares the Rasa server of ``test_webchat.py`` (its ``steady`` fixture). The last test asks
:class:`bot.channels.web_drafts.WebDrafts` directly, with no server.
"""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.web_drafts import WebDrafts, store_from_settings
from bot.storage import StorageUnavailable
# test_webchat skips (the whole of this module too) where Playwright is missing.
from tests.e2e.test_webchat import ARTIFACTS, Chat, axe, browser, steady  # noqa: F401 - fixtures

from playwright.sync_api import expect  # noqa: E402 - after the skip above

DRAFTS = [  # (trigger, text), oldest first: numbers 1, 2, 3
    ("late_without_notice", "When you got home at ten without a text, I felt scared. "
                            "Could you send a quick text when you're running late?"),
    ("cancelled_plans", "When you cancelled our dinner an hour before, I felt lonely.\n"
                        "Could we pick another evening this week?"),
    ("cancelled_plans", "When you called off the weekend trip, I felt hurt."),
]


def seed(data_dir, session_id: str) -> None:
    """Drafts saved for this browser's session, straight into the store the servers use."""
    from bot.storage import DraftStore

    store = DraftStore(f"sqlite:///{data_dir / 'steady.db'}")
    try:
        for trigger, text in DRAFTS:
            store.save_draft("webchat", session_id, text=text, trigger_type=trigger,
                             feeling="scared", situation="a situation")
    finally:
        store.engine.dispose()


def statuses(data_dir, session_id: str) -> dict:
    from bot.storage import DraftStore

    store = DraftStore(f"sqlite:///{data_dir / 'steady.db'}")
    try:
        return {d.number: d.status for d in store.list_drafts("webchat", session_id)}
    finally:
        store.engine.dispose()


def shown_numbers(page) -> list[int]:
    return [int(n) for n in page.locator(".sc-draft").evaluate_all(
        "items => items.map(i => i.getAttribute('data-number'))")]


def draft_button(page, number: int, name: str):
    return page.locator(f".sc-draft[data-number='{number}'] button", has_text=name)


# Another person's page, trying the socket directly with socket.io-client (already loaded).
INTRUDER = """async (victim) => {
  const socket = io(location.origin, {path: "/socket.io/", forceNew: true});
  await new Promise((resolve) => socket.on("connect", resolve));
  const ask = (data) => socket.timeout(10000).emitWithAck("drafts", data);
  const found = {};
  found.before_session = await ask({op: "list"});
  socket.emit("session_request", {session_id: null});
  found.session = await new Promise((resolve) => socket.once("session_confirm", resolve));
  found.list = await ask({op: "list", session_id: victim, sender: victim, user_id: victim});
  found.export = await ask({op: "export", session_id: victim});
  found.delete = await ask({op: "delete", number: 1, session_id: victim});
  found.archive = await ask({op: "set_status", number: 2, status: "archived", session_id: victim});
  found.nonsense = await ask({op: "delete", number: "1 OR 1=1"});
  socket.disconnect();
  return found;
}"""


@pytest.mark.e2e
def test_the_drafts_view_is_the_persons_own_and_only_theirs(steady, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    chat = Chat(page, f"{steady.url}/chat").open()
    chat.wait_for_bot("not a therapist")
    session = chat.session_id()
    seed(steady.data_dir, session)

    page.click("role=tab[name='My drafts']")
    page.locator(".sc-draft").nth(2).wait_for()
    assert shown_numbers(page) == [3, 2, 1]  # newest first
    assert page.locator(".sc-draft[data-number='2'] .sc-draft-text").inner_text() == DRAFTS[1][1]
    assert "cancelled plans (twice)" in page.inner_text(".sc-patterns")
    assert axe(page, "drafts view") == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-drafts.png"))

    # Filters: by trigger, by status.
    page.select_option("select >> nth=1", "cancelled_plans")
    expect(page.locator(".sc-draft")).to_have_count(2)
    assert shown_numbers(page) == [3, 2]
    page.select_option("select >> nth=1", "")
    expect(page.locator(".sc-draft")).to_have_count(3)

    # Copy: the full text, exactly.
    draft_button(page, 2, "Copy").click()
    page.locator(".sc-drafts-status", has_text="Copied draft #2").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == DRAFTS[1][1]

    # Mark as sent, Archive: in the store, and the status filter finds them.
    draft_button(page, 1, "Mark as sent").click()
    page.locator(".sc-drafts-status", has_text="Marked draft #1 as sent").wait_for()
    draft_button(page, 2, "Archive").click()
    page.locator(".sc-drafts-status", has_text="Archived draft #2").wait_for()
    assert statuses(steady.data_dir, session) == {1: "sent", 2: "archived", 3: "draft"}
    page.select_option("select >> nth=0", "sent")
    expect(page.locator(".sc-draft")).to_have_count(1)
    assert shown_numbers(page) == [1]
    page.select_option("select >> nth=0", "")
    expect(page.locator(".sc-draft")).to_have_count(3)

    # Delete asks first; "No, keep it" keeps it; "Yes, delete it" deletes it.
    draft_button(page, 3, "Delete").click()
    assert "Delete draft #3 for good?" in page.inner_text(".sc-draft[data-number='3']")
    assert axe(page, "drafts view, asking before deleting") == []
    page.keyboard.press("Enter")  # focus is on "No, keep it"
    assert statuses(steady.data_dir, session)[3] == "draft"
    draft_button(page, 3, "Delete").click()
    draft_button(page, 3, "Yes, delete it").click()
    page.locator(".sc-drafts-status", has_text="Deleted draft #3").wait_for()
    assert statuses(steady.data_dir, session) == {1: "sent", 2: "archived"}
    assert shown_numbers(page) == [2, 1]

    # Export: one Markdown file, downloaded.
    with page.expect_download() as download:
        page.click("text=Export as Markdown")
    exported = download.value
    assert exported.suggested_filename.startswith("steady-drafts-")
    assert exported.suggested_filename.endswith(".md")
    markdown = open(exported.path(), encoding="utf-8").read()
    assert markdown.startswith("# My Steady drafts")
    assert DRAFTS[0][1] in markdown and DRAFTS[1][1] in markdown and DRAFTS[2][1] not in markdown

    # The chat sees the same drafts; Edit goes to the chat's own edit flow.
    draft_button(page, 1, "Edit").click()
    assert page.locator("role=tab[name='Chat']").get_attribute("aria-selected") == "true"
    page.locator(Chat.MINE, has_text="edit draft 1").wait_for()
    chat.wait_for_bot("Draft #1 reads")
    chat.wait_for_bot("Type the message")
    chat.type("stop")
    chat.type("show my drafts")
    listing = chat.wait_for_bot("Your drafts")
    assert "#1 · " in listing and "#2 · " in listing and "#3 · " not in listing

    # Another person: their own empty view, and the socket gives them nothing of the first.
    other = browser.new_context().new_page()
    stranger = Chat(other, f"{steady.url}/chat").open()
    stranger.wait_for_bot("not a therapist")
    other.click("role=tab[name='My drafts']")
    other.locator(".sc-drafts-status", has_text="No saved drafts yet").wait_for()
    assert other.locator(".sc-draft").count() == 0
    found = other.evaluate(INTRUDER, session)
    assert found["before_session"] == {"ok": False, "error": "no_session"}
    assert found["session"] != session
    assert found["list"]["ok"] and found["list"]["drafts"] == []
    assert found["export"]["count"] == 0 and DRAFTS[0][1] not in found["export"]["markdown"]
    assert found["delete"] == {"ok": False, "error": "not_found"}
    assert found["archive"] == {"ok": False, "error": "not_found"}
    assert found["nonsense"] == {"ok": False, "error": "bad_request"}
    assert statuses(steady.data_dir, session) == {1: "sent", 2: "archived"}  # untouched
    assert not chat.errors and not stranger.errors and not chat.dialogs
    other.context.close()
    context.close()


def test_web_drafts_answers_for_the_session_it_is_given_and_nobody_else(store):
    """The drafts view's requests, without a browser: one person's numbers reach only their
    own drafts; malformed requests are refused; no unwrapped key stays in memory."""
    ana, ben = "a" * 32, "b" * 32
    for trigger, text in DRAFTS:
        store.save_draft("webchat", ana, text=text, trigger_type=trigger)
    store.save_draft("telegram", "tg-1", text="someone else's")
    drafts = WebDrafts(store)

    def handled(session: str, request) -> dict:
        # In a thread of its own: Playwright's sync API may hold this thread's event loop.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, drafts.handle(session, request)).result()

    def ask(session: str, **request) -> dict:
        return handled(session, request)

    listed = ask(ana, op="list")
    assert [d["number"] for d in listed["drafts"]] == [3, 2, 1]
    assert listed["drafts"][1]["text"] == DRAFTS[1][1]
    assert listed["drafts"][1]["trigger_label"] == "cancelled plans"
    assert "cancelled plans (twice)" in listed["patterns"]
    assert {"value": "cancelled_plans", "label": "cancelled plans"} in listed["triggers"]
    assert [d["number"] for d in ask(ana, op="list", trigger="cancelled_plans")["drafts"]] == [3, 2]
    assert ask(ana, op="set_status", number=1, status="sent") == {"ok": True, "error": None}
    assert [d["number"] for d in ask(ana, op="list", status="sent")["drafts"]] == [1]
    assert ask(ana, op="delete", number=3) == {"ok": True, "error": None}
    exported = ask(ana, op="export")
    assert exported["count"] == 2 and exported["markdown"].startswith("# My Steady drafts")
    assert re.fullmatch(r"steady-drafts-\d{4}-\d\d-\d\d\.md", exported["filename"])
    assert not store._keys  # forgotten after every request

    # Another session: nothing to read, nothing to change, whatever it names.
    assert ask(ben, op="list", session_id=ana)["drafts"] == []
    assert ask(ben, op="export")["count"] == 0
    for number in (1, 2, "2"):
        assert ask(ben, op="delete", number=number) == {"ok": False, "error": "not_found"}
        assert ask(ben, op="set_status", number=number, status="archived")["ok"] is False
    assert [d.status for d in store.list_drafts("webchat", ana)] == ["draft", "sent"]
    assert store.get_draft("telegram", "tg-1", 1).text == "someone else's"

    # Nonsense is refused, never guessed at.
    for request in ({"op": "delete", "number": True}, {"op": "delete", "number": "1 OR 1=1"},
                    {"op": "delete", "number": -1}, {"op": "set_status", "number": 1,
                                                     "status": "deleted"},
                    {"op": "set_status", "number": 1}):
        assert ask(ana, **request) == {"ok": False, "error": "bad_request"}
    assert ask(ana, op="drop_tables") == {"ok": False, "error": "unknown_op"}
    assert handled(ana, ["list"]) == {"ok": False, "error": "bad_request"}
    assert ask(ana, op="list", status="everything", trigger="<script>")["drafts"]  # no filter

    # A Rasa server given a tracker database but not the drafts database refuses, rather
    # than showing an empty SQLite file of its own.
    with pytest.raises(StorageUnavailable):
        store_from_settings({"STEADY_TRACKER_STORE_URL": "postgresql://steady@db/steady"})
