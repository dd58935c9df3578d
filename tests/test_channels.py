"""The channel pieces that are plain Python: settings, text splitting, keyboards."""
from __future__ import annotations

import pytest

from bot.channels.telegram import RecentIds, inline_keyboard, sender_for
from bot.channels.telegram_api import MAX_TEXT, split_text
from bot.config import load_telegram_settings, load_web_settings


def test_telegram_is_off_without_a_token_and_polls_with_one():
    assert load_telegram_settings({}).mode == "off"
    settings = load_telegram_settings({"TELEGRAM_TOKEN": "123:abc"})
    assert settings.mode == "polling"
    assert settings.api_url == "https://api.telegram.org"


def test_webhook_mode_gets_a_secret_derived_from_the_token_unless_one_is_set():
    one = load_telegram_settings({"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://x/y"})
    again = load_telegram_settings({"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://x/y"})
    other = load_telegram_settings({"TELEGRAM_TOKEN": "456:def", "TELEGRAM_WEBHOOK_URL": "https://x/y"})
    assert one.mode == "webhook"
    assert one.webhook_secret == again.webhook_secret != other.webhook_secret
    assert "123:abc" not in one.webhook_secret and one.webhook_secret.isalnum()
    chosen = load_telegram_settings({"TELEGRAM_TOKEN": "1:a", "TELEGRAM_WEBHOOK_SECRET": "s3cret"})
    assert chosen.webhook_secret == "s3cret"


def test_web_origins_are_listed_never_a_wildcard():
    assert load_web_settings({}).extra_origins == ()
    settings = load_web_settings({"STEADY_WEB_ORIGINS": "https://a.example/, https://b.example"})
    assert settings.extra_origins == ("https://a.example", "https://b.example")
    with pytest.raises(ValueError):
        load_web_settings({"STEADY_WEB_ORIGINS": "*"})


def test_long_replies_are_split_under_telegrams_limit_without_losing_words():
    text = " ".join(f"word{i}" for i in range(2000))
    parts = split_text(text)
    assert len(parts) > 1 and all(len(part) <= MAX_TEXT for part in parts)
    assert " ".join(parts).split() == text.split()
    assert split_text("short") == ["short"]


def test_buttons_become_an_inline_keyboard_within_the_callback_data_limit():
    keyboard = inline_keyboard([
        {"title": "Save", "payload": "/save_draft"},
        {"title": "A long one", "payload": "/inform" + '{"x": "' + "y" * 80 + '"}'},
    ])
    rows = keyboard["inline_keyboard"]
    assert rows[0] == [{"text": "Save", "callback_data": "/save_draft"}]
    assert rows[1][0]["callback_data"] == "A long one"  # falls back to the title
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in rows)


def test_a_redelivered_update_is_recognised():
    recent = RecentIds(size=2)
    assert recent.first_time(1) and recent.first_time(2)
    assert not recent.first_time(1)
    assert recent.first_time(3) and recent.first_time(1)  # 1 aged out of the window


def test_telegram_users_get_their_own_conversation_ids():
    assert sender_for(42) == "tg-42"


def test_the_lock_store_comes_from_the_environment(tmp_path):
    import yaml

    from bot.config import ROOT, write_endpoints

    target = write_endpoints(ROOT / "endpoints.yml", tmp_path / "e.yml", "http://a:1/webhook",
                             {"STEADY_LOCK_STORE_URL": "redis://:pw@cache.internal:6380/2"})
    endpoints = yaml.safe_load(target.read_text())
    assert endpoints["lock_store"] == {"type": "redis", "url": "cache.internal", "port": 6380,
                                       "db": 2, "key_prefix": "steady", "use_ssl": False,
                                       "password": "pw"}
    assert endpoints["action_endpoint"] == {"url": "http://a:1/webhook",
                                            "enable_selective_domain": True}
    plain = yaml.safe_load(write_endpoints(ROOT / "endpoints.yml", tmp_path / "p.yml",
                                           "http://a:1/webhook", {}).read_text())
    assert "lock_store" not in plain


