"""REST for the host's own scripts and tests: off unless ``STEADY_REST_TOKEN`` is set.

``credentials.yml`` names :class:`RestChannel` instead of Rasa's ``rest``. Rasa's own REST
channel takes any sender id from anyone who can reach it, so it could read and write any
conversation, a Telegram user's included. Here:

* no token set: the channel answers 404 "REST is off" and hands Rasa nothing;
* every request must carry ``Authorization: Bearer <STEADY_REST_TOKEN>`` (compared in
  constant time), or it gets 401 before the body is even read;
* a sender id that belongs to another channel (``tg-…``, a web chat session id; see
  :mod:`bot.channels`) gets 403 and never reaches a tracker;
* the sender must be a short string, and the message is filed as a REST message whatever
  the request says (Rasa's own channel lets the caller name the channel too).

The URL is Rasa's: ``POST /webhooks/rest/webhook`` with ``{"sender": …, "message": …}``,
answered with the list of the bot's messages. Rasa's ``?stream=true`` is not offered.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import NotYourConversation, handed_by, owner_of
from bot.channels.checkins import Courier, interval, looked_for, with_the_answer
from bot.config import RestSettings, load_rest_settings

logger = logging.getLogger(__name__)

CHANNEL = "rest"
MAX_SENDER = 128


def _refusal(status: int, error: str, **headers: str) -> HTTPResponse:
    return response.json({"error": error}, status=status, headers=headers or None)


class RestChannel(RestInput):
    """See the module docstring. The token comes from the environment (bot.config)."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(load_rest_settings())

    def __init__(self, settings: Optional[RestSettings] = None) -> None:
        from bot.channels.web_drafts import shared_store

        self.settings = settings or load_rest_settings()
        self.courier = Courier(shared_store)  # the store is opened at the first visit
        self.checkin_every = interval()  # seconds between two looks for one person

    def authorized(self, request: Request) -> bool:
        """The request carries ``Authorization: Bearer <token>`` with this server's token."""
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        expected = self.settings.token or ""
        return (
            scheme.lower() == "bearer"
            and bool(expected)
            and hmac.compare_digest(given.strip().encode(), expected.encode())
        )

    def _refused(self, request: Request) -> Optional[HTTPResponse]:
        if not self.settings.enabled:
            return _refusal(404, "REST is off on this server: set STEADY_REST_TOKEN to use it.")
        if not self.authorized(request):
            return _refusal(
                401,
                "Send the server's REST token: 'Authorization: Bearer <STEADY_REST_TOKEN>'.",
                **{"WWW-Authenticate": 'Bearer realm="steady"'},
            )
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handed = handed_by(CHANNEL, on_new_message)
        bp = Blueprint("steady_rest", __name__)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return self._refused(request) or response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self._refused(request)
            if refused:
                return refused
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own error for bad JSON
                body = None
            if not isinstance(body, dict):
                return _refusal(400, 'Send a JSON object: {"sender": "…", "message": "…"}.')
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER:
                return _refusal(
                    400,
                    f"'sender' must be a string of 1 to {MAX_SENDER} "
                    "characters naming the conversation.",
                )
            if text is not None and not isinstance(text, str):
                return _refusal(400, "'message' must be a string.")
            owner = owner_of(sender)
            if owner != CHANNEL:
                return _refusal(
                    403,
                    f"That sender id belongs to the {owner} channel; REST "
                    "can only use ids no other channel issues.",
                )
            # check-ins that came due since the person's last message: looked for beside
            # the message, shown before the answer
            looking = asyncio.ensure_future(
                looked_for(self.courier, CHANNEL, sender, self.checkin_every)
            )
            collector = CollectingOutputChannel()
            try:
                await handed(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=CHANNEL,
                        metadata=self.get_metadata(request),
                    )
                )
            except NotYourConversation:
                # nothing is shown with a refusal: what the look found is given back
                await with_the_answer(self.courier, looking, CHANNEL, sender, shown=False)
                return _refusal(403, "That sender id belongs to another channel.")
            except Exception as error:  # noqa: BLE001 - answer, as Rasa's own channel does
                # The type only: an exception message could carry the person's words.
                logger.error(
                    "REST message failed: %s",
                    type(error).__name__,
                    exc_info=logger.isEnabledFor(logging.DEBUG),
                )
            shown = await with_the_answer(self.courier, looking, CHANNEL, sender)
            return response.json(
                [{"recipient_id": sender, "text": text} for text in shown] + collector.messages
            )

        return bp
