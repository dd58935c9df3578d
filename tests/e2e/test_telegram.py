"""Telegram end to end: real Rasa and action servers, our connector, a fake Bot API server.

The fake (tests/fakes/telegram_api.py) is the only stand-in: it sits where
api.telegram.org would, speaks the Bot API's JSON, and delivers webhook updates the way
Telegram does. Everything on our side of the wire is the real thing.
"""
from __future__ import annotations

import re
import sqlite3
import time

import pytest

from tests.fakes.telegram_api import (
    FakeTelegram, added_to_group_update, callback_update, edited_text_update, photo_update,
    sticker_update, text_update, voice_update,
)
from harness.servers import (
    TELEGRAM_SECRET as SECRET, TELEGRAM_WEBHOOK_PATH as WEBHOOK_PATH, bring_checkins_due,
    model_path, started, stored_drafts,
)

pytestmark = pytest.mark.e2e

STALE = "That button is from an earlier step."
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


def keyboard(message: dict) -> dict[str, str]:
    """Button title -> callback_data of a message's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


class Person:
    """A Telegram user in a private chat with the bot, talking through `deliver`."""

    def __init__(self, fake: FakeTelegram, user_id: int, deliver) -> None:
        self.fake, self.user_id, self.deliver = fake, user_id, deliver

    def _send(self, update: dict, replies_at_least: int = 1) -> list[dict]:
        before = len(self.fake.sent_messages(self.user_id))
        self.deliver(update)
        count = len(self.fake.wait_for_messages(self.user_id, before + replies_at_least))
        while True:  # the turn is over once no reply has come for a moment
            time.sleep(0.3)
            now = len(self.fake.sent_messages(self.user_id))
            if now == count:
                return self.fake.sent_messages(self.user_id)[before:]
            count = now

    def say(self, text: str) -> list[dict]:
        return self._send(text_update(self.user_id, text))

    def press(self, title: str, replies: list[dict], data: str | None = None) -> list[dict]:
        """Tap the button `title` under the last message of `replies` that has a keyboard
        (sending `data` instead of its callback_data, if given: a forged press)."""
        message = next(m for m in reversed(replies) if title in keyboard(m))
        return self._send(callback_update(self.user_id, data or keyboard(message)[title],
                                          message_id=message["message_id"],
                                          reply_markup=message["reply_markup"]))


def texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def settled(fake: FakeTelegram, chat_id: int, quiet: float = 0.5, timeout: float = 30) -> list:
    """The messages to `chat_id` once none has come for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    count = -1
    while time.monotonic() < deadline:
        now = len(fake.sent_messages(chat_id))
        if now == count:
            break
        count = now
        time.sleep(quiet)
    return fake.sent_messages(chat_id)


