"""The short version of README's "What Steady stores", where people meet Steady.

``/privacy`` in Telegram answers with it, and the web chat serves it at ``/chat/privacy``
(linked from the chat page). One text for both, built from the settings in force, so it
says how long this Steady keeps a conversation.
"""

from __future__ import annotations

from html import escape
from typing import List

from bot.config import Settings

TITLE = "What Steady keeps, and how to delete it"


def short_version(settings: Settings) -> List[str]:
    """Paragraphs, plain text (each may hold line breaks)."""
    days = settings.conversation_retention_days
    return [
        "What Steady keeps about you, in short:",
        "• Your saved drafts, until you delete them (or until they expire, if whoever runs "
        "this Steady has set that). Your words in them are encrypted with a key of your own.\n"
        f"• Our conversation, so an unfinished exercise survives a pause: encrypted with a key "
        f"of its own, and deleted {days} days after it happened.\n"
        "• Nothing you write goes into the server's logs.",
        "Whoever runs this Steady holds the key that unlocks those keys, so use one run by "
        "someone you trust. Steady never sends anything to anyone.",
        "On your side: the web chat keeps this conversation in this browser tab's storage "
        'until you close the tab, press "Clear this chat" or say "delete all my data", '
        "and Telegram keeps its own copy of this chat in your account until you delete the "
        "chat there.",
        'Say "export my drafts" for a copy of everything you saved. Say "delete all my '
        'data" to delete your drafts, our conversations in every linked chat and the keys '
        "that open them, for good.",
    ]


def as_text(settings: Settings) -> str:
    return "\n\n".join(short_version(settings))


def as_html(settings: Settings) -> str:
    """A page of its own, styled like the chat page, with a way back to it."""
    paragraphs = "\n".join(
        f"    <p>{escape(paragraph).replace(chr(10), '<br>')}</p>"
        for paragraph in short_version(settings)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(TITLE)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/chat/steady.css">
</head>
<body>
  <main>
    <h1>{escape(TITLE)}</h1>
{paragraphs}
    <p><a href="/chat">Back to the chat</a></p>
  </main>
</body>
</html>
"""
