"""Reviewing saved drafts through the actions: real trackers, a real SQLite store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from actions.drafts import ActionSaveDraft, ActionShowDrafts
from actions.reflection import ActionChangeFeeling
from actions.review import (
    ActionAskDeleteDraft, ActionChangeSavedFeeling, ActionDeleteDraft, ActionEditDraft,
    ActionExportDrafts, ActionKeepDraft, ActionLinkAccount, ActionOpenDraft,
    ActionSetDraftStatus, ActionTriggerPatterns, ValidateLinkForm,
)
from actions.safety import ActionDeleteAllData
from bot.drafting import compose_draft
from bot.storage import DraftStore
from bot.storage.schema import LinkCode
from tests.conftest import make_tracker, run_action, slot_events

COMPOSED = dict(situation="he didn't text me back all evening", feeling="scared",
                fear=None, need="reassurance", request=None)


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def save(store: DraftStore, who: str = "alice", channel: str = "rest", **fields) -> int:
    fields = {**COMPOSED, **fields}
    text = fields.pop("text", None) or compose_draft(**fields)
    return store.save_draft(channel, who, text=text, trigger_type="slow_replies", **fields).number


def test_open_shows_the_draft_on_its_own_with_what_can_be_done(store, domain):
    save(store)
    messages, events = run_action(ActionOpenDraft(), make_tracker(text="open draft 1",
                                  intent="open_draft"), domain)
    assert messages[0]["text"].startswith("Draft #1 · ")
    assert messages[1]["text"].startswith("When you didn't text me back all evening")
    assert [b["title"] for b in messages[2]["buttons"]] == [
        "Edit the text", "Change the feeling", "Mark as sent", "Archive", "Delete"]
    assert slot_events(events) == {"current_draft": "1"}


def test_the_list_suggests_opening_a_number_the_person_has(store, domain):
    save(store)
    messages, _ = run_action(ActionShowDrafts(), make_tracker(text="show my drafts",
                             intent="show_drafts"), domain)
    assert 'Say "open 1"' in texts(messages)
    save(store), save(store)
    messages, _ = run_action(ActionShowDrafts(), make_tracker(text="show my drafts",
                             intent="show_drafts"), domain)
    assert 'Say "open 3"' in texts(messages)  # the newest, first in the list


def test_someone_elses_number_is_simply_not_there(store, domain):
    save(store, who="alice")
    messages, _ = run_action(ActionOpenDraft(), make_tracker("bob", text="open draft 1",
                             intent="open_draft"), domain)
    assert "don't have a draft #1" in texts(messages)
    assert "didn't text me back" not in texts(messages)


def test_mark_sent_and_archive_use_the_named_or_the_last_opened_draft(store, domain):
    save(store), save(store)
    messages, _ = run_action(ActionSetDraftStatus(), make_tracker(
        text="i sent draft 2", intent="mark_sent"), domain)
    assert "Marked draft #2 as sent" in texts(messages)
    messages, _ = run_action(ActionSetDraftStatus(), make_tracker(
        text="archive it", intent="archive_draft", slots={"current_draft": "1"}), domain)
    assert "Archived draft #1" in texts(messages)
    assert [(d.number, d.status) for d in store.list_drafts("rest", "alice")] == [
        (2, "sent"), (1, "archived")]
    messages, _ = run_action(ActionSetDraftStatus(), make_tracker(
        text="mark it as sent", intent="mark_sent"), domain)
    assert "Which draft" in texts(messages)


def test_the_list_can_be_filtered_by_status_and_trigger(store, domain):
    save(store), save(store)
    store.update_draft("rest", "alice", 1, status="sent")
    messages, _ = run_action(ActionShowDrafts(), make_tracker(text="show my sent drafts",
                             intent="show_drafts"), domain)
    assert "(sent)" in texts(messages) and "#1 ·" in texts(messages) and "#2 ·" not in texts(messages)
    messages, _ = run_action(ActionShowDrafts(), make_tracker(
        text="my drafts about cancelled plans", intent="show_drafts"), domain)
    assert "no saved drafts about cancelled plans" in texts(messages)


def test_deleting_one_draft_asks_first_and_no_keeps_it(store, domain):
    save(store), save(store)
    messages, events = run_action(ActionAskDeleteDraft(), make_tracker(
        text="delete draft 1", intent="delete_draft"), domain)
    assert "Delete draft #1 for good?" in texts(messages)
    assert slot_events(events) == {"pending_delete": "1"}
    assert len(store.list_drafts("rest", "alice")) == 2          # nothing yet
    messages, _ = run_action(ActionKeepDraft(), make_tracker(
        intent="deny", slots={"pending_delete": "1"}), domain)
    assert "kept draft #1" in texts(messages)
    messages, _ = run_action(ActionDeleteDraft(), make_tracker(
        intent="confirm_delete_draft", slots={"pending_delete": "1"}), domain)
    assert "Deleted draft #1" in texts(messages)
    assert [d.number for d in store.list_drafts("rest", "alice")] == [2]


def test_editing_a_saved_draft_checks_it_again_and_save_updates_it(store, domain):
    save(store)
    messages, events = run_action(ActionEditDraft(), make_tracker(
        text="edit draft 1", intent="edit_draft"), domain)
    assert "Draft #1 reads:" in texts(messages)
    assert events[-1] == {"event": "followup", "name": "rewrite_form", "timestamp": None}
    slots = slot_events(events)
    assert slots["editing_draft"] == "1"
    new_text = "When you didn't text back, I felt scared."
    messages, events = run_action(ActionSaveDraft(), make_tracker(
        intent="save_draft", slots={**slots, "draft_text": new_text}), domain)
    assert "Updated draft #1" in texts(messages)
    [draft] = store.list_drafts("rest", "alice")
    assert draft.text == new_text
    # What the edit put back into the conversation is emptied once it is saved.
    cleared = slot_events(events)
    assert {"draft_text", "situation", "fear", "editing_draft"} <= set(cleared)
    assert all(cleared[name] is None for name in cleared if name != "current_draft")


def test_changing_the_feeling_of_a_composed_draft_reopens_only_the_feeling(store, domain):
    save(store)
    _, events = run_action(ActionChangeFeeling(), make_tracker(
        text="change the feeling in draft 1", intent="change_feeling"), domain)
    assert events == [{"event": "followup", "name": "action_change_saved_feeling",
                       "timestamp": None}]
    _, events = run_action(ActionChangeSavedFeeling(), make_tracker(
        text="change the feeling in draft 1", intent="change_feeling"), domain)
    slots = slot_events(events)
    assert slots["feeling"] is None and slots["editing_draft"] == "1"
    assert slots["situation"] == COMPOSED["situation"]
    assert events[-1]["name"] == "reflection_form"


def test_a_draft_in_the_persons_own_words_is_not_recomposed(store, domain):
    save(store, text="Hey, when you went quiet I got scared. Can we talk?")
    messages, events = run_action(ActionChangeSavedFeeling(), make_tracker(
        text="change the feeling in draft 1", intent="change_feeling"), domain)
    assert "in your own words" in texts(messages)
    assert not any(e.get("event") == "followup" for e in events)


def test_export_holds_every_draft_and_what_was_written_around_it(store, domain):
    save(store), save(store, situation="she cancelled dinner", request="tell me earlier")
    messages, _ = run_action(ActionExportDrafts(), make_tracker(
        text="export my drafts", intent="export_drafts"), domain)
    export = messages[1]["text"]
    assert export.startswith("# My Steady drafts")
    assert export.index("## Draft 1") < export.index("## Draft 2")
    assert "- What happened: she cancelled dinner" in export
    assert "- Request: tell me earlier" in export
    assert "- Need: reassurance" in export


def test_trigger_patterns_are_counted_in_words(store, domain):
    for trigger in ("slow_replies", "slow_replies", "slow_replies", "cancelled_plans"):
        store.save_draft("rest", "alice", text="x", trigger_type=trigger)
    messages, _ = run_action(ActionTriggerPatterns(), make_tracker(
        text="what sets me off most?", intent="trigger_patterns"), domain)
    text = texts(messages)
    assert "you saved 4 drafts" in text
    assert "most: slow or fewer replies (3 times)" in text and "cancelled plans (once)" in text
    # ... and it points somewhere: the routine that answers the commonest one (issue 18)
    assert "agreed times to check in on busy days" in text and "therapist" not in text
    store.save_draft("rest", "alice", text="x", trigger_type="slow_replies")  # a 4th time
    messages, _ = run_action(ActionTriggerPatterns(), make_tracker(
        text="what sets me off most?", intent="trigger_patterns"), domain)
    assert "a therapist who knows attachment" in texts(messages)
    messages, _ = run_action(ActionTriggerPatterns(), make_tracker(
        "bob", text="what sets me off most?", intent="trigger_patterns"), domain)
    assert "no pattern to see yet" in texts(messages)


def _link(domain, code: str, who: str = "tg-7", channel: str = "telegram") -> tuple[str, dict]:
    tracker = make_tracker(who, text=code, channel=channel, active_loop="link_form",
                           slots={"requested_slot": "link_code", "link_code": code})
    # Rasa has just filled the slot from the text: that is what the validation sees.
    tracker.events.append({"event": "slot", "name": "link_code", "value": code})
    messages, events = run_action(ValidateLinkForm(), tracker, domain)
    return texts(messages), slot_events(events)


def test_linking_web_and_telegram_through_the_chat(store, domain):
    save(store, who="web-1", channel="webchat")
    messages, _ = run_action(ActionLinkAccount(), make_tracker(
        "web-1", text="link my telegram", intent="link_account", channel="webchat"), domain)
    code = messages[1]["text"]
    assert len(code) == 9 and code[4] == "-"

    said, slots = _link(domain, "WRNG-CODE")
    assert "didn't match" in said and slots["link_code"] is None      # asked again
    assert store.list_drafts("telegram", "tg-7") == []

    said, slots = _link(domain, code.lower())                          # case does not matter
    assert "Linked" in said and slots["link_code"] == "linked"
    assert [d.channel for d in store.list_drafts("telegram", "tg-7")] == ["webchat"]


def test_the_web_chat_offers_a_telegram_link_that_carries_the_code(store, domain,
                                                                    monkeypatch):
    """With the bot's username set, "link my accounts" in the web chat also gives
    t.me/<bot>?start=<code>, which the Telegram connector redeems as a typed code."""
    monkeypatch.setenv("STEADY_TELEGRAM_BOT", "@SteadyTestBot")
    messages, _ = run_action(ActionLinkAccount(), make_tracker(
        "web-1", text="link my accounts", intent="link_account", channel="webchat"), domain)
    code = messages[1]["text"]
    assert f"https://t.me/SteadyTestBot?start={code}" in texts(messages)
    # ...and not in Telegram itself, nor without a username
    messages, _ = run_action(ActionLinkAccount(), make_tracker(
        "tg-7", text="link my accounts", intent="link_account", channel="telegram"), domain)
    assert "t.me/" not in texts(messages)
    monkeypatch.delenv("STEADY_TELEGRAM_BOT")
    messages, _ = run_action(ActionLinkAccount(), make_tracker(
        "web-1", text="link my accounts", intent="link_account", channel="webchat"), domain)
    assert "t.me/" not in texts(messages)


def test_an_expired_code_links_nothing(store, domain):
    save(store, who="web-1", channel="webchat")
    code = store.create_link_code("webchat", "web-1")
    with store.engine.begin() as connection:
        connection.execute(update(LinkCode).values(
            expires_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
    said, slots = _link(domain, code)
    assert "expired" in said and slots["link_code"] == "expired"
    assert store.list_drafts("telegram", "tg-7") == []


def test_delete_all_erases_every_linked_conversation(store, domain):
    save(store, who="web-1", channel="webchat")
    store.redeem_link_code("telegram", "tg-7", store.create_link_code("webchat", "web-1"))
    messages, events = run_action(ActionDeleteAllData(), make_tracker(
        "tg-7", intent="confirm_delete_all", channel="telegram"), domain)
    assert "every linked chat" in texts(messages) and "encryption key" in texts(messages)
    assert slot_events(events)["erase_conversation"] == ["tg-7", "web-1"]
    assert store.list_drafts("webchat", "web-1") == []


def test_every_custom_action_in_the_domain_is_served_by_the_action_server(domain):
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name if isinstance(name, str) else next(iter(name))
              for name in domain["actions"]}
    assert custom <= set(executor.actions)


def test_only_actions_that_read_the_domain_are_sent_it_and_each_of_them_is(domain):
    """endpoints.yml enables Rasa's selective domain: an action gets the domain only when
    domain.yml says `send_domain: true`. Form validations read their form's slots from it."""
    import yaml
    from rasa_sdk.executor import ActionExecutor
    from rasa_sdk.forms import FormValidationAction

    from harness.servers import ROOT

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True
    sent = {next(iter(entry)) for entry in domain["actions"]
            if isinstance(entry, dict) and next(iter(entry.values())).get("send_domain")}
    executor = ActionExecutor()
    executor.register_package("actions")
    validations = {name for name, run in executor.actions.items()
                   if isinstance(getattr(run, "__self__", None), FormValidationAction)}
    assert validations and sent == validations