def wait_until(condition, timeout: float = 15, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(step)


def keyboard_removed(fake: FakeTelegram, chat_id: int, message_id: int) -> bool:
    return {"chat_id": chat_id, "message_id": message_id,
            "reply_markup": {"inline_keyboard": []}} in fake.calls_of("editMessageReplyMarkup")


def reflection_to_saved_draft(person: Person) -> str:
    """The whole exercise by typing and tapping; returns the draft that was saved."""
    assert "not a therapist" in texts(person.say("/start"))
    replies = person.say("my girlfriend didn't text me back all evening")
    assert "alarm" in texts(replies)
    replies = person.press("I'm ready", replies)
    assert "scared" in keyboard(replies[-1])
    replies = person.press("scared", replies)
    assert "fear" in texts(replies)
    replies = person.say("that she's pulling away from me")
    replies = person.press("Yes, part of me knows", replies)
    replies = person.press("reassurance", replies)
    replies = person.say("let me know if she'll be busy all evening")
    assert "So what happened was: you didn't text me back all evening" in texts(replies)
    replies = person.press("Yes", replies)
    draft = next(m["text"] for m in replies if m["text"].startswith("When you"))
    assert draft.startswith("When you didn't text me back all evening, I felt scared")
    replies = person.press("Save", replies)
    assert "Saved as draft #1" in texts(replies)
    assert "#1" in texts(person.say("/drafts"))
    return draft


def saved_drafts(steady) -> list[tuple]:
    return stored_drafts(steady.data_dir)


def user_texts(steady, sender: str) -> list[str]:
    return [e.get("text") for e in steady.tracker(sender)["events"] if e.get("event") == "user"]


# --------------------------------------------------------------------------- webhook mode

@pytest.fixture(scope="module")
def webhook(shared_steady):
    """The shared pair (tests/e2e/conftest.py): Telegram by webhook, with a secret."""
    return shared_steady.fake, shared_steady


def webhook_person(fake: FakeTelegram, user_id: int) -> Person:
    def deliver(update: dict) -> None:
        status, body = fake.post_update(update)
        assert status == 200, body
    return Person(fake, user_id, deliver)


def test_the_webhook_is_registered_with_a_secret_token(webhook):
    fake, steady = webhook
    assert fake.webhook["url"] == steady.url + WEBHOOK_PATH
    assert fake.webhook["secret_token"] == SECRET
    assert set(fake.webhook["allowed_updates"]) >= {"message", "callback_query"}
    fake.wait_for_call("setMyCommands")
    assert {c["command"] for c in fake.commands} == {"start", "help", "drafts", "loved",
                                                     "routines", "privacy", "partner", "delete",
                                                     "cancel"}
    fake.wait_for_call("getMe")  # once at start, for the link to a private chat
    assert len(fake.calls_of("getMe")) == 1  # never per update


def test_a_full_reflection_through_webhook_updates_and_inline_buttons_then_the_export(webhook):
    fake, steady = webhook
    person = webhook_person(fake, 5001)
    draft = reflection_to_saved_draft(person)
    assert ("telegram", "tg-5001", draft) in saved_drafts(steady)
    # Each press was answered (no endless spinner) and its keyboard taken away.
    assert len(fake.calls_of("answerCallbackQuery")) >= 5
    assert fake.calls_of("editMessageReplyMarkup")
    # Plain text only: the person's words are never parsed as HTML or Markdown.
    assert all("parse_mode" not in params for params in fake.calls_of("sendMessage"))

    # The export arrives as a Markdown file, not as a message full of literal '#'.
    replies = person.say("export my drafts")
    [document] = [m for m in replies if m["method"] == "sendDocument"]
    assert document["document"]["file_name"].endswith(".md")
    content = document["content"].decode()
    assert content.startswith("# My Steady drafts (exported ") and draft in content
    assert not any(m.get("text", "").startswith("#") for m in replies
                   if m["method"] == "sendMessage")
    # what sets the alarm off most points to a routine a couple can agree on (issue 18)
    assert "A routine that answers this one" in texts(person.say("what sets me off most?"))


def test_in_the_moment_by_tapping_the_sentence_then_later_then_back_to_it(webhook):
    """Written while it is happening (issue 18, part 1): the short path by taps, the sentence
    in both halves to say now, "Later, when I'm calmer"; then back to it at the need."""
    fake, steady = webhook
    person = webhook_person(fake, 5011)
    replies = person.say("she's been out with her ex for 3 hours and i'm pacing the flat")
    assert "It's happening right now" in texts(replies)
    replies = person.press("I'm ready", replies)
    replies = person.press("lonely", replies)
    replies = person.say("that she still has feelings for him")
    replies = person.press("Yes, part of me knows", replies)
    assert ("I'm feeling lonely right now that you still have feelings for him, even though a "
            "part of me knows that's not true.") in texts(replies)
    replies = person.press("Later, when I'm calmer", replies)
    assert "Come back when you're calmer" in texts(replies)
    replies = person.say("can we go back to the exercise")
    assert "reassurance" in keyboard(replies[-1])  # the need, with its buttons


def test_what_helps_me_feel_loved_by_command_and_taps_then_shared(webhook):
    """Issue 18, part 2: /loved, a kind tapped, the example typed, the list shared as a draft
    by taps, and the list in the exported file."""
    fake, steady = webhook
    person = webhook_person(fake, 5021)
    replies = person.say("/loved")
    assert "Let's make a short list of what helps you feel loved" in texts(replies)
    replies = person.press("Touch", replies)
    assert "Touch: what kind of touch" in texts(replies)
    replies = person.say("a long hug when she gets home")
    assert "• Touch: a long hug when she gets home" in texts(replies)
    replies = person.press("Share it with my partner", replies)
    assert "Touch helps me: a long hug when you get home." in texts(replies)
    assert "Change the feeling" not in keyboard(replies[-1])
    replies = person.press("Save", replies)
    assert "Saved as draft #1" in texts(replies)
    replies = person.say("export my drafts")
    [document] = [m for m in replies if m["method"] == "sendDocument"]
    content = document["content"].decode()
    assert "- Touch: a long hug when she gets home" in content
    assert "/loved" in texts(person.say("/nonsense"))  # the unknown-command answer lists it


def test_routines_we_agree_on_by_command_and_taps_then_where_one_stands(webhook):
    """Issue 18, part 3: /routines, a kind tapped, the description typed, the "Could we try
    …?" draft saved by a tap, where it stands told in words, and both in the exported file."""
    fake, steady = webhook
    person = webhook_person(fake, 5031)
    replies = person.say("/routines")
    assert "Small routines you both agree on can quiet the alarm" in texts(replies)
    assert list(keyboard(replies[-1])) == ["Daily check-in", "Heads-up when late",
                                           "Weekly time together", "Asking for space",
                                           "Our phrase for anxious moments"]
    replies = person.press("Heads-up when late", replies)
    assert "Heads-up when late: what would help? In your own words" in texts(replies)
    replies = person.say("he texts me if he'll be more than 30 minutes late")
    assert "Kept, as an idea." in texts(replies)
    draft = ("Could we try a heads-up when one of us is running late: you text me if you'll be "
             "more than 30 minutes late? I think it would help me feel steadier. I'd love to "
             "hear what would work for you too.")
    assert draft in [m.get("text") for m in replies]  # a message of its own, easy to copy
    assert list(keyboard(replies[-1])) == ["Save", "Rewrite it myself", "Discard"]
    replies = person.press("Save", replies)
    assert "Saved as draft #1" in texts(replies)
    assert ("telegram", "tg-5031", draft) in saved_drafts(steady)
    assert "Done: Heads-up when late is now proposed." in texts(
        person.say("I proposed the heads-up one"))
    listing = texts(person.say("/routines"))
    assert "1. Heads-up when late: he texts me if he'll be more than 30 minutes late (proposed)" \
        in listing
    replies = person.say("export my drafts")
    [document] = [m for m in replies if m["method"] == "sendDocument"]
    content = document["content"].decode()
    assert "## Routines we agree on" in content and draft in content
    assert "- Heads-up when late: he texts me if he'll be more than 30 minutes late (proposed)" \
        in content
    assert "/routines" in texts(person.say("/nonsense"))  # the unknown-command answer lists it


def test_a_reminder_arrives_as_a_message_at_its_time_once(webhook):
    """Issue 18, part 5: a reminder asked for after saving a draft (the zone asked once) is
    sent by the server as a message when it is due, with the draft in it, and only once."""
    fake, steady = webhook
    person = webhook_person(fake, 5041)
    draft = reflection_to_saved_draft(person)
    replies = person.say("remind me about it in 2 hours")
    assert "what time is it where you are" in texts(replies)
    told = texts(person.say("UTC"))
    assert "I'll remind you about draft #1 " in told and "your time. Say" in told
    assert "open the chat" not in told  # on Telegram it arrives by itself
    before = len(fake.sent_messages(5041))
    assert bring_checkins_due(steady.data_dir, "tg-5041") == 1
    arrived = fake.wait_for_messages(5041, before + 1, timeout=15)[before:]
    assert arrived[0]["text"].startswith(f'A reminder you asked for, about draft #1: "{draft}')
    time.sleep(2)  # a few more looks by the server: nothing more comes
    assert texts(fake.sent_messages(5041)[before:]).count("A reminder you asked for") == 1
    assert "no check-ins or reminders set" in texts(person.say("stop check-ins"))  # it was sent


def test_a_wrong_or_missing_secret_is_refused_and_reaches_no_one(webhook):
    fake, steady = webhook
    for secret in (False, "guess", SECRET + "x"):
        status, _ = fake.post_update(text_update(5002, "my husband ignored me"), secret=secret)
        assert status == 403
    assert fake.sent_messages(5002) == []
    assert user_texts(steady, "tg-5002") == []


def test_malformed_payloads_get_a_clear_error_and_break_nothing(webhook):
    fake, steady = webhook
    import requests
    url = steady.url + WEBHOOK_PATH
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert requests.post(url, data="{not json", headers=headers).status_code == 400
    assert requests.post(url, json=["a list"], headers=headers).status_code == 400
    assert requests.post(url, json={"message": {}}, headers=headers).status_code == 400
    # A well-formed update of a kind we do not use is acknowledged and ignored.
    assert requests.post(url, json={"update_id": 1, "poll": {}}, headers=headers).status_code == 200
    assert "not a therapist" in texts(webhook_person(fake, 5003).say("/start"))


def test_a_redelivered_update_is_handled_once(webhook):
    fake, steady = webhook
    update = text_update(5004, "he forgot our anniversary")
    for _ in range(2):
        assert fake.post_update(update)[0] == 200
    assert settled(fake, 5004)  # answered (once: the conversation says so)
    assert user_texts(steady, "tg-5004").count("he forgot our anniversary") == 1


def test_a_429_is_waited_out_and_the_reply_still_arrives(webhook):
    fake, steady = webhook
    fake.fail_next("sendMessage", times=1, retry_after=1, chat_id=5005)
    started_at = time.monotonic()
    replies = webhook_person(fake, 5005).say("/help")
    assert replies and time.monotonic() - started_at >= 1.0
    # Telegram's own help names the commands, the partner's page among them
    assert "/partner" in texts(replies) and "/drafts" in texts(replies)
    assert any(code == 429 for method, _, code, _ in fake.errors if method == "sendMessage")


def test_an_error_is_answered_and_the_update_acknowledged_not_retried(webhook):
    """Telegram keeps resending an update until it gets a 2xx: an error must not cause that."""
    fake, steady = webhook
    fake.fail_next("sendMessage", times=3, retry_after=1, chat_id=5008)  # every try fails
    status, _ = fake.post_update(text_update(5008, "/help"))
    assert status == 200
    [reply] = fake.wait_for_messages(5008, 1)
    assert "something went wrong on my side" in reply["text"]


def test_stickers_photos_voice_and_edits_get_a_kind_reply_not_silence(webhook):
    fake, steady = webhook
    person = webhook_person(fake, 5006)
    for update in (sticker_update(5006), photo_update(5006), voice_update(5006)):
        assert "only read text" in texts(person._send(update))
    assert "edited" in texts(person._send(edited_text_update(5006, "changed my mind")))
    assert "know /start, /help, /drafts, /loved, /routines, /privacy, /partner, /delete and /cancel" in texts(
        person.say("/unknown"))
    assert "know /start" in texts(person.say("/inform_feeling{\"feeling\": \"x\"}"))  # no intents
    assert user_texts(steady, "tg-5006") == []  # none of these reached the conversation


def test_privacy_answers_with_the_short_version_and_stays_out_of_the_conversation(webhook):
    fake, steady = webhook
    [reply] = webhook_person(fake, 5009).say("/privacy")
    assert "deleted 30 days after it happened" in reply["text"]
    assert "delete all my data" in reply["text"] and "Telegram keeps its own copy" in reply["text"]
    assert "/delete" in reply["text"]
    assert user_texts(steady, "tg-5009") == []


def test_partner_sends_the_page_for_the_partner_and_where_to_share_it(webhook):
    fake, steady = webhook
    guide, share = webhook_person(fake, 5016).say("/partner")
    assert "Validation before logic" in guide["text"] and "agreed phrase" in guide["text"]
    assert steady.url + "/partner" in share["text"]        # under the webhook's public host
    assert "It holds nothing about you" in share["text"]
    assert user_texts(steady, "tg-5016") == []              # not part of the conversation


def test_group_chats_get_one_refusal_with_a_private_link_and_the_bot_leaves(webhook):
    fake, steady = webhook
    group, supergroup = -100500, -1000000005007
    calls = len(fake.calls)
    for text in ("/start", "hello bot", "are you there?"):
        fake.post_update(text_update(5007, text, chat_type="group", chat_id=group))
    fake.post_update(added_to_group_update(5007, "supergroup", chat_id=supergroup))
    wait_until(lambda: len([p for name, p in fake.calls[calls:] if name == "leaveChat"]) >= 4)
    [reply] = fake.sent_messages(group)              # one refusal, not one per message
    assert "one to one" in reply["text"] and "https://t.me/steady_test_bot" in reply["text"]
    [reply] = fake.sent_messages(supergroup)
    assert "one to one" in reply["text"]
    assert {group, supergroup} <= fake.left_chats
    assert user_texts(steady, "tg-5007") == []


def test_a_photos_caption_is_read_as_the_message(webhook):
    fake, steady = webhook
    person = webhook_person(fake, 5015)
    replies = person._send(photo_update(5015, caption="he forgot our anniversary again"))
    assert "only read text" not in texts(replies)
    assert "he forgot our anniversary again" in user_texts(steady, "tg-5015")


def test_an_old_or_forged_button_is_refused_kindly_and_the_question_asked_again(webhook):
    fake, steady = webhook
    person = webhook_person(fake, 5010)
    first = person.say("my girlfriend didn't text me back all evening")
    second = person.press("I'm ready", first)
    question = second[-1]
    assert "scared" in keyboard(question)
    assert keyboard_removed(fake, 5010, first[-1]["message_id"])

    for stale in (lambda: person.press("I'm ready", first),               # an older keyboard
                  lambda: person.press("scared", [question], data="/save_draft")):  # forged
        replies = stale()
        assert [m.get("text") for m in replies] == [STALE, question["text"]]
        assert replies[1]["method"] == "copyMessage"                     # the question again
        assert keyboard(replies[1]) == keyboard(question)
        question = replies[1]
    assert user_texts(steady, "tg-5010") == ["my girlfriend didn't text me back all evening",
                                             "/done_pausing"]             # neither got in

    # Typing instead of pressing takes the keyboard away: it cannot be pressed later.
    assert "fear" in texts(person.say("scared"))
    assert keyboard_removed(fake, 5010, question["message_id"])
    assert texts(person.press("scared", [question]))[:len(STALE)] == STALE
    assert user_texts(steady, "tg-5010")[-1] == "scared"


def test_a_502_or_a_dropped_connection_on_sendmessage_still_delivers_the_reply(webhook):
    fake, steady = webhook
    for status in (502, 0):
        fake.fail_next("sendMessage", times=1, status=status, chat_id=5011)
        replies = webhook_person(fake, 5011).say("/help")
        assert "not a therapist" in texts(replies)
        assert any(code == status and params.get("chat_id") == 5011
                   for method, params, code, _ in fake.errors if method == "sendMessage")


def test_the_webhook_is_answered_at_once_and_the_update_handled_after(webhook):
    fake, steady = webhook
    fake.fail_next("sendMessage", times=1, retry_after=2, chat_id=5012)
    status, _ = fake.post_update(text_update(5012, "/help"))
    assert status == 200 and fake.sent_messages(5012) == []   # answered before the reply
    [reply] = fake.wait_for_messages(5012, 1)
    assert "not a therapist" in reply["text"]


def test_cancel_stops_the_current_step_and_delete_asks_first(webhook):
    fake, steady = webhook
    person = webhook_person(fake, 5013)
    replies = person.say("my boyfriend didn't call me back last night")
    assert "I'm ready" in keyboard(replies[-1])
    assert "stop here" in texts(person.say("/cancel"))
    assert keyboard_removed(fake, 5013, replies[-1]["message_id"])
    replies = person.say("/delete")
    assert "Yes, delete everything" in keyboard(replies[-1])      # asked, nothing deleted yet
    assert "haven't deleted anything" in texts(person.press("No, keep it", replies))
    assert user_texts(steady, "tg-5013")[-3:] == ["/stop", "/delete_all_data", "/deny"]


def test_a_start_deep_link_links_accounts_and_delete_then_removes_both(webhook):
    """t.me/<bot>?start=CODE: Telegram sends "/start CODE"; it links like a typed code,
    even in the middle of a reflection (the code is never taken as an answer there)."""
    fake, steady = webhook
    rest = "rest-5014"
    code = CODE.search(texts(steady.say(rest, "link my accounts"))).group()
    person = webhook_person(fake, 5014)
    replies = person.say("my girlfriend didn't text me back all evening")
    assert "I'm ready" in keyboard(replies[-1])
    linked = person.say(f"/start {code.replace('-', '')}")
    assert "Linked" in texts(linked) and "Type the code" not in texts(linked)
    people = sqlite3.connect(steady.data_dir / "steady.db")
    [(person_id,)] = set(people.execute(
        "select person_id from identities where user_id in (?, ?)", (rest, "tg-5014")))

    replies = person.say("/delete")
    assert "every linked chat" in texts(person.press("Yes, delete everything", replies))
    assert people.execute("select count(*) from identities where user_id in (?, ?)",
                          (rest, "tg-5014")).fetchone()[0] == 0


def test_rest_cannot_read_or_write_a_telegram_users_conversation(webhook):
    """The issue that found the open REST door: a Telegram user's ids are no secret, and
    REST (even with the host's token) must not be a way into their conversation."""
    fake, steady = webhook
    person = webhook_person(fake, 5151)
    person.say("/start")
    replies = person.say("he forgot our anniversary, the one thing i asked him to remember")
    assert "I'm ready" in keyboard(replies[-1])        # the reflection has begun
    events_before = len(steady.tracker("tg-5151")["events"])
    for message in ("/save_draft", "show my drafts", "export my drafts", "/skip"):
        response = steady.post_rest({"sender": "tg-5151", "message": message})
        assert response.status_code == 403
        assert "anniversary" not in response.text
    assert len(steady.tracker("tg-5151")["events"]) == events_before  # nothing typed in
    assert "rest" not in {e.get("input_channel") for e in steady.tracker("tg-5151")["events"]}
    # The person carries on where they were, undisturbed.
    assert "scared" in keyboard(person.press("I'm ready", replies)[-1])


def test_a_flooding_telegram_user_is_asked_to_slow_down_and_others_are_answered(webhook):
    from concurrent.futures import ThreadPoolExecutor

    from bot.limits import SLOW_DOWN

    fake, steady = webhook
    updates = [text_update(5200, f"he still hasnt answered {i}") for i in range(40)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda update: fake.post_update(update)[0], updates))
    assert statuses == [200] * 40               # acknowledged: Telegram must not redeliver
    fake.wait_for_messages(5200, 1)
    assert "not a therapist" in texts(webhook_person(fake, 5201).say("/start"))
    told = [m for m in settled(fake, 5200) if m["text"] == SLOW_DOWN]
    assert len(told) == 1                       # told once, not once per message
    handled = [t for t in user_texts(steady, "tg-5200") if t.startswith("he still hasnt")]
    assert 1 <= len(handled) <= 12              # the budget (10), and what refilled meanwhile


