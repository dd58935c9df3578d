"""The page for the person's partner ("For your partner", issue 18 part 4).

What tends to help when the alarm of being left goes off, from the partner's side: validation
before logic, "it's not about you failing", saying one's own needs clearly, consistency, and
how to answer the agreed phrase. The words are data (``bot/data/partner/guide.yml``); this
module renders them as plain text (Telegram's ``/partner``) and as a page of its own (the web
chat serves it at ``/partner`` and ``/chat/partner``). The page holds no personal data and
runs no script, so it can be shared as a link and read without the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

GUIDE = Path(__file__).resolve().parent / "data" / "partner" / "guide.yml"


@dataclass(frozen=True)
class Guide:
    title: str
    intro: str
    sections: Tuple[Tuple[str, Tuple[str, ...]], ...]  # heading, blocks (paragraph or "- " list)
    closing: str


def _blocks(text: str, where: str) -> Tuple[str, ...]:
    blocks = tuple(block.strip() for block in str(text).split("\n\n") if block.strip())
    if not blocks:
        raise ValueError(f"{where}: a section needs some text")
    return blocks


@lru_cache(maxsize=4)
def load(path: Optional[Path] = None) -> Guide:
    """The guide, checked: a title, an intro, sections with a heading and text each."""
    path = path or GUIDE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("title", "intro", "sections"):
        if not data.get(key):
            raise ValueError(f"{path.name}: '{key}' is missing")
    sections = []
    for number, section in enumerate(data["sections"], start=1):
        if not isinstance(section, dict) or not section.get("heading"):
            raise ValueError(f"{path.name}: section {number} needs a heading and text")
        sections.append(
            (
                str(section["heading"]).strip(),
                _blocks(section.get("text") or "", f"{path.name}: section {number}"),
            )
        )
    return Guide(
        str(data["title"]).strip(),
        " ".join(str(data["intro"]).split()),
        tuple(sections),
        " ".join(str(data.get("closing") or "").split()),
    )


def _lines(block: str) -> List[str]:
    return [" ".join(line.split()) for line in block.splitlines() if line.strip()]


def _is_list(block: str) -> bool:
    return all(line.startswith("- ") for line in _lines(block))


def as_text(guide: Optional[Guide] = None) -> str:
    """Plain text for a chat message: the title, then each heading and its words."""
    guide = guide or load()
    parts = [guide.title, guide.intro]
    for heading, blocks in guide.sections:
        body = []
        for block in blocks:
            if _is_list(block):
                body.append("\n".join("• " + line[2:] for line in _lines(block)))
            else:
                body.append(" ".join(_lines(block)))
        parts.append(heading + "\n" + "\n\n".join(body))
    if guide.closing:
        parts.append(guide.closing)
    return "\n\n".join(parts)


def as_html(guide: Optional[Guide] = None) -> str:
    """A page of its own, styled like the chat page; no script, no personal data."""
    guide = guide or load()
    body = [f"    <p>{escape(guide.intro)}</p>"]
    for heading, blocks in guide.sections:
        body.append(f"    <h2>{escape(heading)}</h2>")
        for block in blocks:
            if _is_list(block):
                items = "".join(f"<li>{escape(line[2:])}</li>" for line in _lines(block))
                body.append(f"    <ul>{items}</ul>")
            else:
                body.append(f"    <p>{escape(' '.join(_lines(block)))}</p>")
    if guide.closing:
        body.append(f'    <p class="note">{escape(guide.closing)}</p>')
    paragraphs = "\n".join(body)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(guide.title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/chat/steady.css">
</head>
<body>
  <main>
    <h1>{escape(guide.title)}</h1>
{paragraphs}
  </main>
</body>
</html>
"""
