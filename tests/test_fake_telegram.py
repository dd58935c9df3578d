"""The fake Telegram Bot API behaves like the real one where the Telegram e2e tests rely on it."""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.fakes.telegram_api import (
    SECRET_HEADER,
    FakeTelegram,
    callback_update,
    edited_text_update,
    photo_update,
    sticker_update,
    text_update,
    voice_update,
)

# No proxies: an HTTP_PROXY in the environment must not capture 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def tg():
    fake = FakeTelegram(max_poll_timeout=1.0).start()
    yield fake
    fake.stop()


def _open(request: urllib.request.Request) -> tuple[int, dict]:
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def api(fake: FakeTelegram, method: str, token: str | None = None, **params) -> tuple[int, dict]:
    """Call the fake like the connector does: POST a JSON body."""
    url = f"{fake.base_url}/bot{token or fake.token}/{method}"
    return _open(urllib.request.Request(url, data=json.dumps(params).encode(),
                                        headers={"Content-Type": "application/json"}))


def api_form(fake: FakeTelegram, method: str, **params) -> tuple[int, dict]:
    """Call the fake with a form-encoded body, as some clients do."""
    url = f"{fake.base_url}/bot{fake.token}/{method}"
    return _open(urllib.request.Request(url, data=urllib.parse.urlencode(params).encode()))


def test_get_me_returns_the_bot_user(tg):
    status, body = api(tg, "getMe")
    assert status == 200 and body["ok"] is True
    assert body["result"]["is_bot"] is True
    assert body["result"]["username"] == "steady_test_bot"
    assert body["result"]["id"] == int(tg.token.split(":")[0])
    assert tg.calls == [("getMe", {})]


def test_wrong_token_is_unauthorized_and_unknown_method_not_found(tg):
    assert api(tg, "getMe", token="987654321:AAwrongTOKEN") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert api(tg, "sendTelepathy", chat_id=1) == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})


def test_get_updates_confirms_updates_below_offset(tg):
    first = tg.queue_update(text_update(42, "/start"))
    second = tg.queue_update(text_update(42, "hello"))
    assert second["update_id"] > first["update_id"]

    _, body = api(tg, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [first["update_id"], second["update_id"]]
    # Without a higher offset nothing is confirmed: the same updates come again.
    _, body = api(tg, "getUpdates", offset=first["update_id"])
    assert len(body["result"]) == 2
    # offset = first + 1 confirms (drops) the first one for good.
    _, body = api(tg, "getUpdates", offset=first["update_id"] + 1)
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]
    _, body = api(tg, "getUpdates", offset=0)
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]
    _, body = api(tg, "getUpdates", offset=second["update_id"] + 1)
    assert body == {"ok": True, "result": []}


def test_get_updates_shapes_and_limit(tg):
    update = tg.queue_update(text_update(42, "/start now"))
    tg.queue_update(text_update(42, "second"))
    _, body = api(tg, "getUpdates", limit=1)
    assert body["result"] == [update]
    message = update["message"]
    assert message["from"] == {"id": 42, "is_bot": False, "first_name": "Sam",
                               "language_code": "en"}
    assert message["chat"] == {"id": 42, "first_name": "Sam", "type": "private"}
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert isinstance(message["date"], int)


def test_long_poll_returns_as_soon_as_an_update_is_queued(tg):
    timer = threading.Timer(0.3, tg.queue_update, [text_update(7, "hi")])
    timer.start()
    started = time.monotonic()
    status, body = api(tg, "getUpdates", timeout=30)
    elapsed = time.monotonic() - started
    assert status == 200 and [u["message"]["text"] for u in body["result"]] == ["hi"]
    # It waited for the update (queued at 0.3 s): a lower bound, which a busy machine cannot
    # break; that it did not wait out its 30-second timeout is the update in the answer.
    assert elapsed > 0.25


