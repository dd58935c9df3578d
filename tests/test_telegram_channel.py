"""The Telegram connector's parts, against the fake Bot API server (no Rasa here).

The end-to-end tests (tests/e2e/test_telegram.py) run the same behaviours through real Rasa
and action servers; these check the edges that are slow or awkward to reach there: every kind
of failed send, bounded memory, lanes, and what is said when nothing is known.
"""
from __future__ import annotations

import asyncio

import pytest

from bot.channels.telegram import (
    EXPORT_HEADING, REPLIES, ChatLanes, Questions, TelegramOutput, UpdateHandler, export_filename,
    inline_keyboard, is_export, link_code_from,
)
from bot.channels.telegram_api import BotAPI, TelegramError
from bot.review import format_export
from tests.fakes.telegram_api import (
    FakeTelegram, added_to_group_update, callback_update, photo_update, text_update,
)

QUICK = (0.01, 0.02, 0.03)  # retry pauses for these tests: the schedule, not the wait, is tested


@pytest.fixture(scope="module")
def fake():
    server = FakeTelegram(max_poll_timeout=0.5).start()
    yield server
    server.stop()


def run(coroutine_function, fake: FakeTelegram, **api_options):
    """Run ``coroutine_function(api)`` with a client of the fake, closed afterwards."""
    async def main():
        api = BotAPI(fake.token, fake.base_url, retry_delays=QUICK, **api_options)
        try:
            return await coroutine_function(api)
        finally:
            await api.close()
    return asyncio.run(main())


# ------------------------------------------------------------------------- sends are not lost

@pytest.mark.parametrize("status", [502, 503, 504, 500, 0])
def test_a_send_that_fails_on_the_way_is_tried_again_and_delivered(fake, status):
    chat = 900 + status
    fake.fail_next("sendMessage", times=2, status=status, chat_id=chat)
    message = run(lambda api: api.send_message(chat, "still here"), fake)
    assert message["text"] == "still here"
    assert [m["text"] for m in fake.sent_messages(chat)] == ["still here"]
    assert [code for method, params, code, _ in fake.errors
            if params.get("chat_id") == chat] == [status, status]


def test_a_send_gives_up_after_its_tries_and_a_request_error_is_not_tried_again(fake):
    fake.fail_next("sendMessage", times=10, status=502, chat_id=950)
    with pytest.raises(TelegramError) as failed:
        run(lambda api: api.send_message(950, "lost?"), fake)
    assert failed.value.code == 502 and "nginx" not in str(failed.value)
    assert len([p for p in fake.calls_of("sendMessage") if p.get("chat_id") == 950]) == 4
    fake.fail_next("sendMessage", times=0, chat_id=950)

    with pytest.raises(TelegramError) as refused:  # our fault (empty text): once is enough
        run(lambda api: api.send_message(951, "   "), fake)
    assert refused.value.code == 400
    assert len([p for p in fake.calls_of("sendMessage") if p.get("chat_id") == 951]) == 1


def test_get_updates_leaves_failures_to_the_poller(fake):
    fake.fail_next("getUpdates", times=1, status=502)
    with pytest.raises(TelegramError) as failed:
        run(lambda api: api.get_updates(None, 0, ["message"]), fake)
    assert failed.value.code == 502
    assert run(lambda api: api.get_updates(None, 0, ["message"]), fake) == []


def test_a_document_is_uploaded_as_multipart_and_tried_again_too(fake):
    fake.fail_next("sendDocument", times=1, status=0, chat_id=960)
    content = "# My drafts\n\nWhen you …, I felt …\n".encode()
    message = run(lambda api: api.send_document(960, "steady.md", content), fake)
    assert message["document"]["file_name"] == "steady.md"
    assert message["document"]["file_size"] == len(content)
    [sent] = fake.sent_messages(960)
    assert sent["content"] == content and sent["document"]["mime_type"] == "text/markdown"


# ----------------------------------------------------------------------- small pure pieces

def test_deep_link_payloads_become_link_codes_as_typed():
    assert link_code_from("ABCDEFGH") == "ABCD-EFGH"
    assert link_code_from("abcd-efgh") == "ABCD-EFGH"
    assert link_code_from("some_other-payload") == "some_other-payload"
    assert link_code_from("x" * 64) == "x" * 64
    for bad in ("x" * 65, "ABCD EFGH", "ABCD+EFGH", "<script>", ""):
        assert link_code_from(bad) is None


def test_the_export_is_recognised_and_named_as_a_markdown_file():
    export = format_export([])
    assert is_export(export) and export.startswith(EXPORT_HEADING)
    assert EXPORT_HEADING.startswith("# ")
    assert not is_export("Here are all 2 of your drafts, ready to copy (Markdown):")
    assert not is_export("# My Steady drafts")  # a person's words echoed back are not it
    assert export_filename().endswith(".md") and export_filename().startswith("steady-drafts-")