def test_an_address_sending_wrong_secrets_is_cut_off_and_telegram_is_not(webhook):
    import http.client
    import json
    from urllib.parse import urlparse

    fake, steady = webhook
    url = urlparse(steady.url)

    def post_from(address: str, secret: str) -> int:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30,
                                                source_address=(address, 0))
        try:
            connection.request("POST", WEBHOOK_PATH, json.dumps(text_update(5300, "hi")),
                               {"Content-Type": "application/json",
                                "X-Telegram-Bot-Api-Secret-Token": secret})
            return connection.getresponse().status
        finally:
            connection.close()

    statuses = [post_from("127.0.0.3", f"guess-{i}") for i in range(80)]
    assert statuses[0] == 403 and statuses[-1] == 429
    assert post_from("127.0.0.3", SECRET) == 429   # even the right secret, for a while
    assert user_texts(steady, "tg-5300") == []
    # Telegram itself (here 127.0.0.1) is still delivered to.
    assert "not a therapist" in texts(webhook_person(fake, 5301).say("/start"))


# --------------------------------------------------------------------------- polling mode

@pytest.fixture(scope="module")
def polling(tmp_path_factory):
    fake = FakeTelegram().start()
    fake.webhook = {"url": "https://stale.example/hook"}  # left over from a server deployment
    steady = started(model_path(), tmp_path_factory.mktemp("telegram-polling"), {
        "TELEGRAM_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
    })
    yield fake, steady
    steady.stop()
    fake.stop()


