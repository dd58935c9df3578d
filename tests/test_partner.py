"""The page for the person's partner (bot/partner.py, bot/data/partner/guide.yml)."""
from __future__ import annotations

import re

import pytest

from bot import partner
from bot.config import public_page


def test_the_guide_says_what_helps_from_the_partners_side():
    text = partner.as_text()
    for heading in ("Validation before logic", "It's not about you failing",
                    "Say your own needs clearly", "Consistency helps most",
                    "When they use the agreed phrase"):
        assert f"\n\n{heading}\n" in text
    assert "• Answer warmly and briefly" in text          # list items read as a list
    assert len(text) < 4096                                # one Telegram message


def test_the_page_runs_no_script_and_holds_nothing_personal():
    page = partner.as_html()
    assert "<script" not in page and "<form" not in page and "http" not in page
    assert page.count("<h2>") == len(partner.load().sections)
    assert "<ul><li>Name what you see" in page
    assert "&quot;That sounded scary. I&#x27;m here.&quot;" in page  # escaped, not markup
    assert re.search(r'<html lang="en">', page) and "<title>For your partner" in page


def test_a_guide_without_a_heading_is_refused_naming_the_file(tmp_path):
    broken = tmp_path / "guide.yml"
    broken.write_text("title: T\nintro: I\nsections:\n  - text: words\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"guide.yml: section 1 needs a heading"):
        partner.load(broken)


@pytest.mark.parametrize("environ, expected", [
    ({"STEADY_PUBLIC_URL": "https://steady.example.org/"}, "https://steady.example.org/partner"),
    ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook"},
     "https://bot.example.org/partner"),
    ({}, None),
    ({"STEADY_PUBLIC_URL": "javascript:alert(1)"}, None),
])
def test_the_address_to_share_comes_from_the_public_url(environ, expected):
    assert public_page("/partner", environ) == expected