def test_long_poll_is_capped_and_does_not_block_other_requests(tg):
    results = {}
    poller = threading.Thread(target=lambda: results.update(poll=api(tg, "getUpdates", timeout=50)))
    started = time.monotonic()
    poller.start()
    tg.wait_for_call("getUpdates", timeout=5)
    assert api(tg, "getMe")[0] == 200
    assert poller.is_alive()  # getMe was answered while the poll still waited
    poller.join(timeout=10)   # capped at max_poll_timeout=1, not the 50 s asked for
    assert not poller.is_alive()
    assert results["poll"] == (200, {"ok": True, "result": []})
    assert time.monotonic() - started > 0.9


def test_a_newer_get_updates_ends_the_pending_one_with_409(tg):
    results = {}
    poller = threading.Thread(target=lambda: results.update(poll=api(tg, "getUpdates", timeout=1)))
    poller.start()
    tg.wait_for_call("getUpdates", timeout=5)
    api(tg, "getUpdates")
    poller.join(timeout=5)
    status, body = results["poll"]
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


def test_fail_next_answers_429_with_retry_after(tg):
    tg.fail_next("sendMessage", times=2, retry_after=3)
    for _ in range(2):
        assert api(tg, "sendMessage", chat_id=42, text="hello") == (429, {
            "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        })
    status, body = api(tg, "sendMessage", chat_id=42, text="hello")
    assert status == 200 and body["result"]["text"] == "hello"
    assert len(tg.calls_of("sendMessage")) == 3
    assert [m["text"] for m in tg.sent_messages(42)] == ["hello"]  # only the delivered one


def test_get_updates_conflicts_with_a_webhook(tg):
    results = {}
    poller = threading.Thread(target=lambda: results.update(poll=api(tg, "getUpdates", timeout=1)))
    poller.start()
    tg.wait_for_call("getUpdates", timeout=5)
    assert api(tg, "setWebhook", url="http://127.0.0.1:1/telegram", secret_token="s3cr-et_X",
               allowed_updates=["message", "callback_query"]) == (
        200, {"ok": True, "result": True, "description": "Webhook was set"})
    poller.join(timeout=5)
    assert results["poll"] == (409, {"ok": False, "error_code": 409,
                                     "description": "Conflict: terminated by setWebhook request"})
    assert tg.webhook["url"] == "http://127.0.0.1:1/telegram"
    assert tg.webhook["secret_token"] == "s3cr-et_X"
    assert tg.webhook["allowed_updates"] == ["message", "callback_query"]

    status, body = api(tg, "getUpdates")
    assert status == 409 and body["description"] == (
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first")
    _, info = api(tg, "getWebhookInfo")
    assert info["result"]["url"] == "http://127.0.0.1:1/telegram"

    assert api(tg, "deleteWebhook")[1]["result"] is True
    assert tg.webhook is None
    assert api(tg, "getUpdates") == (200, {"ok": True, "result": []})
    assert api(tg, "getWebhookInfo")[1]["result"]["url"] == ""


def test_set_webhook_rejects_a_bad_secret_token(tg):
    status, body = api(tg, "setWebhook", url="http://127.0.0.1:1/hook", secret_token="no spaces!")
    assert status == 400 and body["description"].startswith("Bad Request: secret token")
    assert tg.webhook is None


def test_send_message_rejects_empty_and_too_long_text(tg):
    empty = (400, {"ok": False, "error_code": 400,
                   "description": "Bad Request: message text is empty"})
    assert api(tg, "sendMessage", chat_id=42, text="") == empty
    assert api(tg, "sendMessage", chat_id=42, text="  \n ") == empty
    assert api(tg, "sendMessage", chat_id=42, text="x" * 4097) == (
        400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"})
    assert api(tg, "sendMessage", chat_id=42, text="x" * 4096)[0] == 200
    assert api(tg, "sendMessage", chat_id=42, text="a<br>b", parse_mode="HTML")[0] == 400
    assert api(tg, "sendMessage", chat_id=42, text="<b>a</b> &amp; b", parse_mode="HTML")[1][
        "result"]["text"] == "a & b"
    assert len(tg.sent_messages(42)) == 2


def test_form_encoded_reply_markup_is_stored_parsed(tg):
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "/affirm"}]]}
    status, body = api_form(tg, "sendMessage", chat_id="42", text="Ready?",
                            reply_markup=json.dumps(markup))
    assert status == 200
    assert body["result"]["reply_markup"] == markup
    assert body["result"]["chat"]["id"] == 42
    [sent] = tg.sent_messages(chat_id=42)
    assert sent["chat_id"] == 42 and sent["reply_markup"] == markup
    assert sent["message_id"] == body["result"]["message_id"]