def test_a_full_reflection_through_getupdates_polling(polling):
    fake, steady = polling
    fake.wait_for_call("getUpdates")
    assert fake.calls_of("deleteWebhook") and fake.webhook is None  # polling needs it gone
    person = Person(fake, 6001, fake.queue_update)
    draft = reflection_to_saved_draft(person)
    assert ("telegram", "tg-6001", draft) in saved_drafts(steady)
    # The offset confirms what was handled, so Telegram drops it instead of redelivering.
    last = max(params.get("offset") or 0 for params in fake.calls_of("getUpdates"))
    assert last > 0


def test_polling_survives_a_429_on_getupdates(polling):
    fake, steady = polling
    fake.fail_next("getUpdates", times=2, retry_after=1)
    replies = Person(fake, 6002, fake.queue_update).say("/start")
    assert "not a therapist" in texts(replies)


def test_one_chats_429_wait_never_delays_another_chat(polling):
    fake, steady = polling
    fake.fail_next("sendMessage", times=1, retry_after=3, chat_id=6003)
    fake.queue_update(text_update(6003, "/help"))
    wait_until(lambda: any(code == 429 and params.get("chat_id") == 6003
                           for method, params, code, _ in fake.errors))
    fake.queue_update(text_update(6004, "/help"))
    fake.wait_for_messages(6004, 1, timeout=10)
    assert fake.sent_messages(6003) == []             # chat A is still waiting out its 429
    assert "not a therapist" in fake.wait_for_messages(6003, 1, timeout=10)[0]["text"]


