"""Routines we agree on (issue 18, part 3): the kinds, the "Could we try …?" message, reading
what is asked and what is told, and storage (sealed like drafts, with a status, exported,
linked, deleted), on a real SQLite file and PostgreSQL; the actions against a real store."""
from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest

from bot import routines
from bot.review import format_export
from bot.routines import Routine
from bot.storage import DraftStore
from tests.test_storage import postgres_schema


def test_the_five_kinds_are_offered_in_order_each_known_by_its_names():
    kinds = routines.kinds()
    assert [k.name for k in kinds] == ["check_in", "heads_up", "time_together", "space", "phrase"]
    for each in kinds:
        assert routines.kind_named(each.label) == each
        assert all(routines.kind_named(name) == each for name in each.names)
    assert routines.kind_named("a safe word") == routines.kind("phrase")
    assert routines.kind_named("he never texts me at lunch") is None  # a story, not a kind
    assert routines.statuses() == ("idea", "proposed", "agreed", "paused")


def test_a_day_first_keeps_its_capital():
    assert ": Saturday mornings, phones away?" in routines.proposal(
        "time_together", "Saturday mornings, phones away")


def test_the_message_asks_could_we_try_in_the_persons_words_said_to_the_partner():
    message = routines.proposal("heads_up", "He texts me if he'll be more than 30 min late.")
    assert message.startswith("Could we try a heads-up when one of us is running late: you text")
    assert "you'll be more than 30 min late?" in message and " he " not in message
    assert message.endswith("what would work for you too.")
    # a feeling is the point of the phrase: kept, and its quotes closed
    phrase = routines.proposal("phrase", "'wobbly' means I'm anxious and a hug would help")
    assert ": 'wobbly' means I'm anxious and a hug would help?" in phrase
    space = routines.proposal("space", "I say 'I need an hour, I love you, I'll find you at 8'")
    assert "I'll find you at 8'?" in space
    assert routines.proposal("nonsense", "a call") == "" and routines.proposal("space", "  ") == ""


def test_the_list_is_numbered_in_the_kinds_order_with_where_each_stands():
    items = [Routine("phrase", "'wobbly'", "agreed"), Routine("check_in", "a call at lunch", "idea")]
    assert routines.format_routines(items) == (
        "1. Daily check-in: a call at lunch (an idea)\n"
        "2. Our phrase for anxious moments: 'wobbly' (agreed)")
    assert routines.format_routines(items, bullet="-").startswith("- Daily check-in: a call")


