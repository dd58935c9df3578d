"""A small client for the Telegram Bot API: the handful of methods Steady calls.

Plain HTTP with aiohttp against a configurable base URL (``https://api.telegram.org``, a
self-hosted Bot API server, or the tests' fake one). Every call is
``POST {base}/bot{token}/{method}`` with a JSON body (multipart when a file is uploaded) and
answers ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …, "description": …}``.

Failures that are not the request's fault are tried again, so a reply is not lost:

* a 429 answer carries ``parameters.retry_after``; the client waits that long and tries
  again, a bounded number of times (``attempts``);
* a 5xx answer (Telegram's JSON or a proxy's HTML page), no answer at all (a dropped
  connection, a timeout) or an answer that is not JSON is tried again after a growing pause
  (``RETRY_DELAYS``). A message whose answer was lost may then arrive twice; that is better
  than never.

Anything else (400, 401, 403, 404, …) is the request's fault and raises at once. Nothing
logged here holds a message's text or the URL (which carries the token).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, Optional, Sequence

import aiohttp

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_CAPTION = 1024  # and for a document's caption
MAX_RETRY_AFTER = 60.0
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)  # seconds before each new try after a 5xx or no answer


class TelegramError(Exception):
    def __init__(
        self, method: str, code: int, description: str, retry_after: Optional[float] = None
    ) -> None:
        super().__init__(f"{method}: {code} {description}")
        self.method = method
        self.code = code
        self.description = description
        self.retry_after = retry_after

    @property
    def temporary(self) -> bool:
        """Whether trying again later may work: no answer, a 5xx or a 429."""
        return self.code == 0 or self.code >= 500 or self.code == 429


class InputFile:
    """A file uploaded with a call (multipart/form-data), e.g. sendDocument's ``document``."""

    def __init__(self, filename: str, content: bytes, content_type: str) -> None:
        self.filename = filename
        self.content = content
        self.content_type = content_type


