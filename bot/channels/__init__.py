"""How people reach Steady: input channels that ``credentials.yml`` names.

* :mod:`bot.channels.webchat`: the web chat page and its socket.io connection.
* :mod:`bot.channels.telegram`: Telegram, by webhook (servers) or long polling (laptops).
* :mod:`bot.channels.rest`: REST for the host's own scripts and tests, off unless
  ``STEADY_REST_TOKEN`` is set, and then only with that token.

**Each channel owns its ids.** Rasa keeps one conversation per sender id, whatever channel
the message came in by, so a channel that could pick any sender id could read and write
another channel's conversations (a Telegram user's id is no secret). Every channel states
here which sender ids are its own, and hands Rasa its messages through :func:`handed_by`,
which refuses a message addressed to an id the channel does not own. REST owns every id
that no other channel claims; a new channel adds its row to :data:`NAMESPACES` and wraps
its ``on_new_message`` with :func:`handed_by`, or it owns nothing at all.

Plain Python: no Rasa import, so the registry can be tested on its own.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Pattern

from bot.textcheck import well_formed

logger = logging.getLogger(__name__)

# channel name -> the sender ids it issues (matched whole, ignoring case and surrounding
# spaces, so no near-spelling of another channel's id gets through either).
NAMESPACES: Dict[str, Pattern[str]] = {
    "telegram": re.compile(r"tg-.*", re.IGNORECASE | re.DOTALL),  # tg-<Telegram user id>
    "webchat": re.compile(r"[0-9a-f]{32}", re.IGNORECASE),  # a session id the server issued
}
# The channel that owns whatever no other channel claims.
OPEN_NAMESPACE = "rest"

OnNewMessage = Callable[[Any], Awaitable[Any]]


class NotYourConversation(Exception):
    """A channel tried to hand Rasa a message for a conversation of another channel."""

    def __init__(self, channel: str, owner: Optional[str]) -> None:
        super().__init__(
            f"the {channel} channel may not address a {owner or 'unknown'} conversation"
        )
        self.channel = channel
        self.owner = owner


def owner_of(sender_id: Any) -> str:
    """The channel whose conversation ``sender_id`` names."""
    text = str(sender_id).strip()
    for channel, pattern in NAMESPACES.items():
        if pattern.fullmatch(text):
            return channel
    return OPEN_NAMESPACE


def handed_by(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` for ``channel``: only its own conversations, under its own name.

    Raises :class:`NotYourConversation` (and hands nothing to Rasa) for a message whose
    sender id belongs to another channel, or that claims to come in by another channel.
    Its text is made well-formed Unicode first (:func:`bot.textcheck.well_formed`): a lone
    surrogate from a JSON escape would otherwise stop the NLU and the tracker store.
    """

    async def handed(message: Any) -> Any:
        owner = owner_of(message.sender_id)
        if owner != channel or message.input_channel != channel:
            # Neither the id aimed at nor the text is logged: both are someone's.
            logger.warning("Refused a %s message addressed to a %s conversation", channel, owner)
            raise NotYourConversation(channel, owner)
        if isinstance(getattr(message, "text", None), str):
            message.text = well_formed(message.text)
        return await on_new_message(message)

    return handed


def client_address(request: Any) -> str:
    """Who sent an HTTP request, for per-address limits: the address a trusted proxy put in
    its header when the host told Sanic to trust one (``SANIC_REAL_IP_HEADER``, or
    ``SANIC_PROXIES_COUNT`` for ``X-Forwarded-For``), otherwise the connection's peer."""
    return str(getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "unknown")