@pytest.mark.parametrize("text, asked", [
    ("show my routines", True),
    ("can we set up a routine with my bf", True),
    ("what's our safe word again", True),
    ("my agreements", True),
    ("/routines", False),
    # one's own routine, or an agreement broken, is not this
    ("my morning routine is a mess since he left", False),
    ("he broke our agreement about texting", False),
    ("he's out of our routine since the new job", False),
    # routines-round1's concepts (spent): proposing one, named by what it is
    ("can you help me propose a phone call every evening while he's away", True),
    ("i'd like to agree a weekly date night with my boyfriend, how do I bring it up", True),
    ("reckon we should have a rule about letting each other know if we'll be late", True),
    ("wat routines do we have rn", True),
    ("where can i see what me and my gf agreed on", True),
    # ... and not these
    ("any tips for a self care routine when im anxious", False),
    ("we had a safe word and he laughed when i used it", False),
    ("he knows my routine somehow, he turns up at the gym", False),
    # routines-round2's concepts (spent)
    ("i think we need an agreement about replying to texts", True),
    ("i want to propose one small thing to him, a call at lunch daily", True),
    ("how do i ask my partner for a daily check in call without sounding needy", True),
    ("can i set up a 'i need space' signal with my wife", True),
    ("pls show agreements 🙏", True),
    # ... and never these: a plan is a crisis cue, a proposal of marriage, a safe word that
    # failed
    ("i have a plan and everything i need", False),
    ("he's going to propose to her next week", False),
    ("our safe word didnt even work last night", False),
    # routines-round3's concepts (spent)
    ("mate can you set me up a routine w my gf - phone call every night at 9", True),
    ("can i add a new agreement - sunday walks together", True),
    ("can u list the stuff me n my gf agreed on", True),
    # routines-round6's concepts (spent): a phrase or code word wanted, setting one up as
    # a routine, a weekly sit-down started with the partner; and not a safe word laughed at
    ("i think we need a code word for when i'm spiralling", True),
    ("can we set that up as a routine, a walk every sunday", True),
    ("i want to begin a weekly catch-up chat with my husband", True),
    ("we made a safe word and she just laughed at it", False),
    # routines-round7's concepts (spent)
    ("could we add another one - a text when the train leaves", True),
    ("let's have an agreement about screens in bed", True),
    ("set up something so we both say when we need quiet time", True),
    ("ideas for a new routine? maybe sunday pancakes", True),
    ("whats the point of a code word if she laughs at it", False),
    ("my husband used the safe word to wind me up", False),
    ("why does he hate routines", False),
    # routines-round8's concepts (spent): one's own routine, someone else's, a safe word
    # ignored; a routine for the two of us still is one
    ("i want a routine for myself so i stop checking his location", False),
    ("my sister and her husband have a code word, so cute", False),
    ("we made a safe word but he just ignored it", False),
    ("start a new routine for me n jo: a call every friday", True),
])
def test_asking_for_the_routines_is_read_from_the_words(text, asked):
    assert routines.read_request(text) is asked


@pytest.mark.parametrize("text, status", [
    # routines-round8's concepts (spent)
    ("let's park the date night routine for a bit", "paused"),
    ("i need a routine for myself, i stopped the gym", None),
    # routines-round7's concepts (spent)
    ("the alone-time thing is back on", "agreed"),
    ("the goodnight 💤 thing is official now, we shook on it", "agreed"),
    ("put the weekly film night back to an idea", "idea"),
    # routines-round6's concepts (spent)
    ("holding off on the bedtime call routine this week", "paused"),
    ("he said let's try it, the 'pineapple' word", "agreed"),
    ("she is agree the heads-up routine", "agreed"),
    ("we agreed on the lunch call", "agreed"),
    ("pause routine 2", "paused"),
    ("i proposed the heads-up one", "proposed"),
    ("we're doing date night now", "agreed"),
    ("put the safe word on hold", "paused"),
    ("I suggested routine 3 to him and we agreed", "agreed"),
    # no routine pointed at, or an agreement kept badly: not read as a status by the NLU
    ("we agreed to meet at 8", None),
    ("we agreed he'd text when he's running late and he didn't", None),
    ("stop", None),
    # routines-round1's concepts (spent)
    ("she agreed to the weekly call!!!", "agreed"),
    ("we r back on friday date nights, unpause it", "agreed"),
    ("i mentioned the check in thing to him so thats proposed now", "proposed"),
    ("update: we've dropped the bedtime call for a bit, pausing it", "paused"),
    ("she's agreed to the 'ping me if ur late' thing, finally", "agreed"),
    # ... and not these: an agreement kept badly, a hurt, help asked, the only thing
    ("we agreed no phones at dinner and he answered 3 work calls", None),
    ("long distance and we agreed on a call every night. 4 nights in a row he's 'forgotten'",
     None),
    ("help me come up w a kind way for us to ask for space, i want to put it to him tonight",
     None),
    ("i want to stop being the one who always texts first", None),
    ("cutting back on texting him so much, trying to give him a bit of space", None),
    ("pls show all routines incl the paused ones", None),
    # routines-round2's concepts (spent)
    ("i pitched the reply-to-texts agreement to my gf this arvo", "proposed"),
    ("we're putting the bedtime chat on pause till exams are over", "paused"),
    ("she agreed to the 'home safe' text", "agreed"),
    ("Husband accepted the morning message routine. Please update it.", "agreed"),
    ("the text-when-late one is official now, we both said ok", "agreed"),
    ("we literally agreed on a goodnight call and he fell asleep without calling", None),
    # routines-round3's concepts (spent): an idea told with a negation stays an idea
    ("we both signed off on the space phrase", "agreed"),
    ("suggested the landing text to my bf, he's thinking about it", "proposed"),
    ("the no phones at dinner thing is just an idea for now, havent asked her", "idea"),
    ("hubby agreed to the tuesday thing, finally", "agreed"),
    ("the new call of duty dropped, rip my weekend plans with him", None),
])
def test_where_a_routine_stands_is_read_only_with_a_routine_pointed_at(text, status):
    assert routines.tells_status(text) == status