def test_discard_naming_a_saved_draft_means_delete_it_and_asks_first(store, domain):
    from actions.drafts import ActionDiscardDraft

    save(store)
    messages, events = run_action(ActionDiscardDraft(), make_tracker(
        text="delete the 1st draft", intent="discard_draft"), domain)
    assert messages == [] and events == [
        {"event": "followup", "name": "action_ask_delete_draft", "timestamp": None}]
    assert len(store.list_drafts("rest", "alice")) == 1


def _finishing_order(store, domain, monkeypatch, method: str, slow_action, slow_tracker) -> list:
    """Ana's action meets a database that is slow (``store.<method>`` waits) until Bea's
    "show my drafts" has been answered; which of the two finished first."""
    import asyncio
    import threading

    from rasa_sdk.executor import CollectingDispatcher

    release, finished = threading.Event(), []
    real = getattr(store, method)

    def slow(*args, **kwargs):
        release.wait(10)  # the database is slow for Ana until Bea has her answer
        return real(*args, **kwargs)

    monkeypatch.setattr(store, method, slow)

    async def run(action, tracker, who):
        await action.run(CollectingDispatcher(), tracker, domain)
        finished.append(who)
        if who == "bea":
            release.set()

    async def both():
        bea = make_tracker("bea", text="show my drafts", intent="show_drafts")
        await asyncio.gather(run(slow_action, slow_tracker, "ana"),
                             run(ActionShowDrafts(), bea, "bea"))

    asyncio.run(both())
    return finished