class BotAPI:
    def __init__(
        self,
        token: str,
        base_url: str,
        attempts: int = 3,
        request_timeout: float = 30.0,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._attempts = attempts
        self._timeout = request_timeout
        self._delays = tuple(retry_delays)
        self._session: Optional[aiohttp.ClientSession] = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def call(
        self, method: str, http_timeout: Optional[float] = None, retry: bool = True, **params: Any
    ) -> Any:
        """Call ``method``; waits out 429s (``retry_after``) and tries 5xx and lost answers
        again, unless ``retry`` is false; raises TelegramError otherwise."""
        params = {key: value for key, value in params.items() if value is not None}
        too_many = failures = 0
        while True:
            try:
                return await self._once(method, params, http_timeout)
            except TelegramError as error:
                if error.code == 429 and retry and too_many < self._attempts - 1:
                    too_many += 1
                    wait = min(float(error.retry_after or 1), MAX_RETRY_AFTER)
                    logger.warning(
                        "Telegram %s: too many requests, retrying in %.0f s", method, wait
                    )
                    await asyncio.sleep(wait)
                    continue
                if error.temporary and error.code != 429 and retry and failures < len(self._delays):
                    wait = self._delays[failures]
                    failures += 1
                    logger.warning(
                        "Telegram %s failed (%s), try %d; retrying in %.1f s",
                        method,
                        error.code or "no answer",
                        failures,
                        wait,
                    )
                    await asyncio.sleep(wait)
                    continue
                raise

    async def _once(
        self, method: str, params: Dict[str, Any], http_timeout: Optional[float]
    ) -> Any:
        """One request; the result, or TelegramError (code 0: no usable answer)."""
        files = {key: value for key, value in params.items() if isinstance(value, InputFile)}
        if files:
            body: Dict[str, Any] = {"data": _form(params)}
        else:
            body = {"json": params}
        try:
            async with self._client().post(
                self._url + method,
                timeout=aiohttp.ClientTimeout(total=http_timeout or self._timeout),
                **body,
            ) as reply:
                status, reason, raw = reply.status, reply.reason or "", await reply.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            # The token is part of the URL: never log the URL itself.
            raise TelegramError(method, 0, f"{type(error).__name__}: no answer") from None
        answer = _json(raw)
        if answer is None:  # not the Bot API talking: a proxy's error page, a cut-off body
            raise TelegramError(
                method,
                status if status >= 400 else 0,
                f"{reason or 'unreadable answer'} (not JSON)",
            )
        if answer.get("ok"):
            return answer.get("result")
        code = int(answer.get("error_code") or status or 0)
        retry_after = (answer.get("parameters") or {}).get("retry_after")
        raise TelegramError(method, code, str(answer.get("description", "")), retry_after)

    # The methods Steady uses, with their Bot API parameter names.

    async def get_me(self) -> Any:
        return await self.call("getMe")

    async def send_message(
        self, chat_id: int, text: str, reply_markup: Optional[dict] = None
    ) -> Any:
        # No parse_mode: the person's own words are sent as plain text, never as markup.
        return await self.call("sendMessage", chat_id=chat_id, text=text, reply_markup=reply_markup)

    async def send_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        content_type: str = "text/markdown",
        caption: Optional[str] = None,
    ) -> Any:
        return await self.call(
            "sendDocument",
            chat_id=chat_id,
            document=InputFile(filename, content, content_type),
            caption=caption,
        )

    async def copy_message(
        self, chat_id: int, from_chat_id: int, message_id: int, reply_markup: Optional[dict] = None
    ) -> Any:
        """Send a copy of a message (Telegram keeps it; we need not): returns a MessageId."""
        return await self.call(
            "copyMessage",
            chat_id=chat_id,
            from_chat_id=from_chat_id,
            message_id=message_id,
            reply_markup=reply_markup,
        )

    async def answer_callback_query(self, callback_query_id: str) -> Any:
        return await self.call("answerCallbackQuery", callback_query_id=callback_query_id)

    async def remove_keyboard(self, chat_id: int, message_id: int) -> Any:
        return await self.call(
            "editMessageReplyMarkup",
            chat_id=chat_id,
            message_id=message_id,
            reply_markup={"inline_keyboard": []},
        )

    async def send_typing(self, chat_id: int) -> Any:
        # Cosmetic: not worth a pause (nor a 429's wait) before the real answer.
        return await self.call("sendChatAction", retry=False, chat_id=chat_id, action="typing")

    async def leave_chat(self, chat_id: int) -> Any:
        return await self.call("leaveChat", chat_id=chat_id)

    async def get_updates(self, offset: Optional[int], timeout: int, allowed_updates: list) -> Any:
        # Long polling: the server holds the request up to ``timeout`` seconds. The poller
        # has its own pause after a failure (a 429's retry_after included): no retries here.
        return await self.call(
            "getUpdates",
            http_timeout=timeout + 10,
            retry=False,
            offset=offset,
            timeout=timeout,
            allowed_updates=allowed_updates,
        )

    async def set_webhook(self, url: str, secret_token: str, allowed_updates: list) -> Any:
        return await self.call(
            "setWebhook", url=url, secret_token=secret_token, allowed_updates=allowed_updates
        )

    async def set_my_commands(self, commands: Dict[str, str]) -> Any:
        return await self.call(
            "setMyCommands",
            commands=[
                {"command": name, "description": description}
                for name, description in commands.items()
            ],
        )

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")


def _json(raw: bytes) -> Optional[Dict[str, Any]]:
    try:
        answer = json.loads(raw)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _form(params: Dict[str, Any]) -> aiohttp.FormData:
    """A multipart body: files as files, objects as JSON strings, the rest as text. Built
    anew for every try (aiohttp consumes a FormData when it is sent)."""
    form = aiohttp.FormData()
    for key, value in params.items():
        if isinstance(value, InputFile):
            form.add_field(
                key, value.content, filename=value.filename, content_type=value.content_type
            )
        elif isinstance(value, (dict, list)):
            form.add_field(key, json.dumps(value))
        else:
            form.add_field(key, str(value))
    return form


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