def test_which_routine_is_told_by_number_name_or_the_persons_own_words():
    items = [Routine("check_in", "a quick call at lunch", "idea"),
             Routine("heads_up", "a text if running late", "idea"),
             Routine("time_together", "Saturday mornings, phones away", "idea")]
    assert routines.which("we agreed on the lunch call", items).kind == "check_in"
    assert routines.which("pause routine 2", items).kind == "heads_up"
    assert routines.which("we're doing the saturday thing", items).kind == "time_together"
    assert routines.which("the date night one is agreed", items).kind == "time_together"
    assert routines.which("routine 9", items) is None
    assert routines.which("we agreed on it", items) is None  # three to choose from
    assert routines.which("we agreed on it", items[:1]).kind == "check_in"


# --- storage: sealed, one per kind, a status, exported, linked, deleted ------------------


def test_each_routine_is_kept_sealed_with_a_status_that_changes(store: DraftStore, tmp_path):
    store.save_routine("rest", "ana", "check_in", "a quick call at lunch")
    store.save_routine("rest", "ana", "phrase", "'wobbly' means hug me")
    assert store.set_routine_status("rest", "ana", "check_in", "agreed") is True
    assert store.set_routine_status("rest", "ana", "space", "agreed") is False  # none yet
    assert store.list_routines("rest", "ana") == [
        ("check_in", "a quick call at lunch", "agreed"), ("phrase", "'wobbly' means hug me", "idea")]
    store.save_routine("rest", "ana", "check_in", "a text at 6")  # a new one starts as an idea
    assert store.list_routines("rest", "ana")[0] == ("check_in", "a text at 6", "idea")
    assert store.list_routines("telegram", "ana") == []
    raw = sqlite3.connect(tmp_path / "steady.db").execute("SELECT example FROM routines").fetchall()
    assert len(raw) == 2 and not any("wobbly" in row[0] or "text at 6" in row[0] for row in raw)


def test_delete_all_removes_the_routines_and_export_includes_them(store: DraftStore):
    store.save_routine("rest", "cy", "heads_up", "a text if I'm late")
    store.set_routine_status("rest", "cy", "heads_up", "proposed")
    exported = format_export([], routines=store.list_routines("rest", "cy"))
    assert "## Routines we agree on\n\n- Heads-up when late: a text if I'm late (proposed)" in (
        exported)
    assert "Routines we agree on" not in format_export([])
    store.delete_all("rest", "cy")
    assert store.list_routines("rest", "cy") == []


def test_linking_brings_the_routines_along_and_keeps_the_linked_persons_own(store: DraftStore):
    store.save_routine("telegram", "t1", "check_in", "tg: a call at lunch")
    store.save_routine("rest", "r1", "check_in", "web: a text at 6")
    store.save_routine("rest", "r1", "space", "an hour, then I come back")
    code = store.create_link_code("telegram", "t1")
    store.redeem_link_code("rest", "r1", code)
    both = store.list_routines("rest", "r1")
    assert sorted(both) == [("check_in", "tg: a call at lunch", "idea"),
                            ("space", "an hour, then I come back", "idea")]
    assert store.list_routines("telegram", "t1") == both


def test_postgres_keeps_each_persons_routines_apart(keyring):
    with postgres_schema() as url:
        store = DraftStore(url, keyring)
        try:
            one, two = f"one-{uuid.uuid4()}", f"two-{uuid.uuid4()}"
            store.save_routine("rest", one, "time_together", "Sunday walks")
            store.save_routine("rest", two, "time_together", "Friday dinner")
            assert store.set_routine_status("rest", one, "time_together", "agreed")
            assert store.list_routines("rest", one) == [("time_together", "Sunday walks", "agreed")]
            assert store.list_routines("rest", two) == [("time_together", "Friday dinner", "idea")]
            store.delete_all("rest", two)
            assert store.list_routines("rest", two) == []
            assert store.list_routines("rest", one) != []
        finally:
            store.engine.dispose()


# --- the actions, against a real SQLite store and rendered from the domain as Rasa would --

from actions.routines import (  # noqa: E402
    ActionRoutines,
    ActionRoutineStatus,
    ActionSaveRoutine,
    ValidateRoutineForm,
)
from tests.conftest import make_tracker, run_action, slot_events  # noqa: E402


def test_the_kind_buttons_say_the_labels_of_the_data_file(domain):
    buttons = domain["responses"]["utter_routines_menu"][0]["buttons"]
    assert [b["title"] for b in buttons] == [k.label for k in routines.kinds()]
    assert [b["payload"] for b in buttons] == [
        f'/routine_kind{{"routine_kind": "{k.name}"}}' for k in routines.kinds()]
    asked = {v["condition"][0]["value"]
             for v in domain["responses"]["utter_ask_routine_example"] if "condition" in v}
    assert asked == {k.name for k in routines.kinds()}  # each kind has its own question


def test_described_routine_is_kept_as_an_idea_and_offered_as_a_could_we_try_draft(domain, store):
    shown, _ = run_action(ActionRoutines(), make_tracker("di", intent="routines"), domain)
    assert "Small routines you both agree on" in shown[0]["text"]
    tracker = make_tracker("di", slots={"routine_kind": "check_in",
                                        "routine_example": "he calls me at lunch",
                                        "trigger_type": "slow_replies"})
    shown, events = run_action(ActionSaveRoutine(), tracker, domain)
    assert shown[0]["text"].startswith("Kept, as an idea.")
    message = "Could we try a daily check-in: you call me at lunch?"
    assert any(message in (m["text"] or "") for m in shown)
    titles = [b["title"] for m in shown for b in m["buttons"]]
    assert "Save" in titles or "Keep my words and save" in titles
    assert "Change the feeling" not in titles
    slots = slot_events(events)
    assert slots["draft_kind"] == "routine" and message in slots["draft_text"]
    assert slots["routine_kind"] is None and slots["trigger_type"] is None
    assert store.list_routines("rest", "di") == [("check_in", "he calls me at lunch", "idea")]
    shown, _ = run_action(ActionRoutines(), make_tracker("di", intent="routines"), domain)
    assert shown[1]["text"] == "1. Daily check-in: he calls me at lunch (an idea)"


def test_where_a_routine_stands_is_kept_as_told_or_asked_again(domain, store):
    shown, _ = run_action(ActionRoutineStatus(), make_tracker("st", text="pause routine 1"), domain)
    assert "haven't described a routine yet" in shown[0]["text"]
    store.save_routine("rest", "st", "check_in", "a quick call at lunch")
    store.save_routine("rest", "st", "space", "an hour alone, then a hug")
    told = make_tracker("st", text="we agreed on the lunch call")
    shown, _ = run_action(ActionRoutineStatus(), told, domain)
    assert shown[0]["text"] == "Done: Daily check-in is now agreed."
    assert store.list_routines("rest", "st")[0][2] == "agreed"
    unclear = make_tracker("st", text="we agreed on it")
    shown, _ = run_action(ActionRoutineStatus(), unclear, domain)
    assert "couldn't tell which routine" in shown[0]["text"]
    assert shown[1]["text"].startswith("1. Daily check-in: a quick call at lunch (agreed)")