def test_one_slow_database_call_does_not_hold_up_another_persons_reply(store, domain,
                                                                        monkeypatch):
    """The store blocks; actions call it from a worker thread, so while one person's save
    waits on the database, another person's list is answered (ordering, not a timing)."""
    save(store, who="bea")
    ana = make_tracker("ana", intent="save_draft",
                       slots={"draft_text": "When you left, I felt scared."})
    assert _finishing_order(store, domain, monkeypatch, "save_draft", ActionSaveDraft(),
                            ana) == ["bea", "ana"]
    assert len(store.list_drafts("rest", "ana")) == 1


def test_deleting_everything_on_a_slow_database_does_not_hold_up_another_person(
        store, domain, monkeypatch):
    """"Delete all my data" waits on the database in a worker thread too: another person's
    list is answered meanwhile (ordering, not a timing)."""
    from actions.safety import ActionDeleteAllData

    save(store, who="ana")
    save(store, who="bea")
    ana = make_tracker("ana", text="delete all my data", intent="delete_all_data")
    assert _finishing_order(store, domain, monkeypatch, "delete_all", ActionDeleteAllData(),
                            ana) == ["bea", "ana"]
    assert store.list_drafts("rest", "ana") == [] and len(store.list_drafts("rest", "bea")) == 1


def test_every_trigger_points_to_a_routine_in_the_domain(domain):
    from bot.review import pattern_pointers
    from bot.triggers import TRIGGERS

    for trigger in TRIGGERS:
        [routine] = pattern_pointers({trigger: 1})
        assert routine in domain["responses"], routine
    assert pattern_pointers({None: 5})[0] == "utter_routine_for_other"
    assert pattern_pointers({}) == []