def test_only_the_latest_turns_buttons_count_and_memory_stays_bounded():
    questions = Questions(chats=3, per_chat=2)
    yes = inline_keyboard([{"title": "Yes", "payload": "/affirm"}])
    questions.sent(1, 10, yes)
    assert questions.accepts(1, 10, "/affirm")
    assert not questions.accepts(1, 10, "/deny")          # never sent
    assert not questions.accepts(1, 11, "/affirm")        # another message
    assert not questions.accepts(2, 10, "/affirm")        # another chat
    assert questions.new_turn(1) == [10]                  # its keyboards, to take away
    assert not questions.accepts(1, 10, "/affirm")        # an earlier step now
    questions.sent(1, 20, yes)
    questions.sent(1, 21)                                 # the question, after its keyboard
    assert questions.current(1) == (21, None)
    questions.moved(1, 21, 30)
    assert questions.current(1) == (30, None) and questions.accepts(1, 20, "/affirm")
    for message_id in (40, 41, 42):
        questions.sent(1, message_id, yes)
    assert questions.keyboards(1) == [41, 42]             # per_chat keyboards at most
    for chat in (2, 3, 4):
        questions.sent(chat, 1, yes)
    assert questions.current(1) is None and not questions.accepts(1, 42, "/affirm")  # forgotten


def test_lanes_keep_each_chats_order_and_never_make_one_chat_wait_for_another():
    async def main():
        done, release = [], asyncio.Event()

        async def work(item):
            chat, n = item
            if chat == "A" and n == 1:
                await release.wait()          # chat A is stuck (a 429 wait, a slow answer)
            done.append(item)

        lanes = ChatLanes(work, max_pending=10)
        for item in [("A", 1), ("A", 2), ("B", 1), ("B", 2)]:
            lanes.submit(item[0], item)
        await asyncio.sleep(0.05)
        assert done == [("B", 1), ("B", 2)] and lanes.pending == 2
        release.set()
        await lanes.idle()
        assert done[2:] == [("A", 1), ("A", 2)] and lanes.pending == 0
        assert not lanes.full
    asyncio.run(main())


# -------------------------------------------------------------- the handler, Rasa left out

class Bot:
    """Stands where Rasa's on_new_message is: asks one question with buttons per message."""

    def __init__(self):
        self.heard = []

    async def __call__(self, message):
        self.heard.append(message.text)
        await message.output_channel.send_text_with_buttons(
            message.sender_id, "Ready?", [{"title": "Yes", "payload": "/affirm"}])


def handled(fake: FakeTelegram, updates):
    """Feed ``updates`` to a fresh UpdateHandler, one by one."""
    bot = Bot()

    async def main(api):
        handler = UpdateHandler(api, bot)
        for update in updates:
            fake._register(update)             # the fake learns chats and callback ids
            await handler.handle(update)
        return handler
    handler = run(main, fake)
    return bot, handler


def test_a_press_nothing_is_known_about_gets_a_kind_word_and_is_not_an_answer(fake):
    """After a restart the record is empty: every old button is from an earlier step."""
    bot, _ = handled(fake, [callback_update(970, "/affirm")])
    assert bot.heard == []
    assert [m["text"] for m in fake.sent_messages(970)] == [REPLIES["stale_unknown"]]


def test_a_caption_is_read_and_typing_takes_the_old_keyboard_away(fake):
    bot, handler = handled(fake, [text_update(971, "he went quiet"),
                                  photo_update(971, caption="after our fight")])
    assert bot.heard == ["he went quiet", "after our fight"]
    first = fake.sent_messages(971)[0]["message_id"]
    assert {"chat_id": 971, "message_id": first,
            "reply_markup": {"inline_keyboard": []}} in fake.calls_of("editMessageReplyMarkup")


def test_a_group_gets_one_refusal_then_the_bot_leaves(fake):
    group = -971_000
    bot, _ = handled(fake, [added_to_group_update(972, chat_id=group),
                            text_update(972, "/start", chat_type="group", chat_id=group),
                            callback_update(972, "/affirm", chat_id=group, chat_type="group")])
    assert bot.heard == []
    [refusal] = fake.sent_messages(group)
    assert "one to one" in refusal["text"] and "https://t.me/steady_test_bot" in refusal["text"]
    assert group in fake.left_chats


def test_the_output_sends_the_export_as_a_file_and_falls_back_to_text(fake):
    export = format_export([])

    async def main(api):
        await TelegramOutput(api, 973).send_text_message("tg-973", export)
        fake.fail_next("sendDocument", times=1, status=429)  # attempts=1: no second try
        await TelegramOutput(api, 974).send_text_message("tg-974", export)
    run(main, fake, attempts=1)
    [document] = fake.sent_messages(973)
    assert document["method"] == "sendDocument" and document["content"] == export.encode()
    assert document["document"]["file_name"].endswith(".md")
    [as_text] = fake.sent_messages(974)
    assert as_text["method"] == "sendMessage" and as_text["text"] == export.strip()