# --------------------------------------------------------------- one person, two channels

def test_linking_telegram_and_rest_then_deleting_everything_everywhere(webhook):
    """Two identities become one person by a one-time code; "delete all my data" then
    removes the drafts, both conversations and the person's key (checked in the files)."""
    fake, steady = webhook
    person = webhook_person(fake, 5100)
    reflection_to_saved_draft(person)
    code = next(m["text"] for m in person.say("link my accounts") if re.fullmatch(
        r"[A-Z0-9]{4}-[A-Z0-9]{4}", m["text"]))

    rest = "rest-5100"
    assert "code" in texts_of(steady.say(rest, "I have a code from telegram"))
    assert "didn't match" in texts_of(steady.say(rest, "ABCD-EFGH"))      # a wrong one first
    assert "Linked" in texts_of(steady.say(rest, code))
    listing = texts_of(steady.say(rest, "show my drafts"))
    assert "When you didn't text me back all evening" in listing           # Telegram's draft

    db = steady.data_dir
    assert sqlite3.connect(db / "keys.db").execute(
        "select count(*) from person_keys").fetchone()[0] >= 1
    steady.say(rest, "delete all my data")
    assert "every linked chat" in texts_of(steady.say(rest, "/confirm_delete_all"))
    people = sqlite3.connect(db / "steady.db")
    assert people.execute("select count(*) from identities where user_id in (?, ?)",
                          (rest, "tg-5100")).fetchone()[0] == 0
    tracker = sqlite3.connect(db / "tracker.db")
    assert tracker.execute("select count(*) from events where sender_id in (?, ?)",
                           (rest, "tg-5100")).fetchone()[0] == 0
    assert "don't have any saved drafts" in texts(person.say("/drafts"))


def texts_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)
