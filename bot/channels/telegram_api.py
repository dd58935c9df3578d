"""A small client for the Telegram Bot API: the handful of methods Steady calls.

Plain HTTP with aiohttp against a configurable base URL (``https://api.telegram.org``, a
self-hosted Bot API server, or the tests' fake one). Every call is
``POST {base}/bot{token}/{method}`` with a JSON body and answers
``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …, "description": …}``.
A 429 answer carries ``parameters.retry_after``; the client waits that long and tries
again, a bounded number of times.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_RETRY_AFTER = 60.0


class TelegramError(Exception):
    def __init__(self, method: str, code: int, description: str,
                 retry_after: Optional[float] = None) -> None:
        super().__init__(f"{method}: {code} {description}")
        self.method = method
        self.code = code
        self.description = description
        self.retry_after = retry_after


class BotAPI:
    def __init__(self, token: str, base_url: str, attempts: int = 3,
                 request_timeout: float = 30.0) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._attempts = attempts
        self._timeout = request_timeout
        self._session: Optional[aiohttp.ClientSession] = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def call(self, method: str, http_timeout: Optional[float] = None,
                   **params: Any) -> Any:
        """Call ``method``; waits out 429s (``retry_after``), raises TelegramError otherwise."""
        params = {key: value for key, value in params.items() if value is not None}
        for attempt in range(1, self._attempts + 1):
            try:
                async with self._client().post(
                    self._url + method, json=params,
                    timeout=aiohttp.ClientTimeout(total=http_timeout or self._timeout),
                ) as reply:
                    body: Dict[str, Any] = await reply.json(content_type=None)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                # The token is part of the URL: never log the URL itself.
                raise TelegramError(method, 0, f"{type(error).__name__}: no answer") from None
            if body.get("ok"):
                return body.get("result")
            code = int(body.get("error_code") or 0)
            retry_after = (body.get("parameters") or {}).get("retry_after")
            error = TelegramError(method, code, str(body.get("description", "")), retry_after)
            if code == 429 and attempt < self._attempts:
                wait = min(float(retry_after or 1), MAX_RETRY_AFTER)
                logger.warning("Telegram %s: too many requests, retrying in %.0f s", method, wait)
                await asyncio.sleep(wait)
                continue
            raise error
        raise AssertionError("unreachable")

    # The methods Steady uses, with their Bot API parameter names.

    async def send_message(self, chat_id: int, text: str,
                           reply_markup: Optional[dict] = None) -> Any:
        # No parse_mode: the person's own words are sent as plain text, never as markup.
        return await self.call("sendMessage", chat_id=chat_id, text=text,
                               reply_markup=reply_markup)

    async def answer_callback_query(self, callback_query_id: str) -> Any:
        return await self.call("answerCallbackQuery", callback_query_id=callback_query_id)

    async def remove_keyboard(self, chat_id: int, message_id: int) -> Any:
        return await self.call("editMessageReplyMarkup", chat_id=chat_id, message_id=message_id,
                               reply_markup={"inline_keyboard": []})

    async def send_typing(self, chat_id: int) -> Any:
        return await self.call("sendChatAction", chat_id=chat_id, action="typing")

    async def get_updates(self, offset: Optional[int], timeout: int, allowed_updates: list) -> Any:
        # Long polling: the server holds the request up to ``timeout`` seconds.
        return await self.call("getUpdates", http_timeout=timeout + 10, offset=offset,
                               timeout=timeout, allowed_updates=allowed_updates)

    async def set_webhook(self, url: str, secret_token: str, allowed_updates: list) -> Any:
        return await self.call("setWebhook", url=url, secret_token=secret_token,
                               allowed_updates=allowed_updates)

    async def set_my_commands(self, commands: Dict[str, str]) -> Any:
        return await self.call("setMyCommands", commands=[
            {"command": name, "description": description} for name, description in commands.items()
        ])

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram refuses messages over 4096 characters: split at paragraph or line ends."""
    text = text.strip()
    parts = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts
