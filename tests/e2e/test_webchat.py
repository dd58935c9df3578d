"""The web chat page in a real headless Chromium, against real Rasa and action servers.

Steady's own chat client (web/steady.js): a person goes from describing a trigger to a
saved draft with the keyboard alone; axe-core finds no critical or serious violation with
the chat closed, open and mid-reflection (light and dark); every reply's first bubble is
on screen within 300 ms of the browser receiving it; the first visit weighs under 250 KB
and a repeat visit under 10 KB (both printed); a reload keeps the conversation. Markup a
person types is shown as text and never runs; "delete all my data" and "Clear this chat"
leave nothing of the conversation on the device. Screenshots (desktop and phone, light
and dark) are kept in ``test-artifacts/``.

One Rasa server (and action server) is shared with ``test_web_drafts.py`` (see
:func:`steady`), and one Chromium per module.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from harness.servers import REST_TOKEN, ROOT, bring_checkins_due, stored_drafts

pytestmark = pytest.mark.e2e

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("STEADY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 30_000
FIRST_VISIT_LIMIT = 250_000
REPEAT_VISIT_LIMIT = 10_000
BUBBLE_LIMIT_MS = 300

# ------------------------------------------------------------------ one server, shared

@pytest.fixture(scope="module")
def steady(webchat_steady):
    """As a deployment runs it: the web chat, no REST door (tests/e2e/conftest.py); shared
    with test_web_drafts.py."""
    return webchat_steady


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium missing at {CHROMIUM}: run scripts/ensure-chromium"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# ------------------------------------------------------------------ measuring in the page

# Before any script of the page: when each bot message reaches the browser (socket.io
# frames over WebSocket or polling), and when each bot bubble is on screen (the frame
# after it was added).
TIMING = """
(() => {
  window.__arrivals = []; window.__bubbles = [];
  const note = (data) => {
    if (typeof data !== "string") return;
    const count = data.split('"bot_uttered"').length - 1, now = performance.now();
    for (let i = 0; i < count; i++) window.__arrivals.push(now);
  };
  const NativeSocket = window.WebSocket;
  const Socket = function (...args) {
    const socket = new NativeSocket(...args);
    socket.addEventListener("message", (event) => note(event.data));
    return socket;
  };
  Socket.prototype = NativeSocket.prototype;
  Object.assign(Socket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Socket;
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (...args) {
    this.addEventListener("readystatechange", () => {
      if (this.readyState === 4) note(this.responseText);
    });
    return open.apply(this, args);
  };
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.classList && node.classList.contains("sc-bot")) {
        requestAnimationFrame(() => window.__bubbles.push(performance.now()));
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


class Weigher:
    """Bytes the page receives (HTTP bodies and headers as sent, compressed; socket frames),
    counted by Chromium itself (DevTools protocol); cached responses count nothing."""

    def __init__(self, page) -> None:
        self.http = 0
        self.frames = 0
        self.requests: list[tuple[str, int]] = []
        self._urls: dict = {}
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent",
               lambda e: self._urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived",
               lambda e: setattr(self, "frames", self.frames + len(e["response"]["payloadData"])))
        cdp.send("Network.enable")

    def _finished(self, event) -> None:
        size = int(event["encodedDataLength"])
        self.http += size
        self.requests.append((self._urls.get(event["requestId"], "?"), size))

    @property
    def total(self) -> int:
        return self.http + self.frames

    def reset(self) -> None:
        self.http = self.frames = 0
        self.requests = []


def axe(page, where: str) -> list[str]:
    """axe-core on the page as it is now: the critical and serious violations (printed
    with the counts of every impact)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    counts: dict = {}
    for violation in result["violations"]:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
    print(f"axe, {where}: {counts or 'no violations'}")
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("critical", "serious")]


# ------------------------------------------------------------------ a person in a browser

class Chat:
    """One person in one browser profile, talking through Steady's chat client."""

    BOT = ".sc-bot .sc-text"    # the text of each bot bubble
    MINE = ".sc-me .sc-text"    # the text of each of the person's bubbles
    REPLY = ".sc-reply"         # the bot's quick replies (real buttons)
    INPUT = ".sc-input"
    LAUNCHER = ".sc-launcher"
    PANEL = ".sc-panel"

    def __init__(self, page, url: str) -> None:
        self.page = page
        self.url = url
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.loaded: list[str] = []  # every URL the page actually fetched
        page.set_default_timeout(TIMEOUT_MS)
        page.on("requestfinished", lambda request: self.loaded.append(request.url))
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda msg: msg.type == "error" and not self._expected(msg.text)
                and self.errors.append(msg.text))

    @staticmethod
    def _expected(error: str) -> bool:
        # socket.io upgrading a session that a page reload just closed: the server refuses
        # the stale sid (400) and the client carries on over a new one.
        return ("WebSocket connection to" in error and "&sid=" in error
                and "Unexpected response code: 400" in error)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def load(self) -> "Chat":
        self.page.goto(self.url)
        self.page.wait_for_selector(self.LAUNCHER, state="attached")
        return self

    def open(self) -> "Chat":
        """Load the page and open the chat (it may remember being open)."""
        self.load()
        if self.page.locator(self.PANEL).is_hidden():
            self.page.click(self.LAUNCHER)
        self.page.wait_for_selector(self.INPUT)
        return self

    def bot_texts(self) -> list[str]:
        return [text.strip() for text in self.page.locator(self.BOT).all_inner_texts()]

    def wait_for_bot(self, fragment: str) -> str:
        """The first bot message containing ``fragment``, once it has arrived."""
        self.page.locator(self.BOT, has_text=fragment).first.wait_for()
        return next(text for text in self.bot_texts() if fragment in text)

    def type(self, text: str) -> None:
        box = self.page.locator(self.INPUT)
        box.fill(text)
        box.press("Enter")
        self.page.locator(self.MINE, has_text=text[:40]).last.wait_for()

    def click(self, title: str) -> None:
        self.page.locator(self.REPLY, has_text=re.compile(f"^{re.escape(title)}$")).last.click()

    def session_id(self) -> str:
        return self.page.evaluate("localStorage.getItem('steady.session')") or ""

    def storage(self) -> str:
        """Everything the site keeps in this browser (local and session storage)."""
        return self.page.evaluate(
            "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")


class Keyboard:
    """The same person with the keyboard only: Tab, Shift+Tab, Enter, typing."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.page = chat.page

    def focused(self, script: str):
        return self.page.evaluate(
            f"(() => {{ const e = document.activeElement; return {script}; }})()")

    def tab_to(self, test: str, back: bool = False, limit: int = 25) -> None:
        for _ in range(limit):
            if self.focused(f"!!e && ({test})"):
                return
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
        raise AssertionError(f"Tab never reached {test}")

    def say(self, text: str) -> None:
        assert self.focused("e.classList.contains('sc-input')"), "focus: not in the message box"
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")
        self.page.locator(Chat.MINE, has_text=text[:40]).last.wait_for()

    def choose(self, title: str) -> None:
        """Shift+Tab back from the message box to the quick reply, then Enter."""
        self.page.locator(Chat.REPLY, has_text=re.compile(f"^{re.escape(title)}$")).last.wait_for()
        self.tab_to(f"e.classList.contains('sc-reply') && e.textContent === {json.dumps(title)}",
                    back=True)
        ring = self.focused(
            "getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
        assert ring.startswith("solid") and float(ring.split()[1][:-2]) >= 2, ring  # visible focus
        self.page.keyboard.press("Enter")
        self.page.locator(Chat.MINE, has_text=title).last.wait_for()


def small_targets(page) -> list[str]:
    """Controls of the chat smaller than 44 x 44 px (the text of inline links aside)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        '.sc button, .sc a, .sc select, .sc textarea, .sc [role=tab]')]
      .filter(e => e.offsetParent !== null && !e.closest('.sc-vh'))
      .map(e => [e, e.getBoundingClientRect()])
      .filter(([e, r]) => r.width < 44 || r.height < 44)
      .map(([e, r]) => `${e.tagName} ${e.textContent.trim()} ${r.width}x${r.height}`)""")


def test_keyboard_only_from_trigger_to_saved_draft_accessible_fast_and_light(steady, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.add_init_script(TIMING)
    weigher = Weigher(page)
    chat = Chat(page, f"{steady.url}/chat")
    keys = Keyboard(chat)

    # First visit, chat closed: the page and its assets, compressed.
    chat.load()
    page.wait_for_load_state("networkidle")
    first_visit = weigher.total
    assert "Steady" in page.title()
    assert axe(page, "chat closed") == []

    # Keyboard only from here: Tab to the launcher, Enter opens, focus lands in the box.
    keys.tab_to("e.classList.contains('sc-launcher')")
    assert keys.focused("e.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")
    chat.wait_for_bot("not a therapist")
    assert keys.focused("e.classList.contains('sc-input')")
    with_greeting = weigher.total
    log = page.locator(".sc-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert page.locator(".sc-header a", has_text="Get help now").get_attribute("href") == \
        "https://findahelpline.com"
    assert axe(page, "chat open") == []
    # On a desktop the page's crisis note stays in view beside the open chat, not under it.
    for width in (1100, 1440, 820):
        page.set_viewport_size({"width": width, "height": 900})
        note, panel = (page.locator(s).bounding_box() for s in (".note", ".sc-panel"))
        assert note["x"] >= 0 and note["x"] + note["width"] <= panel["x"], (width, note, panel)
    page.set_viewport_size({"width": 1100, "height": 900})

    # Esc closes and gives focus back to the launcher; Enter opens again.
    page.keyboard.press("Escape")
    assert page.locator(Chat.PANEL).is_hidden()
    assert keys.focused("e.classList.contains('sc-launcher')")
    page.keyboard.press("Enter")
    assert keys.focused("e.classList.contains('sc-input')")

    keys.say("my boyfriend got home at midnight without texting me")
    chat.wait_for_bot("alarm")
    keys.choose("I'm ready")                # real buttons, reached and pressed by keyboard
    chat.wait_for_bot("What are you feeling right now")
    assert axe(page, "mid-reflection") == []
    assert small_targets(page) == []
    keys.choose("scared")
    chat.wait_for_bot("What story is the fear telling you")
    keys.say("that he's losing interest in me")
    keys.choose("Yes, part of me knows")
    keys.choose("reassurance")
    chat.wait_for_bot("small, concrete request")
    keys.say("text me when he's running late")
    chat.wait_for_bot("So what happened was: you got home at midnight without texting me")
    keys.choose("Yes")

    draft = chat.wait_for_bot("When you got home at midnight without texting me")
    # The draft is a message of its own, exactly as composed: nothing eaten by any markup.
    assert draft.startswith("When you got home at midnight without texting me, I felt scared")
    assert "\\" not in draft
    keys.choose("Save")
    chat.wait_for_bot("Saved as draft #1")
    session = chat.session_id()
    assert re.fullmatch(r"[0-9a-f]{32}", session)
    assert [(c, text) for c, user, text in stored_drafts(steady.data_dir) if user == session] \
        == [("webchat", draft)]
    # what sets the alarm off most points to a routine a couple can agree on (issue 18)
    keys.say("what sets me off most?")
    chat.wait_for_bot("A routine that answers this one")

    # Every reply's first bubble (every bubble, in fact) on screen soon after it arrived.
    time.sleep(0.3)
    arrivals, painted = page.evaluate("[window.__arrivals, window.__bubbles]")
    assert len(painted) == len(arrivals) >= 10
    delays = [shown - came for came, shown in zip(arrivals, painted)]
    print(f"bubble on screen after the reply arrived: {len(delays)} bubbles, median "
          f"{statistics.median(delays):.1f} ms, max {max(delays):.1f} ms")
    assert max(delays) < BUBBLE_LIMIT_MS

    # Screenshots: desktop and phone, light and dark; axe in the dark too (contrast).
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for device, size in (("desktop", (1100, 900)), ("phone", (390, 844))):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.screenshot(path=str(ARTIFACTS / f"webchat-{device}-{scheme}.png"))
    assert axe(page, "chat open, dark, phone") == []
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1100, "height": 900})

    # Reduced motion honoured; a reply arriving while the chat is closed: a count, no text.
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.sc-log')).scrollBehavior") == "auto"
    page.emulate_media(reduced_motion="no-preference")
    page.keyboard.press("Escape")
    page.evaluate("""() => { const box = document.querySelector('.sc-input');
                              box.value = '/help'; box.form.requestSubmit(); }""")
    page.locator(".sc-badge").wait_for()
    assert re.fullmatch(r"\d+", page.locator(".sc-badge").inner_text())
    launcher = page.locator(Chat.LAUNCHER).inner_text()
    assert re.match(r"Chat with Steady, \d+ new messages?\d+$",  # its name says so, too
                    page.locator(Chat.LAUNCHER).evaluate("e => e.textContent"))
    page.keyboard.press("Enter")
    assert page.locator(".sc-badge").is_hidden()
    answer = chat.bot_texts()[-1]
    assert answer and answer not in launcher and answer[:20] not in page.inner_text("main")

    # A reload keeps the conversation: the history is shown and the bot still knows them.
    page.reload()
    chat.wait_for_bot("Saved as draft #1")
    assert any("When you got home at midnight" in text for text in chat.bot_texts())
    chat.type("show my drafts")
    listing = chat.wait_for_bot("Your drafts")
    lines = [line.strip() for line in listing.splitlines()]
    assert lines[0] == "Your drafts, newest first:"
    assert lines[1].startswith("#1 · ") and lines[2].startswith("When you got home at midnight")

    # A repeat visit: the page is revalidated (304), every asset comes from the cache.
    weigher.reset()
    page.goto(chat.url)
    chat.wait_for_bot("Your drafts")
    page.wait_for_load_state("networkidle")
    repeat_visit = weigher.total
    print(f"page weight: first visit {first_visit} B (chat closed), {with_greeting} B with the "
          f"chat opened and greeted; repeat visit {repeat_visit} B "
          f"({[(url.rsplit('/', 1)[-1][:40], size) for url, size in weigher.requests]})")
    assert first_visit < FIRST_VISIT_LIMIT and with_greeting < FIRST_VISIT_LIMIT
    assert repeat_visit < REPEAT_VISIT_LIMIT

    # A new tab: the same conversation goes on, with no copy of it and no second greeting.
    other = Chat(context.new_page(), chat.url).open()
    other.page.locator(".sc-note", has_text="Welcome back").wait_for()
    assert other.bot_texts() == [] and other.session_id() == session
    other.type("show my drafts")
    assert other.wait_for_bot("Your drafts").splitlines()[1].startswith("#1 · ")

    assert not chat.dialogs and not chat.errors and not other.errors
    assert [url for url in chat.loaded if not url.startswith((steady.url, "data:"))] == []
    context.close()


def test_in_the_moment_the_sentence_to_say_now_by_keyboard_and_axe(steady, browser):
    """Written while it is happening (issue 18, part 1), in the browser with the keyboard
    alone: the short path, the sentence in both halves as a message of its own kind, and
    "Later, when I'm calmer" as a real button; axe finds nothing critical or serious."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    chat = Chat(context.new_page(), f"{steady.url}/chat").open()
    keys = Keyboard(chat)
    chat.wait_for_bot("not a therapist")
    keys.say("its 2am and he's still not home, i can't stop checking his location")
    chat.wait_for_bot("It's happening right now")
    keys.choose("I'm ready")
    keys.choose("scared")
    chat.wait_for_bot("What story is the fear telling you")
    keys.say("that he's with someone else")
    keys.choose("Yes, part of me knows")
    said = chat.wait_for_bot("both halves of it")
    assert ("I'm feeling scared right now that you're with someone else, even though a part "
            "of me knows that's not true.") in said
    assert axe(chat.page, "in the moment") == []
    keys.choose("Later, when I'm calmer")
    chat.wait_for_bot("Come back when you're calmer")
    assert not chat.errors
    context.close()


def test_what_helps_me_feel_loved_by_keyboard_and_axe(steady, browser):
    """Issue 18, part 2, in the browser with the keyboard alone: the six kinds as real
    buttons, the example typed, the list shown, shared as a draft with its own choices;
    axe finds nothing critical or serious on the way."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    chat = Chat(context.new_page(), f"{steady.url}/chat").open()
    keys = Keyboard(chat)
    chat.wait_for_bot("not a therapist")
    keys.say("what helps me feel loved")
    chat.wait_for_bot("Which would you like to add or change")
    assert axe(chat.page, "what helps me feel loved: the kinds") == []
    keys.choose("Acts of care")
    chat.wait_for_bot("Acts of care: what could your partner do")
    keys.say("he makes me tea when I'm wiped out")
    chat.wait_for_bot("Acts of care: he makes me tea when I'm wiped out")
    keys.choose("Share it with my partner")
    said = chat.wait_for_bot("I've been thinking about what helps me feel loved")
    assert "Acts of care help me: you make me tea when I'm wiped out." in said
    assert axe(chat.page, "what helps me feel loved: shared") == []
    keys.choose("Save")
    chat.wait_for_bot("Saved as draft #1")
    assert not chat.errors
    context.close()


def test_routines_we_agree_on_by_keyboard_and_axe(steady, browser):
    """Issue 18, part 3, in the browser with the keyboard alone: the five kinds as real
    buttons, the description typed, the "Could we try …?" draft with its own choices and
    saved, where it stands told in words and shown in the list; axe finds nothing critical
    or serious with the kinds offered nor with the draft on offer."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    chat = Chat(context.new_page(), f"{steady.url}/chat").open()
    keys = Keyboard(chat)
    chat.wait_for_bot("not a therapist")
    keys.say("show my routines")
    chat.wait_for_bot("Small routines you both agree on can quiet the alarm")
    chat.wait_for_bot("Which routine would you like to describe?")
    kinds = ["Daily check-in", "Heads-up when late", "Weekly time together", "Asking for space",
             "Our phrase for anxious moments"]
    for title in kinds:
        chat.page.locator(Chat.REPLY, has_text=re.compile(f"^{re.escape(title)}$")).wait_for()
    assert axe(chat.page, "routines: the kinds") == []
    keys.choose("Our phrase for anxious moments")
    chat.wait_for_bot("Our phrase for anxious moments: what would you say")
    keys.say("'wobbly' means I'm anxious and a hug would help")
    chat.wait_for_bot("Kept, as an idea.")
    said = chat.wait_for_bot("Could we try a phrase for when my anxiety flares")
    assert said == ("Could we try a phrase for when my anxiety flares: 'wobbly' means I'm "
                    "anxious and a hug would help? I think it would help me feel steadier. "
                    "I'd love to hear what would work for you too.")
    for title in ("Save", "Rewrite it myself", "Discard"):
        chat.page.locator(Chat.REPLY, has_text=re.compile(f"^{re.escape(title)}$")).wait_for()
    assert chat.page.locator(Chat.REPLY, has_text="Change the feeling").count() == 0
    assert axe(chat.page, "routines: the draft") == []
    keys.choose("Save")
    chat.wait_for_bot("Saved as draft #1")
    keys.say("we agreed on the safe word")
    chat.wait_for_bot("Done: Our phrase for anxious moments is now agreed.")
    keys.say("show my routines")
    listing = chat.wait_for_bot("1. Our phrase for anxious moments:")
    assert listing == ("1. Our phrase for anxious moments: 'wobbly' means I'm anxious and a "
                       "hug would help (agreed)")
    assert not chat.errors
    context.close()


def test_markup_shows_as_text_and_deleting_leaves_nothing_on_the_device(steady, browser):
    context = browser.new_context()
    chat = Chat(context.new_page(), f"{steady.url}/chat").open()
    chat.wait_for_bot("not a therapist")

    chat.type("<script>alert(1)</script>")
    chat.wait_for_bot("code or markup")
    markup = "<img src=x onerror=alert(1)>"
    chat.type(f"he stopped replying to my texts after I sent him {markup}")
    chat.wait_for_bot("alarm")
    chat.click("Skip")
    chat.click("scared")
    chat.click("Skip")
    chat.click("Yes, part of me knows")
    chat.click("Skip")
    chat.click("Skip")
    # a line with markup in it is not one the guard proposes: the person is asked for the
    # sentence, and their own words (markup and all) are kept exactly
    chat.wait_for_bot("How would you put what happened")
    chat.type(f"you stopped replying to my texts after I sent you {markup}")
    draft = chat.wait_for_bot("When you stopped replying")
    assert markup in draft                    # echoed back, as text
    chat.click("Save")
    chat.wait_for_bot("Saved as draft")
    widget = chat.page.locator(".sc")
    assert widget.locator("img[src='x'], script").count() == 0
    assert chat.dialogs == []                 # nothing ran

    # This device's copy exists until the person deletes everything...
    old_session = chat.session_id()
    assert "stopped replying" in chat.storage()
    chat.type("delete all my data")
    chat.click("Yes, delete everything")
    chat.page.locator(".sc-note", has_text="Everything is deleted").wait_for()
    chat.wait_for_bot("not a therapist")     # a new session, greeted afresh
    # ...then nothing of the conversation is on screen or in the browser's storage.
    for where in (chat.page.inner_text(".sc"), chat.storage()):
        for said in ("stopped replying", "onerror", "alert(1)", old_session, "Saved as draft"):
            assert said not in where
    new_session = chat.session_id()
    assert re.fullmatch(r"[0-9a-f]{32}", new_session) and new_session != old_session
    assert not [d for d in stored_drafts(steady.data_dir) if d[1] == old_session]
    chat.page.reload()                        # and a reload brings none of it back
    chat.wait_for_bot("not a therapist")
    shown = chat.page.inner_text(".sc")
    assert "stopped replying" not in shown and "Everything is deleted" not in shown

    # "Clear this chat": the screen and the device forget this chat, a new one starts.
    chat.type("my boyfriend got home at midnight without texting me")
    chat.wait_for_bot("alarm")
    chat.page.click(".sc-clear")
    chat.page.locator(".sc-confirm button", has_text="Clear this chat").click()
    chat.page.locator(".sc-note", has_text="This chat is cleared").wait_for()
    chat.wait_for_bot("not a therapist")
    assert "midnight" not in chat.page.inner_text(".sc") + chat.storage()
    assert chat.session_id() not in ("", new_session)
    assert not chat.errors
    context.close()


def test_the_socket_refuses_other_origins(steady):
    """No CORS wildcard: a page on another site cannot open a conversation."""
    handshake = f"{steady.url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": "https://evil.example"}).status_code == 400
    own = requests.get(handshake, headers={"Origin": steady.url})
    assert own.status_code == 200


def test_the_page_is_served_with_a_csp_compressed_and_cacheable(steady):
    page = requests.get(f"{steady.url}/chat")  # requests asks for gzip
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache"
    # The page revalidates (ETag, 304); its assets have hashed names and are kept a year.
    again = requests.get(f"{steady.url}/chat", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and not again.content
    assets = re.findall(r'(?:src|href)="(/chat/[^"]+\.[0-9a-f]{12}\.(?:js|css))"', page.text)
    assert len(assets) == 3
    for asset in assets:
        served = requests.get(f"{steady.url}{asset}")
        assert served.status_code == 200 and served.headers["Content-Encoding"] == "gzip"
        assert "immutable" in served.headers["Cache-Control"]
        plain = requests.get(f"{steady.url}{asset}", headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers and plain.content == served.content
    # Unhashed names stay served (an embedding site), revalidated by ETag.
    script = requests.get(f"{steady.url}/chat/socket.io.js")
    assert script.status_code == 200 and "sourceMappingURL" not in script.text
    assert requests.get(f"{steady.url}/chat/socket.io.js",
                        headers={"If-None-Match": script.headers["ETag"]}).status_code == 304
    assert requests.get(f"{steady.url}/chat/webchat.js").status_code == 404  # rasa-webchat: gone
    assert requests.get(f"{steady.url}/chat/..%2Fpyproject.toml").status_code == 404
    assert requests.get(f"{steady.url}/chat/index.html").status_code == 404


def test_without_a_rest_token_there_is_no_rest_door(steady):
    for token in (None, REST_TOKEN, ""):
        response = steady.post_rest({"sender": "someone", "message": "show my drafts"}, token=token)
        assert response.status_code == 404
        assert "STEADY_REST_TOKEN" in response.json()["error"]
    assert requests.get(f"{steady.url}/webhooks/rest/").status_code == 404
    assert requests.get(f"{steady.url}/chat").status_code == 200  # the people's door is open


def test_the_page_for_the_partner_reads_without_the_chat_and_passes_axe(steady, browser):
    """Linked from the chat page; served at /partner with no script and no cookie, so it
    reads with JavaScript off; axe-core finds no critical or serious violation."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{steady.url}/chat")
    page.click("text=For your partner: what helps when the alarm goes off")
    page.wait_for_url(f"{steady.url}/partner")
    assert axe(page, "the page for the partner") == []
    context.close()
    quiet = browser.new_context(java_script_enabled=False)
    page = quiet.new_page()
    page.goto(f"{steady.url}/partner")
    shown = page.inner_text("main")
    assert "Validation before logic" in shown and "Thank you for telling me" in shown
    assert page.locator("h1").count() == 1 and page.locator("h2").count() >= 5
    assert quiet.cookies() == []
    quiet.close()
    served = requests.get(f"{steady.url}/partner")
    assert "set-cookie" not in {name.lower() for name in served.headers}
    assert "script-src 'self'" in served.headers["Content-Security-Policy"]
    assert requests.get(f"{steady.url}/chat/partner").text == served.text


def test_the_page_links_to_what_steady_keeps(steady, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{steady.url}/chat")
    page.click("text=What Steady keeps, and how to delete it")
    page.wait_for_url(f"{steady.url}/chat/privacy")
    shown = page.inner_text("main")
    assert "deleted 30 days after it happened" in shown and "delete all my data" in shown
    assert "browser tab's storage" in shown
    served = requests.get(f"{steady.url}/chat/privacy")
    assert "script-src 'self'" in served.headers["Content-Security-Policy"]
    context.close()


def test_a_check_in_that_came_due_is_shown_at_the_next_visit_once(steady, browser):
    """Issue 18, part 5, in the browser with the keyboard alone: the weekly question asked
    for (the zone asked once); once it is due, opening the page again shows it in the
    conversation's log (announced: role=log, aria-live), once; axe finds nothing critical or
    serious."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    chat = Chat(context.new_page(), f"{steady.url}/chat").open()
    keys = Keyboard(chat)
    chat.wait_for_bot("not a therapist")
    keys.say("check in with me every week")
    chat.wait_for_bot("what time is it where you are")
    keys.say("Europe/London")
    told = chat.wait_for_bot("I'll ask whether anything set off the alarm that week")
    assert "every Sunday at 6pm" in told and "open the chat" in told
    assert bring_checkins_due(steady.data_dir, chat.session_id()) == 1
    chat.open()  # a visit
    question = chat.wait_for_bot("Your weekly check-in: did anything set off the alarm")
    assert 'say "stop check-ins"' in question
    log = chat.page.locator(".sc-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert log.locator(Chat.BOT, has_text="Your weekly check-in").count() == 1
    assert axe(chat.page, "check-ins: shown at a visit") == []
    # counted as delivered once the page acknowledged it: next week's is due now
    next_week = (datetime.now(timezone.utc) + timedelta(days=5)).strftime("%Y-%m-%d %H:%M:%S")
    for _ in range(40):
        with sqlite3.connect(steady.data_dir / "steady.db") as db:
            [(due,)] = db.execute("select due_at from checkins where user_id = ?",
                                  (chat.session_id(),)).fetchall()
        if due > next_week:
            break
        time.sleep(0.25)
    assert due > next_week, due
    chat.open()  # another visit: the transcript of this tab, and nothing new from the server
    chat.wait_for_bot("Your weekly check-in")
    time.sleep(1.0)
    assert sum("Your weekly check-in" in text for text in chat.bot_texts()) == 1
    keys.say("stop check-ins")
    chat.wait_for_bot("Done: no more check-ins or reminders (1 stopped)")
    assert not chat.errors
    context.close()