def test_a_kind_typed_while_the_form_asks_is_taken_and_a_crisis_is_let_through(domain):
    validate = ValidateRoutineForm()
    asked = {"requested_slot": "routine_kind"}
    typed = make_tracker(text="date night", intent="inform", slots=asked)
    assert asyncio.run(validate.extract_routine_kind(None, typed, domain)) == {
        "routine_kind": "time_together"}
    other = make_tracker(text="not sure", intent="inform", slots=asked)
    assert asyncio.run(validate.extract_routine_kind(None, other, domain)) == {
        "routine_kind": None}
    crisis = make_tracker(text="i want to die", intent="crisis", slots=asked)
    assert asyncio.run(validate.extract_routine_kind(None, crisis, domain)) == {}


def test_an_empty_description_is_asked_again(domain):
    validate = ValidateRoutineForm()
    shown = []

    class Dispatcher:
        def utter_message(self, **kwargs):
            shown.append(kwargs)

    assert validate.validate_routine_example("😊", Dispatcher(), make_tracker(), domain) == {
        "routine_example": None}
    assert shown == [{"response": "utter_routine_example_empty"}]


def test_a_database_that_is_down_loses_nothing_the_person_typed(domain, keyring):
    from actions.common import use_store

    use_store(DraftStore("postgresql://nobody@127.0.0.1:9/steady", keyring))
    try:
        tracker = make_tracker("fo", slots={"routine_kind": "space",
                                            "routine_example": "an hour, then a hug"})
        shown, _ = run_action(ActionSaveRoutine(), tracker, domain)
        assert "storage isn't answering" in shown[0]["text"]
        assert shown[1]["text"] == "an hour, then a hug"  # what they wrote, given back
        shown, _ = run_action(ActionRoutines(), make_tracker("fo"), domain)
        assert "couldn't open your routines" in shown[0]["text"]
    finally:
        use_store(None)


@pytest.mark.parametrize("text, intent", [
    ("show my routines", "routines"),
    ("can we set up a safe word", "routines"),
    ("we agreed on the lunch call", "routine_status"),
    ("pause routine 2", "routine_status"),
    # told before the loved list is read: "routine" is one of its kinds' names too
    ("Husband accepted the morning message routine. Please update it.", "routine_status"),
    ("add routine: text 'home safe' when either of us gets home", "routines"),
    # a routine's own name, typed at its menu, as its button sends it; and the way out
    ("date night", "routine_kind"),
    ("Weekly time together", "routine_kind"),
    ("delete all my data", "delete_all_data"),
])
def test_the_nlu_reads_asking_and_telling_from_the_words(text, intent):
    """A name shared with the loved list ("check-in") is the loved list's here: the routine
    form reads it while it asks (test_a_kind_typed_while_the_form_asks_…)."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.plugins.plain_answers import _read

    message = Message(data={"text": text, "intent": {"name": "inform", "confidence": 0.4}})
    _read(message)
    assert message.get("intent") == {"name": intent, "confidence": 1.0}



@pytest.mark.parametrize("text, guessed, kept", [
    ("any tips for a self care routine when im anxious", "routine_kind", False),
    ("agreed on the lunch call and he's missed it three days in a row", "routine_status", False),
    ("he used our safe word as a joke in front of his friends", "routines", False),
    ("show my routines", "routines", True),
])
def test_the_words_overrule_the_classifiers_guess_of_a_routine_intent(text, guessed, kept):
    """A classifier's routines guess gives way to its next one when the words say the
    message is not about the couple's routines (routines-round7, spent, pulled 5 in)."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.plugins.plain_answers import _read

    ranking = [{"name": guessed, "confidence": 0.7}, {"name": "trigger_other", "confidence": 0.2}]
    message = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    _read(message)
    assert (message.get("intent")["name"] in ("routines", "routine_kind", "routine_status")) is kept