# ------------------------------------------------------------------ each channel owns its ids

def test_each_conversation_id_has_exactly_one_owner():
    import uuid

    from bot.channels import owner_of

    assert owner_of(sender_for(5151)) == "telegram"
    for near in ("TG-5151", " tg-5151 ", "tg-", "tg-5151\n"):
        assert owner_of(near) == "telegram", near
    web = uuid.uuid4().hex
    assert owner_of(web) == owner_of(web.upper()) == owner_of(f" {web}") == "webchat"
    for rest in ("e2e-person", "rest-5100", "me", web[:31], web + "0", "xtg-1"):
        assert owner_of(rest) == "rest", rest


def test_a_channel_can_hand_rasa_only_its_own_conversations():
    import asyncio

    from rasa.core.channels.channel import UserMessage

    from bot.channels import NotYourConversation, handed_by

    handed = []

    async def on_new_message(message):
        handed.append(message.sender_id)

    def send(channel, sender, input_channel=None):
        message = UserMessage("show my drafts", None, sender,
                              input_channel=input_channel or channel)
        asyncio.run(handed_by(channel, on_new_message)(message))

    send("telegram", "tg-5151")
    send("webchat", "0123456789abcdef0123456789abcdef")
    send("rest", "rest-5100")
    for channel, sender in [("rest", "tg-5151"), ("rest", "0123456789abcdef0123456789abcdef"),
                            ("webchat", "tg-5151"), ("telegram", "rest-5100"),
                            ("webchat", "rest-5100"), ("some-new-channel", "anything")]:
        with pytest.raises(NotYourConversation):
            send(channel, sender)
    with pytest.raises(NotYourConversation):  # a message claiming another channel's name
        send("rest", "rest-5100", input_channel="telegram")
    assert handed == ["tg-5151", "0123456789abcdef0123456789abcdef", "rest-5100"]


def test_every_channel_rasa_opens_is_ours_and_owns_a_namespace():
    import importlib

    import yaml

    from bot.channels import NAMESPACES, OPEN_NAMESPACE
    from bot.config import ROOT

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    channels = [name for name in credentials if "." in name]  # input channels are classes
    assert channels and all(name.startswith("bot.channels.") for name in channels)
    # Rasa's own channels take any sender id from anyone: none of them is opened.
    from rasa.core.channels import BUILTIN_CHANNELS
    assert not set(credentials) & set(BUILTIN_CHANNELS)
    names = set()
    for path in channels:
        module, _, cls = path.rpartition(".")
        names.add(getattr(importlib.import_module(module), cls).name())
    assert names == set(NAMESPACES) | {OPEN_NAMESPACE}


def test_rest_is_off_without_a_token_and_refuses_a_short_one():
    from bot.config import load_rest_settings

    assert not load_rest_settings({}).enabled
    assert not load_rest_settings({"STEADY_REST_TOKEN": "  "}).enabled
    settings = load_rest_settings({"STEADY_REST_TOKEN": "a-long-enough-token-123"})
    assert settings.enabled and "a-long-enough" not in repr(settings)  # never logged
    with pytest.raises(ValueError, match="at least 16"):
        load_rest_settings({"STEADY_REST_TOKEN": "short"})


def test_the_short_privacy_notice_says_how_long_this_steady_keeps_a_conversation():
    from bot.config import load_settings
    from bot.privacy import as_html, as_text

    text = as_text(load_settings({"STEADY_CONVERSATION_RETENTION_DAYS": "7"}))
    assert "deleted 7 days after it happened" in text and "delete all my data" in text
    assert "browser tab's storage" in text and "Telegram keeps its own copy" in text
    page = as_html(load_settings({}))
    assert "deleted 30 days after it happened" in page and 'href="/chat"' in page
    assert "\"delete all my data\"" not in page and "&quot;delete all my data&quot;" in page