def test_button_taps_and_keyboard_edits(tg):
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "/affirm"}]]}
    _, body = api(tg, "sendMessage", chat_id=42, text="Ready?", reply_markup=markup)
    message_id = body["result"]["message_id"]
    tap = tg.queue_update(callback_update(42, "/affirm", message_id=message_id,
                                          reply_markup=markup))
    query = tap["callback_query"]
    assert query["data"] == "/affirm" and query["message"]["message_id"] == message_id
    assert query["message"]["from"]["is_bot"] is True

    assert api(tg, "answerCallbackQuery", callback_query_id=query["id"]) == (
        200, {"ok": True, "result": True})
    assert api(tg, "answerCallbackQuery", callback_query_id="12345")[0] == 400
    status, body = api(tg, "editMessageReplyMarkup", chat_id=42, message_id=message_id)
    assert status == 200 and "reply_markup" not in body["result"]
    # Removing a keyboard that is already gone changes nothing: Telegram says so with a 400.
    status, body = api(tg, "editMessageReplyMarkup", chat_id=42, message_id=message_id)
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    long_data = {"inline_keyboard": [[{"text": "x", "callback_data": "x" * 65}]]}
    assert api(tg, "sendMessage", chat_id=42, text="hi", reply_markup=long_data)[1][
        "description"] == "Bad Request: BUTTON_DATA_INVALID"


def test_wait_for_messages(tg):
    threading.Timer(0.2, api, [tg, "sendMessage"], {"chat_id": 5, "text": "one"}).start()
    assert [m["text"] for m in tg.wait_for_messages(5, 1, timeout=5)] == ["one"]
    with pytest.raises(AssertionError, match=r"expected 2 message\(s\) to chat 5.*\['one'\]"):
        tg.wait_for_messages(5, 2, timeout=0.2)


def test_update_builders_have_real_shapes():
    sticker = sticker_update(1)["message"]["sticker"]
    assert {"file_id", "file_unique_id", "width", "height", "is_animated",
            "is_video"} <= set(sticker)
    photo = photo_update(1, caption="me")["message"]
    assert len(photo["photo"]) == 3 and photo["caption"] == "me"
    assert voice_update(1)["message"]["voice"]["mime_type"] == "audio/ogg"
    edited = edited_text_update(1, "fixed", message_id=77)["edited_message"]
    assert edited["message_id"] == 77 and edited["edit_date"] >= edited["date"]
    group = text_update(1, "hi", chat_type="group")["message"]["chat"]
    assert group["type"] == "group" and group["id"] < 0 and "title" in group
    ids = [text_update(1, "x")["update_id"] for _ in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3


class _Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint that records what it receives."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers.get(SECRET_HEADER), json.loads(body)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/telegram/webhook"
    yield url, _Receiver.received
    server.shutdown()
    server.server_close()


def test_post_update_sends_the_secret_header(tg, receiver):
    url, received = receiver
    api(tg, "setWebhook", url=url, secret_token="hook-secret_1")
    update = text_update(42, "hello")
    assert tg.post_update(update) == (200, "ok")
    assert tg.post_update(text_update(42, "no secret"), secret=False) == (200, "ok")
    assert tg.post_update(text_update(42, "forged"), secret="wrong") == (200, "ok")
    assert [(secret, u["message"]["text"]) for secret, u in received] == [
        ("hook-secret_1", "hello"), (None, "no secret"), ("wrong", "forged")]
    assert received[0][1] == update


def test_post_update_needs_a_webhook_or_url(tg):
    with pytest.raises(AssertionError, match="no webhook is set"):
        tg.post_update(text_update(42, "hello"))
