"""The observation: what the partner did, found in a messy message, and the grammar guard."""
import random
import re

import pytest

from bot.drafting import compose_draft, partner_pronouns
from bot.language import observation
from bot.language.draft_guard import (
    check_draft,
    check_observation,
    keeps_fact,
    observation_of,
    words_of,
)
from bot.language.observation import about_someone_else, find_observation
from bot.language.vouch import proposal as vouch_proposal


def _reads_clean(message: str, expected: str) -> str:
    """The line Steady finds in ``message``: it says ``expected`` and the guard passes it."""
    clause = find_observation(message).clause
    assert expected in clause, clause
    assert not check_observation(clause)
    return clause


@pytest.mark.parametrize("message, expected", [
    # the issue's own shapes
    ("Is it normal that he never says it back?", "you never said it back"),
    ("so background, we've been together four years, his mum is lovely, and then he "
     "cancelled again", "you cancelled again"),
    ("he strolled in at 11 and my brain already had him leaving me ngl", "you strolled in at 11"),
    ("him scrolling tiktok for 3 hrs", "you were scrolling tiktok for 3 hrs"),
    ("he took five hours to answer", "you took five hours to answer"),
    ("bro im lowkey tweaking. my gf said 'k' then nothing for 6 hours",
     "you said 'k' then nothing for 6 hours"),
    ("fr tho why does he only text me during work hours and then go silent at night",
     "you only texted me during work hours and then went silent at night"),
])
def test_the_observation_is_the_camera_view_spoken_to_the_partner(message, expected):
    found = find_observation(message)
    assert found.clause == expected
    assert check_observation(found.clause) == []


@pytest.mark.parametrize("message, expected", [
    # a count, a duration or a clock time in a fragment of its own stays with the fact
    ("she cancelled our date night again. third time this month. 'work stuff'",
     "you cancelled our date night again, the third time this month"),
    ("didn't reply. 9 hours. online the whole time", "you didn't reply, for 9 hours"),
    ("he was supposed to call after his flight landed at 6. nothing. its 8:15",
     "you were supposed to call after your flight landed at 6, and it was 8:15"),
    # the person's own action with a number, without what came after it
    ("he forgot to pick me up from the airport. I waited 45 min then took an uber.",
     "you forgot to pick me up from the airport, and I waited 45 min"),
    # facts in two sentences, each turned on its own ("and i asked" is not a reaction)
    ("is it normal that my girlfriend takes like 6 hours to answer a simple text? i asked "
     "what she wanted for dinner at noon and she replied at 6",
     "you took like 6 hours to answer a simple text, and I asked what you wanted for dinner "
     "at noon and you replied at 6"),
    ("bf forgot my birthday. literally. didn't even text until like 9pm",
     "you forgot my birthday, and you didn't even text until like 9pm"),
    # when, said as it is: never "for 10 min before"
    ("she called off the trip. 10 min before we left", "you called off the trip, 10 min before we left"),
    ("he picked me up from work. 40 minutes late. no sorry",
     "you picked me up from work, 40 minutes late"),
    ("she told me about the job offer. like the following week", "you told me about the job "
     "offer, the following week"),
    # since when, and how long it went on
    ("he stopped saying goodnight. started about 3 weeks ago",
     "you stopped saying goodnight, for 3 weeks now"),
    ("he ignored me at the wedding. 4 hours standing by the bar alone",
     "you ignored me at the wedding, for 4 hours"),
    ("she promised to fix the shelf. its been lying on the floor for a week",
     "you promised to fix the shelf, and it had been a week"),
    # the person's own act, "I" left out: the partner is who they told
    ("passed my driving test!! showed him the certificate and he just nodded",
     "I showed you the certificate and you just nodded"),
])
def test_the_details_that_make_it_concrete_are_kept(message, expected):
    found = find_observation(message)
    assert found.clause == expected
    assert check_observation(found.clause) == []


@pytest.mark.parametrize("message, expected", [
    # what went unremarked is named, when the clause ends without it
    ("new tattoo, he hasn't said a word. it's literally on my forearm.",
     "you hadn't said a word about my new tattoo"),
    # hedges are frames; "thats the third time" and a time alone are details
    ("Not a big thing but he didn't reply to my 'good morning' today. 11am now.",
     "you didn't reply to my 'good morning' today by 11am"),
    ("she cancelled on me again. thats the third time this month.",
     "you cancelled on me again, the third time this month"),
    ("bf promised to call when he landed in Seoul. that was 6 hours ago",
     "you promised to call when you landed in Seoul, and that was 6 hours ago"),
    # the person's own observation with a count; not a background fragment's number
    ("my boyfriend went to Ibiza with the lads and I've had one snapchat in 5 days",
     "you went to Ibiza with the lads, and I'd had one snapchat in 5 days"),
    ("We've been together since uni, 6 years now. Lately he falls asleep on the sofa and "
     "doesn't come to bed. Three nights this week.",
     "lately you fall asleep on the sofa and don't come to bed, for three nights this week"),
    # the person's own question and a hypothetical are not what happened
    ("my partner liked her ex's post at 2am. like why are you up at 2am liking HIS stuff",
     "you liked your ex's post at 2am"),
    ("istg if he doesnt answer in the next 10 min... he's been 'in a meeting' since 11",
     "you'd been 'in a meeting' since 11"),
])
def test_what_a_careful_reader_keeps_from_a_messy_message(message, expected):
    assert find_observation(message).clause == expected


@pytest.mark.parametrize("message, expected", [
    # a missing act, said as a statement about "you"
    ("bf 3 days no reply", "you didn't reply for 3 days"),
    ("no goodnight text tonight.", "you didn't send a goodnight text tonight"),
    # an occasion that went unremarked
    ("our anniversary was tuesday. he didn't say anything. not a card not a text.",
     "you didn't say anything about our anniversary, on tuesday"),
    # "zero", "not a single", "not even a" are a missing act too; a quoted missing word is said
    ("zero texts today. zero. he's in Glasgow for the audit",
     "you didn't text today, while you were in Glasgow"),
    ("not a single 'good luck' before my exam. he knew it was at 9.",
     "you didn't say 'good luck' before my exam, and you knew it was at 9"),
    ("No good morning text from him today. small thing I know.",
     "you didn't send a good morning text today"),
    # the person's own words, quoted, are not their feeling: the exchange stays whole
    ("i texted 'i miss you' and she replied 'haha' 😐",
     "I texted 'I miss you' and you replied 'haha'"),
    # the partner's own phrase in a detail agrees with "you"
    ("no call. he's been in Lagos 5 days. just 'network bad' texts",
     "you didn't call, and you'd been in Lagos 5 days"),
    # (issue 21) the act with its time, told before the missing goodbye, stays
    ("left at 6am. no goodbye.", "you left at 6am, and you didn't say goodbye"),
    # an -s verb that ends the clause agrees too; "it's tuesday" is when they write, not when
    ("we haven't kissed in 3 weeks. he just grabs his keys and goes",
     "we hadn't kissed in 3 weeks, and you just grabbed your keys and went"),
    ("cut my hair 10 inches on saturday. he hasnt said anything. it's tuesday.",
     "I cut my hair 10 inches on saturday, and you haven't said anything about my hair"),
    # the partner named in another language becomes "you" like any other
    ("mi novio forgot my birthday. his mamá had to remind him at 9pm",
     "you forgot my birthday, and your mamá had to remind you at 9pm"),
])
def test_short_and_mixed_language_messages_become_statements_about_you(message, expected):
    found = find_observation(message)
    assert found.clause == expected
    assert check_observation(found.clause) == []


def test_a_number_that_describes_a_thing_is_not_taken_for_how_long():
    clause = find_observation("we've been long distance for 8 months, 6 hour time difference. "
                              "today he messaged 30 min before our call that he's 'too tired'"
                              ).clause
    assert "time difference" not in clause and "30 min" in clause


def test_quoted_words_are_kept_even_when_they_look_like_chat_tags():
    assert "'lol'" in find_observation("he replied 'lol' to my voice note about my panic "
                                       "attack").clause


@pytest.mark.parametrize("clause, kind", [
    ("", "empty"),
    ("is it normal that you never say it back", "question"),
    ("you never say it back?", "question"),
    ("you came home at 11 ngl", "chat"),
    ("you came home at 11 😭", "chat"),
    ("you said he would call", "third_person"),
    ("you has been distant", "agreement"),
    ("you never texts back", "agreement"),
    ("you goes out every night", "agreement"),
    ("you walk in, says hi to the dog first", "agreement"),
    ("you booked a trip without asking me, found out from your mate", "run_on"),
    ("you went to the gym at 6, gym closes at 9", "run_on"),
    ("you went to the pub, and last seen 11:52", "run_on"),
    ("my man hasn't posted me once", "third_person"),
    ("you are not replying since morning", "verb_form"),
    ("you were go to your friend's birthday", "verb_form"),
    ("you didnt text me happy new year, and you midnight came and went", "garbled"),
    ("you keep your phone on silent and then checks it in the loo", "agreement"),
    ("you reply to the group chat in 2 mins but takes 5 hrs to answer me", "agreement"),
    ("you drove to your ex's on a sat night and was gone till midnight", "agreement"),
    ("you were on your phone the whole dinner, and our date night", "run_on"),
    ("you said you'd come over, and you 'maybe tomorrow'", "run_on"),
    ("I were waiting and you didn't call", "agreement"),
    ("came home and you were asleep", "no_subject"),
    ("mate you haven't replied since lunch", "no_subject"),
    ("we were meant to talk tonight, you went out instead", "run_on"),
    ("you (again) forgot to call", "garbled"),
    ("you said you'd call at 8 and you said you'd call at 8", "garbled"),
    ("you have been going out every night this week and comes back at 2", "agreement"),
    ("you scrolling tiktok for 3 hours", "verb_form"),
    (" ".join(["you came home late"] * 8), "too_long"),
])
def test_the_guard_names_what_any_reader_would_notice(clause, kind):
    assert kind in {problem.kind for problem in check_observation(clause)}


@pytest.mark.parametrize("clause", [
    "you came home at 11 without a text", "you didn't say it back",
    "you were on your phone the whole dinner", "you replied 'lol' to my voice note",
    "you kept texting your ex during our anniversary dinner", "you guys went out without me",
    "you liked her photos and comments all day", "you ignored my calls and texts",
    "you play games every night and it hurts",
    "you read my message at 6:02 and replied at 9:47", "you and I were meant to go out at 8",
    "last night you didn't come to bed, it was 3am",
    "you left at 7am, no goodbye, no kiss", "you moved out, and your toothbrush is gone",
    "you were on your phone all dinner, scrolling tiktok", "you told me the following day, "
    "the third time", "you forgot, and that's the 4th time this week",
])
def test_the_guard_passes_a_clean_observation(clause):
    assert check_observation(clause) == []


def test_the_guard_reads_the_observation_inside_a_draft_or_a_gentler_version():
    assert observation_of("When you came home late, I felt scared.") == "you came home late"
    assert check_draft("When you has been distant, I felt lonely.")
    assert check_draft("I felt lonely.") == []


def test_a_confirmed_observation_is_used_exactly_in_the_draft():
    draft = compose_draft("so background blah and then he cancelled again", "hurt",
                          observation="you cancelled our dinner at 6, AGAIN.")
    assert draft == "When you cancelled our dinner at 6, AGAIN, I felt hurt."
    assert compose_draft("x", "hurt", observation="When you left early") == \
        "When you left early, I felt hurt."


def test_on_held_out_folds_of_the_annotated_messages_drafts_pass_the_guard_and_keep_the_facts():
    """Four-fold: the segment classifier never saw the messages it is scored on."""
    examples = [e for e in observation.load_examples()]
    random.Random(0).shuffle(examples)
    folds = [examples[i::4] for i in range(4)]
    clean = faithful = total = 0
    for i, fold in enumerate(folds):
        model = observation.train([e for j, f in enumerate(folds) if j != i for e in f])
        for example in fold:
            if not example["partner"]:
                continue
            clause = find_observation(example["text"], model).clause
            total += 1
            clean += not check_observation(clause)
            gold = set(words_of(example["observation"])) - {"you", "your", "i", "me", "my",
                                                             "the", "a", "to", "and"}
            faithful += len(gold & set(words_of(clause))) >= 0.5 * len(gold)
    # 0.95 before the guard learnt run-ons, verbs without a subject and stray openers from
    # an independent reader (messy round 13): the clauses it now refuses were broken before
    # too (the person is asked for theirs), so the bar is what the stricter guard allows;
    # 0.88 since it also refuses "you" with no verb after it, verbless "and still nothing"
    # pieces and a clause opening on a bare count (messy round 17's reader): the 7 of 205 it
    # newly refuses here are all broken ("you no me escribió", "you today again did not …")
    assert clean / total >= 0.88
    assert faithful / total >= 0.75


@pytest.mark.parametrize("message, expected", [
    # messy round 9's (spent) broken clauses, as the rules behind them
    ("Tonight nothing. Her last message was 'lol' at 3pm.", "your last message was 'lol' at 3pm"),
    ("why does my girlfriend take hours to answer", "you took hours to answer"),
    ("She came back Sunday and went straight to bed. Didn't notice.",
     "you came back Sunday and went straight to bed, and you didn't notice"),
    ("got my first tattoo today, been planning it for a year. he said 'cool' and went back to "
     "his laptop",
     "I got my first tattoo today, and you said 'cool' and went back to your laptop"),
])
def test_whose_and_which_verb_a_reader_would_see(message, expected):
    assert find_observation(message).clause == expected


def test_an_occasion_with_a_name_in_it_is_not_the_partner():
    assert "your day" not in find_observation(
        "Valentine's day. Nothing. He said 'we don't do that commercial stuff'").clause


def test_someone_elses_partner_at_the_very_start_is_someone_else():
    assert observation.about_someone_else(
        "dad's new wife didn't come to my graduation, said she had a headache")
    assert not observation.about_someone_else("husband forgot my birthday again")
    # a person described with a word or two ("my online friend from discord") is still them
    assert observation.about_someone_else(
        "my online friend from discord hasn't been on in 3 days, is he mad at me")
    assert not observation.about_someone_else("my sweet silly boyfriend didnt text")


@pytest.mark.parametrize("message", [
    "my older brother's girlfriend keeps leaving him on read, what do i say to him",
    "mi hermano forgot my graduation",
    "went on one date with a guy and now he's gone quiet for a week",
    "a girl i matched with cancelled our coffee an hour before",
    "my date last night checked his phone the whole time",
    "my fiance's sister didn't say a word to me all evening",
    # someone else's story, the partner only what they talk about
    "my aunt keeps telling my girlfriend she's too quiet and i want to say something to her",
    # "not my partner" names no partner of theirs
    "my uncle never calls back and i know he's not my partner but it stings",
])
def test_someone_who_is_not_the_partner_gets_no_draft(message):
    assert observation.about_someone_else(message)


@pytest.mark.parametrize("message", [
    # the partner's relative or ex is in it, but the partner is the one who acted
    "my girlfriend's ex liked her photo and she liked his comment back",
    "my husband's mum asked us over and he said no for both of us",
    "we met on bumble two years ago and lately he never texts first",
])
def test_the_partner_acting_beside_someone_else_is_still_the_partner(message):
    assert not observation.about_someone_else(message)


# Issue 21: the short facts around the chosen clause are kept (messages in our own words).
@pytest.mark.parametrize("message, facts", [
    # a named time in the next sentence, against the one the clause already has
    ("my wife keeps saying she'll fix the gate 'next week'. she said it in may. it's august.",
     ["may", "august"]),
    # the thing it was about, in a sentence of its own before the act
    ("I cooked his favourite curry for our anniversary. spent all afternoon. he ate it on the "
     "sofa watching football.", ["anniversary", "sofa"]),
    # a count and a name in the sentences after the act
    ("he keeps bringing up his coworker Priya. Priya this, Priya that. like 8 times at lunch",
     ["Priya", "8 times"]),
    # the person's own piece with a time, about the same moment
    ("she didn't come to my recital. the front seat I saved stayed empty. it started at 7",
     ["recital", "7"]),
])
def test_short_facts_in_the_sentences_around_the_act_are_kept(message, facts):
    found = find_observation(message).clause
    assert check_observation(found) == [], found
    assert all(keeps_fact(fact, found) for fact in facts), found


def test_what_is_not_what_happened_brings_no_facts():
    # the person's inner talk, a question, a worry, and someone else's opinion stay out
    for message, absent in [
        ("he cancelled our trip. i keep thinking about the cabin on friday", "cabin"),
        ("he cancelled our trip. is it because of the money on friday?", "friday"),
        ("he cancelled our trip. if he cancels christmas too im done", "christmas"),
        ("he cancelled our trip. my sister says he did the same on her birthday", "birthday"),
    ]:
        assert not keeps_fact(absent, find_observation(message).clause), message


def test_three_facts_fit_in_thirty_words_without_the_hedges():
    message = ("so like my boyfriend literally just told me he's basically moving to Leeds for "
               "work in like 2 months. he told his mum first. she knew since easter")
    found = find_observation(message).clause
    assert len(words_of(found)) <= 30
    assert check_observation(found) == []
    assert all(keeps_fact(fact, found) for fact in ["Leeds", "2 months"]), found


def test_fact_words_are_numbers_times_names_and_the_occasion():
    assert observation.fact_words("he said soon in march") == {"march"}
    assert observation.fact_words("like 12 of this one girl's photos last night") >= \
        {"12", "photo"}
    assert observation.fact_words("i asked Sam about the wedding at 8:15") >= \
        {"sam", "wedding", "8", "15"}
    assert observation.fact_words("he never says it back") == set()


def test_a_comma_splice_is_joined_by_and_rather_than_shown_or_cut():
    # each fact kept; the sentences after the commas get their "and"
    found = find_observation("he went to the pub after work on friday, he said he'd be home "
                             "at 7, he came in at 11")
    assert found.clause == ("you went to the pub after work on friday, and you said you'd be "
                            "home at 7, and you came in at 11")
    assert check_observation(found.clause) == []


def test_a_clause_the_guard_refuses_is_never_proposed_as_it_is():
    # a verb without its subject cannot be mended without guessing who did it: the person
    # is asked (propose_observation gets a clause the guard refuses)
    found = find_observation("left on read again")
    assert check_observation(found.clause)


@pytest.mark.parametrize("message, expected", [
    # a "why did" question, its frame gone, keeps its past: never "you unfollow me"
    ("fr tho why did she unfollow me on tiktok", "you unfollowed me on tiktok"),
    ("why didn't he call me back last night", "you didn't call me back last night"),
    # chat shorthand spelled out in a calm message
    ("he forgot my bday w/o even a text", "you forgot my birthday without even a text"),
    ("tbh the thing that got me was he introduced me as 'my friend' at the bar",
     "you introduced me as 'my friend' at the bar"),
    ("he's skipped 3 of our last 4 calls", "you'd skipped 3 of our last 4 calls"),
    # which anniversary, not how long
    ("my wife forgot our anniversary. 12 years. not even a text",
     "you forgot our anniversary, and you didn't text"),
])
def test_questions_and_shorthand_become_a_plain_statement(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent readers of spent messy rounds 17 and 18: what a careful person
# would write, where the rewrite used to paste the message's pieces in as they were typed.
@pytest.mark.parametrize("message, expected", [
    ("he said he'd call at 9. its 11:15.", "you said you'd call at 9, and you still hadn't called by 11:15"),
    ("2 hrs late. no text. again 🙃", "you were 2 hrs late and didn't text"),
    ("he liked my message with a 👍 instead of replying. I told him I got the job.",
     "you liked my message with a thumbs-up instead of replying, and I told you I got the job"),
    ("he didnt come to my work award thing even tho he said he would. everyone else had "
     "someone there", "you didn't come to my work award thing even though you said you would"),
    ("wife took her mum's side in front of everyone at Christmas lunch, didnt even look at me",
     "you took your mum's side in front of everyone at Christmas lunch, and didn't even look "
     "at me"),
    ("Sorry for the English. My boyfriend he promise to call me at 8 o'clock from the airport "
     "and he call at 11 and he says nothing about why",
     "you promised to call me at 8 o'clock from the airport and you called at 11 and you said "
     "nothing about why"),
    ("ok so maybe im overreacting but he said he'd be back by 7 and walked in at 10:40 no text "
     "nothing. i just sat there with the pasta going cold",
     "you said you'd be back by 7 and walked in at 10:40 without a text"),
    ("can someone tell me if this is normal. my boyfriend of 6 months has never once asked "
     "about my family", "you had never once asked about my family"),
])
def test_what_a_careful_person_would_write(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 19: second-language English, as a
# careful friend would write it back (the writer's own verbs told in the past, "since 3
# days" as "for 3 days", "said she will" as "said you'd", "has ... off since" as "you've
# had", "it's 2 days he is like this"), and who the partner is left out of what they did.
@pytest.mark.parametrize("message, expected", [
    ("My husband did not pick me up from the airport like he promise, I wait one hour with "
     "the kids", "you did not pick me up from the airport like you promised, and I waited one "
                 "hour with the kids"),
    ("my girlfriend went to the concert with her friends and she don't answer my calls from "
     "10 until 3", "you went to the concert with your friends and you didn't answer my calls "
                   "from 10 until 3"),
    ("My bf has his phone on silent since Friday. I asked and he said 'work stuff'",
     "you'd had your phone on silent since Friday, and I asked and you said 'work stuff'"),
    ("my wife is nurse and she is online but not answer me since 2 days",
     "you were online but didn't answer me for 2 days"),
    ("he went to his parents, he said he will call when he arrive. nothing",
     "you went to your parents, and you said you'd call when you arrived"),
    ("my husband came home and didn't say anything. It's 3 days he is like this",
     "you came home and didn't say anything, and you'd been like this for 3 days"),
    # the present as typed stays: a habit, what is known or felt, words said
    ("he always takes 3 hours to reply and i wait up for him", "you always took 3 hours to reply"),
    ("he didn't say I love you back last night", "you didn't say I love you back last night"),
    # messy round 20's reader (spent): the past twice, a double negative, a missing text
    # inside the sentence, "w" for "with", "its our"
    ("she didn't said anything about my promotion when i told her at dinner",
     "you didn't say anything about my promotion when I told you at dinner"),
    ("he came home at 11 and didn't say nothing", "you came home at 11 and didn't say anything"),
    ("he said he'd be back by 7 and walked in at 10:40 no text no call nothing and just went "
     "straight to the shower", "you said you'd be back by 7 and walked in at 10:40 without a "
                              "text or a call and just went straight to the shower"),
    ("he was at the pub w his mates till 2", "you were at the pub with your mates till 2"),
    ("its our 1 year and he got me nothing", "it's our 1 year and you got me nothing"),
])
def test_second_language_english_is_written_back_as_a_careful_friend_would(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 23: a promise told alone when the
# message says it was not kept, a promise's hour gone by, a silence since then in the present
# perfect, a past time that puts the verb in the past, no one misses their own call, a
# "because" left at the front, the usual ("he always says it") is not the fact.
@pytest.mark.parametrize("message, expected", [
    ("bf promised to come to my recital, seat was empty. 😞",
     "you promised to come to my recital and didn't"),
    ("She said she'd text when she got home from drinks. nothing. instagram says active 2m ago",
     "you said you'd text when you got home from drinks and didn't"),
    ("my boyfriend he say he call me after the meeting at 5 but now is 8 and nothing",
     "you said you'd call me after the meeting at 5, and you still hadn't called by 8"),
    ("no reply since 3pm 😶", "you hadn't replied since 3pm"),
    ("he follows like 40 new girls on insta this week??",
     "you followed like 40 new girls on insta this week"),
    ("didn't text back after i sent the pic of my new dress 👗 it's been 5h",
     "you didn't text back for 5h after I sent the pic of my new dress"),
    ("Is it normal to feel sick because my bf forgot to say goodnight?? he always says it",
     "you forgot to say goodnight"),
    ("Wah my bf say he going to play mahjong with his friends until 2am then never reply my "
     "message at all leh", "you said you were going to play mahjong with your friends until 2am "
                          "and then never replied to my message at all"),
    # a habit stays in the present
    ("he never sends me hearts", "you never sent me hearts"),
])
def test_what_the_round_23_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 24: the details in the fragments
# around the act, second-language forms a careful friend would mend, a day put first moved
# after the act, "I've had one text" said as what the partner did, words of theirs in quotes
# that would not agree with "you", "them" that is not the partner.
@pytest.mark.parametrize("message, expected", [
    ("he cancelled our dinner again. 3rd time this month",
     "you cancelled our dinner again, the 3rd time this month"),
    ("he hugged his ex at the party. a long hug. like 10 seconds. i counted.",
     "you hugged your ex at the party, for 10 seconds"),
    ("He was meant to call after his interview at 2. nothing. I know it probably went badly",
     "you were meant to call after your interview at 2 and didn't"),
    ("he had his headphones in the whole drive to his parents, 2 hours, didn't talk to me once",
     "you had your headphones in the whole drive to your parents for 2 hours, and didn't talk "
     "to me once"),
    ("bro istg my gf been ignoring me since the party fr", "you'd been ignoring me since the party"),
    ("he turned off read receipts last week. out of nowhere. after 3 years of having them on",
     "you turned off read receipts last week, after 3 years of having them on"),
    ("he introduced me as his 'friend' to his boss at the work christmas do",
     "you introduced me as your 'friend' to your boss at the work christmas do"),
    ("My husband is not picking my calls since morning", "you hadn't picked up my calls since morning"),
    ("My boyfriend he say he come to airport for pick me up at 14:00 but he not come",
     "you said you'd come to the airport to pick me up at 14:00 but you didn't come"),
    ("Long story. we had a really good weekend. Then Monday she went quiet.",
     "you went quiet on monday"),
    ("he's in Singapore for work and I've had one text in 4 days",
     "you'd sent me one text in 4 days, while you were in Singapore"),
    ("he cancelled our weekend away and says he 'needs space'",
     "you cancelled our weekend away and said you need space"),
])
def test_what_the_round_24_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 25.
@pytest.mark.parametrize("message, expected", [
    ("my boyfriend he say he call me after his meeting at 5 but now is 9 and no call, no message",
     "you said you'd call me after your meeting at 5, and you still hadn't called by 9"),
    ("so we had plans to go to ikea saturday and he just. went golfing instead with his brother",
     "we had plans to go to ikea saturday and you just went golfing instead with your brother"),
    ("we were supposed to facetime at 8 and he just. didn't show",
     "we were supposed to facetime at 8 and you didn't show"),
])
def test_what_the_round_25_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 26.
@pytest.mark.parametrize("message, expected", [
    ("she left me on read since 2pm 😭😭", "you'd left me on read since 2pm"),
    ("bf went to Vegas for his mate's bucks... sorry bachelor party... and has sent me exactly "
     "one text in 3 days", "you went to Vegas for your mate's bucks, and you had sent me "
                           "exactly one text in 3 days"),
    ("Is it normal for a husband to sleep on the couch 3 nights in a row without saying why?",
     "you slept on the couch 3 nights in a row without saying why"),
    ("is it normal for a man to not say i love you back", "you didn't say I love you back"),
])
def test_what_the_round_26_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 27 (made-up messages, the same
# shapes): emoji standing for a full stop, a ranking lead-in, a filler with its comma.
@pytest.mark.parametrize("message, expected", [
    ("she watched my story and didnt reply 🥲 she replies to everyone else's",
     "you watched my story and didn't reply, and you replied to everyone else's"),
    ("honestly the worst part was she didnt look up when i came in",
     "you didn't look up when I came in"),
    ("She used to say it first. Hasn't said it first since like, June.",
     "you used to say it first, and you hadn't said it first since June"),
])
def test_what_the_round_27_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 28 (made-up messages, the same
# shapes): an emoji as the reply, the partner's "found time", the person's own question.
@pytest.mark.parametrize("message, expected", [
    ("i wrote her a whole letter about us and she reacted 👍",
     "I wrote you a whole letter about us and you reacted with a thumbs-up"),
    ("he's been 'swamped' for days but found time for drinks with his team friday",
     "you found time for drinks with your team friday, and you'd been 'swamped' for days"),
    ("he ate the last slice i saved for him lol why am i upset",
     "you ate the last slice I saved for you"),
])
def test_what_the_round_28_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


# Learnt from the independent reader of spent messy round 29 (made-up messages, the same
# shapes): "when I …, he …" with the "when" gone ran the two acts together; text-speak.
@pytest.mark.parametrize("message, expected", [
    ("when i showed her my new tattoo she just said 'ok' and kept scrolling",
     "I showed you my new tattoo, and you just said 'ok' and kept scrolling"),
    ("when I call him he say 'busy busy'", "I called you, and you said 'busy busy'"),
    ("when i ask her about it she says im overthinking",
     "I asked you about it, and you said im overthinking"),
    ("he didnt say ily back last night", "you didn't say I love you back last night"),
])
def test_what_the_round_29_reader_noticed(message, expected):
    assert find_observation(message).clause == expected


def test_an_emoji_sent_as_a_thing_is_not_taken_for_a_full_stop():
    assert "thumbs-up" in find_observation("he gave me a 👍 to 'I miss you'").clause


def test_we_are_married_six_years_is_said_as_a_careful_friend_would():
    from bot.language.observation import _tail_mends
    assert _tail_mends("you forgot my birthday, and we are married 6 years") == \
        "you forgot my birthday, and we've been married for 6 years"


def test_an_excuse_told_with_a_bare_verb_is_not_made_a_promise():
    clause = find_observation("he said he fall asleep, i waited 45 minutes at the airport").clause
    assert "you'd" not in clause and clause.startswith("you said you f")


@pytest.mark.parametrize("clause", [
    "you new dress, and you looked up from your phone and just said 'ok lets go'",  # no verb
    "you sorry for the English, and you promised to call me at 8",
    "you read my msg at 4 and still nothing, and it's 9 now",         # a verbless piece
    "you won't post me, and 2 years together",
    "7 hour time difference, and you fell asleep during our call",    # opens on a bare count
    "2 hour train to your sister's and you had your headphones in",  # a count, then "and you"
    "you were quiet at dinner, and 4 hour flight and you slept the whole way",  # … mid-line
    "you said you'd be home by 7, like not one msg",                  # a chat aside
    "you're gaming till 3am every night and comes to bed when im asleep",  # "you … comes"
])
def test_the_guard_refuses_pieces_that_are_no_clause(clause):
    assert check_observation(clause)


@pytest.mark.parametrize("clause", [
    "you immediately turned over and went on your phone",
    "you reply to the group chat in seconds but leave me on delivered for hours",
    "you replied to my texts in 1 word, like 'k' and 'ya'",
    "you RSVP'd for one and went to your cousin's wedding without me",
    "you said 'ready?' and nothing about the dress I wore for our date",
    "you texted her, like 8 times",
    "you came home, 3 hours late",
    "you were 2 hours late, and 20 minutes after that you left",
])
def test_the_guard_lets_plain_clauses_through(clause):
    assert not check_observation(clause)


@pytest.mark.parametrize("message, expected", [
    # the writer's own discovery, "I" left out, stays the writer's (messy round 30, spent)
    ("she told her friends about our fight before she even talked to me about it. found out "
     "from Megan", "and I found out from Megan"),
    # "them" is the glasses when the partner is "my bf"
    ("is it normal to cry because my bf didnt say anything about my new glasses. i wore them "
     "2 full days", "and I wore them 2 full days"),
    # "'s not" before a participle is "has not"
    ("Bf went to a festival with his uni friends, I saw on snap he's been with a girl in every "
     "story, and he's not replied since Friday", "you've not replied since Friday"),
    # what went unanswered is kept beside what the partner did meanwhile
    ("no reply to 6 messages. 6. he was online at 3:17",
     "you didn't reply to 6 messages, and you were online at 3:17"),
    # "2 days of nothing" says how long nothing came, not what came after
    ("he went silent after i said i got the job in Leeds. like 2 days of nothing",
     "and I heard nothing for 2 days"),
])
def test_messy_round_30_shapes(message, expected):
    assert expected in find_observation(message).clause


@pytest.mark.parametrize("message", [
    "I mean I don't want to be that gf but he's been sending his coworker memes all evening",
    "i dont want to be that gf but he's been sending his coworker memes all evening",
])
def test_a_hedge_about_oneself_is_not_the_observation(message):
    assert find_observation(message).clause == \
        "you'd been sending your coworker memes all evening"


@pytest.mark.parametrize("message, expected", [
    # the writer's shrug on the end goes (messy round 31, spent)
    ("got a haircut. a big one. 6 inches off. he said nothing all evening lol whatever",
     "you said nothing all evening"),
    ("we matched outfits for the party and he changed last minute without telling me lol tiny "
     "thing i know", "we matched outfits for the party and you changed last minute without "
     "telling me"),
    # the writer's feeling before the fact is a frame
    ("Is it weird that I'm upset he went to Bali with his family and didnt invite me?",
     "you went to Bali with your family and didn't invite me"),
    # an emoji inside quotes goes with its space; a verb after "and" agrees with "you"
    ("he's texting someone called 'Sam 🏋️' a lot and turns the screen away",
     "you were texting someone called 'Sam' a lot and turned the screen away"),
    # "just..." is a pause inside the sentence, not its end
    ("he made plans with his friends for the same night as my work party and just... forgot "
     "he said he'd come", "you made plans with your friends for the same night as my work "
     "party and just forgot you said you'd come"),
    # the hour, then what it finds, joined
    ("u up? sorry. its 2am he's not home, last seen 11:52. am i overreacting",
     "it's 2am and you're not home"),
    # "is not answering for 2 days" in the present perfect
    ("Hello, my girlfriend is not answering for 2 days after our argument. Her status show "
     "online. What should I do", "you hadn't been answering for 2 days after our argument"),
    # what was forgotten, told after a full stop, is kept as the object
    ("he forgot again. the bins AND our date night",
     "you forgot the bins and our date night again"),
    # ... but a new sentence about someone else is not
    ("he forgot my birthday. like actually forgot. his mum texted me before he did",
     "you forgot my birthday"),
    # the hour now, after "since dinner", says how long
    ("He's been in the shed with his model trains since dinner. It's 11.",
     "you'd been in the shed with your model trains since dinner, and it was 11"),
    # facts round 32's examiner wanted kept (spent): when it was cancelled, when they came
    # back, while the writer was away, how long it has been, how often the writer asked
    ("cancelled dinner. again. 20 mins before we were meant to leave",
     "you cancelled dinner, 20 mins before we were meant to leave"),
    ("He went out. Didn't say where. Back at 2.",
     "you went out, and you didn't say where, and you were back at 2"),
    ("He forgot to feed my cat while I was away for 2 days. Luna is fine but like. One job.",
     "you forgot to feed my cat while I was away for 2 days"),
    ("My wife took her wedding ring off to do the dishes and hasn't put it back on, it's been "
     "sitting by the sink for 3 days now", "you took your wedding ring off to do the dishes "
     "and hadn't put it back on, and it had been 3 days"),
    ("He gamed with his online friends for 6 hours straight today, saturday, our only day off "
     "together. I asked twice if we could go for a walk.", "you gamed with your online friends "
     "for 6 hours straight today, and I asked twice if we could go for a walk"),
])
def test_shapes_the_readers_of_messy_rounds_31_to_33_noticed(message, expected):
    assert find_observation(message).clause == expected


@pytest.mark.parametrize("message, theirs", [
    # a couple's date, and "bestie" said to Steady, are the person's own story (messy round
    # 33, spent); "my mum she …" and a first date with someone new are not
    ("We had a date at 7. He showed up at 7:50 no text no call and just said 'traffic'", False),
    ("bestie hes been 'busy' all week but his spotify says he was listening at 3am", False),
    ("my mum she never calls me back", True),
    ("i had a date with a guy from hinge and he ghosted", True),
])
def test_whose_story_it_is(message, theirs):
    assert about_someone_else(message) is theirs


@pytest.mark.parametrize("message, expected", [
    # messy round 33's reader notes (spent): an emoji newer than Python's Unicode tables goes
    ("told her i love her for the first time and she sent a heart emoji back 🫠",
     "I told you I love you for the first time and you sent a heart emoji back"),
    # someone else named at the start of a fragment did it, not the writer
    ("hubby forgot to pick up the kids from footy on tuesday cause he was 'in a meeting' and "
     "didnt tell me, coach had to ring me", "and the coach had to ring me"),
    # "left me on read since 3pm" in the present perfect, what follows kept
    ("lowkey freaking out. he left me on read since 3pm. saw the message, no reply 💀",
     "you'd left me on read since 3pm, and you didn't reply"),
    # "he not say me nothing" in plain English
    ("My boyfriend he go out with friends the saturday and he come back at 4 am, he not say me "
     "nothing before", "and you didn't tell me anything before"),
])
def test_messy_round_33_shapes(message, expected):
    assert expected in find_observation(message).clause


def test_a_clock_time_alone_is_kept():
    # "door closed. 10:15." (messy round 33, spent): the time is a fact of its own
    assert find_observation("she went to bed without saying goodnight, after we'd been fine "
                            "all day. door closed. 10:15.").clause.endswith("and it was 10:15")


@pytest.mark.parametrize("message, expected", [
    # messy round 34 (spent): the pronouns a partner uses, told to Steady, are not kept
    ("my partner (they/them) forgot to pick me up from the train station last night",
     "you forgot to pick me up from the train station last night"),
    # a verb joined with its subject left out agrees with "you"
    ("my boyfriend forgot we had couples therapy at 4 today and was at the pub",
     "you forgot we had couples therapy at 4 today and were at the pub"),
    # what was not told is kept ("which hotel" is no relative clause)
    ("my partner went on a work trip to Singapore and didn't tell me which hotel",
     "you went on a work trip to Singapore and didn't tell me which hotel"),
    # a verb in the past after a comma, its subject left out, is the partner's second act
    ("hubby didn't eat the dinner i made, ordered zomato instead 🥲",
     "you didn't eat the dinner I made and ordered zomato instead"),
    # a name said between commas stays
    ("She spent the whole party talking to this guy from her work, Jake, for like an hour in "
     "the kitchen", "talking to this guy from your work, Jake, for an hour in the kitchen"),
    # "he" after "my mum's" cannot be the mum: it is the partner
    ("Partner didn't come to my mum's funeral reception, said he had to get back to work",
     "you didn't come to my mum's funeral reception and said you had to get back to work"),
])
def test_messy_round_34_shapes(message, expected):
    clause = find_observation(message).clause
    assert expected in clause
    assert not check_observation(clause)


@pytest.mark.parametrize("message, unexpected", [
    # the subject left out is not always the partner: "it" took me four hours, Tom texted,
    # and after "i saw him do it" the scrolling was his, not the writer's
    ("i cooked his mum's recipe, took me 4 hours, he ate it watching youtube and said nothing",
     "and took me"),
    ("my gf's 'best friend' Tom, who she used to date btw, texted her at 11pm and she went to "
     "the balcony to answer", "date and texted"),
    ("He deletes his messages. I saw him do it on the train this morning, scrolled and deleted "
     "a whole chat.", "and scrolled"),
    # a sentence without its subject (messy round 38, spent): the writer's own act, a finding
    # out, what a word "used to be", stay theirs
    ("he didnt say anything when i wore the dress. the red one. bought it for his work party.",
     "and bought it"),
    ("so my bf is gaming w his online friends and a girl calls him babe. heard it thru the door",
     "you heard"),
    ("he keeps calling me 'mate' now. used to be babe. since like last month.", "you used"),
    ("My boyfriend is German and very direct, yesterday he forget my birthday", "German"),
    ("ok so he said he'd be home by 7 and its now 10:40. i keep refreshing his location",
     "refreshing"),
    ("he said 'we should take a break from texting so much' does that mean hes done",
     "does that mean"),
    # found trying the bot by hand: the checking after "and" is the writer's, not the fact
    ("it's 12:40 and she's still not back from her work drinks and i keep checking her "
     "location", "checking"),
])
def test_a_left_out_subject_is_not_always_the_partner(message, unexpected):
    assert unexpected not in find_observation(message).clause


@pytest.mark.parametrize("message, expected", [
    # messy round 35's reader notes (spent), as shapes
    ("hes texting some girl called Mia at 2am and turned his phone face down when i walked in",
     "you were texting some girl called Mia at 2am and turned your phone face down"),
    ("seen 14:02. no reply. it's now 19:30. he's been online the whole time",
     "you saw my message at 14:02"),
    ("gf said she'd be home by 7 after drinks w work ppl, rolled in at half 12 no text 🙃 am I "
     "being a psycho", "after drinks with work people and rolled in at half 12 without a text"),
    ("Bhai my girlfriend is telling she is busy busy but she is posting stories every 1 hour. "
     "she not replying me from morning.", "you hadn't been replying to me since this morning"),
    ("He went to the pub on my birthday. MY BIRTHDAY. came back at 10 smelling of beer and "
     "gave me a card from the petrol station", "you came back at 10 smelling of beer"),
    ("yesterday at the market she was like 5 metres ahead whole time",
     "you were 5 metres ahead the whole time"),
    ("Husband took a call and went out to the garden to take it, 25 min, came back and said "
     "'nobody'.", "to take it for 25 min, and came back and said 'nobody'"),
    ("My partner is in the army and on exercise, I get that, but he had signal for Facebook "
     "yesterday and not for me", "you had signal for Facebook yesterday"),
    ("he's been distant since his ex got in touch. he reads her messages and smiles and puts "
     "the phone away when I come over",
     "you read her messages and smile and put the phone away"),
    ("Is it normal that he's never once asked how my therapy is going?",
     "you'd never once asked how my therapy is going"),
    ("bf and i have a standing call every sunday at 7 and he missed it",
     "we had a standing call every sunday at 7 and you missed it"),
    ("its our 1 year tmrw and he's booked a golf weekend with the boys",
     "it's our 1 year tomorrow"),
    # messy round 36's reader notes (spent), as shapes
    ("he always 'forgets' to charge his phone when he goes out with the boys",
     "you always 'forget' to charge your phone"),
    ("he didnt txt me bak all night and hes not even working tmrw",
     "you didn't text me back all night and you're not even working tomorrow"),
    ("we live together and he's been sleeping on the couch 3 nights in a row",
     "you'd been sleeping on the couch 3 nights in a row"),
    ("lowkey hurt that she introduced me as 'my friend' to her coworkers at the bbq yesterday",
     "you introduced me as 'my friend' to your coworkers"),
    # messy round 38's reader notes (spent), as shapes: a sentence that leaves its subject
    # out takes the one its story had; what did not come joins the act; second-language
    # phrases said plainly; who the partner is is not what happened
    ("we were supposed to go ring shopping sat and he just. didn't bring it up. went to the gym "
     "instead.", "and you went to the gym instead"),
    ("she didnt reply to my long msg about my grandad. just reacted with a 👍. i poured my "
     "heart out", "and you just reacted with a thumbs-up"),
    ("I changed the whole living room around. Painted a wall green. He walked in, dropped his "
     "bag and asked what's for dinner.", "you walked in and dropped your bag and asked"),
    ("My husband forgot our anniversary. 12 years. Not a card not a word.",
     "you forgot our anniversary without a card or a word"),
    ("Yaar my fiancé didn't call me even once on Diwali, he was with his cousins the whole day, "
     "only sent a forward message at night", "the whole day and only sent a forward message"),
    ("Hello, my novio he go to the fiesta with his friends and no invite me, and he not answer "
     "the phone in all the night", "and didn't invite me, and you didn't answer the phone all "
     "night"),
    ("sorry for my english. my boyfriend he play the playstation from 8 until 2 in night and "
     "not come to bed", "from 8 until 2 at night"),
    ("My husband's mother said something rude to me at dinner and he kept quiet only, didn't "
     "say a single word", "you kept quiet, and didn't say a single word"),
    ("he went on a work trip to singapore and i've had exactly one text in 4 days",
     "you'd sent me exactly one text in 4 days"),
    ("we've been long distance for 8 months and he used to call every night and now it's like "
     "twice a week", "you used to call every night and now it's twice a week"),
    ("my wife and I used to have coffee together every morning. last two weeks she takes hers "
     "in the study with the door shut.", "you'd taken yours in the study with the door shut "
     "for the last two weeks"),
    ("ok so this is probably dumb but he said he'd be home by 7 and it's now 10:40 and nothing, "
     "not one text, i made dinner and everything and i keep refreshing his location",
     "it was 10:40 without a single text"),
    # messy round 39's (spent)
    ("my bf dont call me since sunday, before he called every night",
     "you hadn't called me since sunday"),
    ("he asked me today why I am sad, he have forget that I told him my grand-mother is in "
     "hospital", "you had forgotten that I told you"),
    ("he didnt say goodnight last night and now my whole day is ruined",
     "you didn't say goodnight last night"),
    ("hes been 'working late' every nite this week", "you'd been 'working late' every night"),
    ("My husband forgot our anniversary. 12 years. Not a card, nothing. He went to golf.",
     "you forgot our anniversary without a card, and you went to golf"),
    ("He wished his ex happy birthday on Facebook. Publicly. With a heart.",
     "on Facebook publicly with a heart"),
    ("My wife went to her book club and stayed out till 1am, her phone was off the whole time",
     "with your phone off the whole time"),
    # messy round 40's (spent)
    ("she left me on delivered since lunch", "you'd left me on delivered since lunch"),
    ("he left me on seen for 2 days and then came back w 'wyd' like nothing happened",
     "came back with 'wyd'"),
    ("my husband is going every weekend to his parents without me for 6 weeks",
     "you'd been going every weekend"),
    ("he didn't say anything when I told him I got the job, just 'nice' and went back to his "
     "laptop", "just said 'nice'"),
    ("he forgot to come to my presentation and I looked at the door all the 20 minutes",
     "the whole 20 minutes"),
])
def test_messy_reader_notes_as_shapes(message, expected):
    _reads_clean(message, expected)


def test_someone_elses_partner_with_a_word_between_is_theirs():
    # "my teenage son's girlfriend" (messy round 35, spent) is not the person's partner
    assert about_someone_else("my teenage son's girlfriend dumped him by text and he won't eat")


@pytest.mark.parametrize("message, unexpected", [
    # a plan is not made past by a past act beside it, and "he's never tired of" is "is"
    ("he's going to his ex's birthday drinks on friday and told me i wouldn't know anyone",
     "you were going"),
    ("he's never tired of football and forgot my birthday", "you've never tired"),
])
def test_messy_round_35_shapes_keep_their_neighbours(message, unexpected):
    assert unexpected not in find_observation(message).clause


def test_how_old_the_thing_is_is_kept():
    # "HE LIKED HIS EX'S PHOTO. from 2019. at 3am." (messy round 35, spent)
    clause = find_observation("HE LIKED HIS EX'S PHOTO. from 2019. at 3am.").clause
    assert "from 2019" in clause and "3am" in clause


@pytest.mark.parametrize("text", [
    # messy round 39 (spent): asked "is it normal …" without "that", and "me and my …"
    "is it normal my son doesnt text back when he's at uni? 4 days now",
    "me and my housemate used to cook together every night and now she eats in her room",
])
def test_someone_elses_story_asked_about_or_told_with_me_and(text):
    assert about_someone_else(text)
    assert not about_someone_else(text.replace("son", "bf").replace("housemate", "gf"))


def test_everyone_elses_partners_do_not_make_it_someone_elses_story():
    assert not about_someone_else("lowkey hurt that he went to his friend's birthday friday and "
                                  "didnt ask me to come, everyone else brought their partners")
    assert about_someone_else("my sister's boyfriend hasnt called her in 4 days")


def test_where_the_writer_is_is_not_where_the_partner_was():
    # "i've been in Chennai 2 weeks" (messy round 36, spent) is the writer's trip
    assert "while you were in Chennai" not in find_observation(
        "is it normal my gf doesn't say she misses me when i'm away? i've been in Chennai 2 "
        "weeks for training").clause
    assert "while you were in Glasgow" in find_observation(
        "zero texts today. zero. he's in Glasgow for the audit").clause


@pytest.mark.parametrize("message, expected", [
    # messy round 37's reader notes (spent), as shapes
    ("bro im so tired. she was on the phone w her bestie for 3 hrs on our date night. THREE "
     "HOURS", "for three hours"),
    ("Just a quick one—he didn't reply to my good morning. It's 2pm.",
     "you didn't reply to my good morning"),
    ("he cancelled our dinner plans 20 min before. AGAIN. said work stuff came up. third time "
     "this month ngl i'm spiralling", "the third time this month"),
    ("bf fell asleep on call while i was crying abt my dad", "crying about my dad"),
    ("my boyfriend he not answer my call since yesterday evening, i call him 8 times",
     "you hadn't answered my call since yesterday evening"),
    ("Yaar my husband came back from office at 11 pm and didn't even inform.",
     "didn't even let me know"),
])
def test_messy_round_37_shapes(message, expected):
    clause = find_observation(message).clause
    assert expected in clause, clause
    assert "spiralling" not in clause and "tHREE" not in clause and "quick one" not in clause
    assert not check_observation(clause)


def test_a_range_keeps_its_dash():
    assert "Tue–Thu" in find_observation(
        "he went to Manchester for the conference Tue–Thu and rang once").clause


# Messy round 41's reader (spent) and shapes like them, written here
@pytest.mark.parametrize("message, expected", [
    ("Partner spent whole sunday on the xbox. we were meant to go to ikea",
     "you spent the whole sunday on the xbox"),
    ("bf left me on delivered for 9 hrs 💀 he was online tho",
     "you left me on delivered for 9 hrs, and you were online"),
    ("bf forgot valentines 🙃 bought himself new trainers the same day tho",
     "you forgot valentines and bought yourself new trainers the same day"),
    ("He didnt notice I cleaned the whole flat. 4 hours. Not a word",
     "you didn't notice I cleaned the whole flat and you didn't say a word"),
    ("My boyfriend was since 3 days not answering my messages, only he writes 'busy'.",
     "you hadn't been answering my messages for 3 days, and only wrote 'busy'"),
    ("Forgot our anniversary. Third year. Didn't even say anything till I brought it up at 9pm",
     "you forgot our third anniversary, and you didn't even say anything till I brought it up "
     "at 9pm"),
    ("my bf lah, say he come fetch me at 7 then never come, i wait until 7.45 then take grab home",
     "you said you'd come fetch me at 7 and then never came, and I waited until 7.45 then took "
     "grab home"),
    ("my boyfriend he say he come at 8 but he arrive 11 and not write me nothing",
     "you said you'd come at 8 but you arrived at 11 and didn't write me anything"),
    ("Yaar my husband is not picking my calls since morning, 5 missed calls he has seen",
     "you hadn't picked up my calls since morning, and you'd seen my 5 missed calls"),
    ("he dint tell me he was goin to his moms for the weekend, found out from his sistr",
     "you didn't tell me you were going to your moms for the weekend"),
    ("fr why does she need to text her coworker at 11pm on a saturday",
     "you texted your coworker at 11pm on a saturday"),
    ("my gf said she'd call after her dinner with her ex. thats 3 hrs ago",
     "you said you'd call after your dinner with your ex, and that was 3 hrs ago"),
    ("he walked past me without saying hi when he came home, headphones on",
     "you walked past me without saying hi when you came home, with your headphones on"),
    # the same shapes in other words
    ("she said she'd be home 7 and didnt show", "you said you'd be home at 7 and didn't show"),
    ("he turned up 9:40 and didn't say sorry", "you turned up at 9:40 and didn't say sorry"),
    ("she said she was at work. then posted from the beach 20 mins later",
     "you said you were at work, and you posted from the beach 20 mins later"),
])
def test_messy_round_41_shapes(message, expected):
    clause = find_observation(message).clause
    assert clause == expected
    assert not check_observation(clause)


@pytest.mark.parametrize("message, expected", [
    # a count after "left" is what was left, not a clock time
    ("he hasn't called me back in 3 days, I left 2 voicemails", "I left 2 voicemails"),
    # an emoji sent as a thing is still the thing
    ("he replied 💀 and went to bed", "skull emoji"),
])
def test_round_41_mends_leave_these_alone(message, expected):
    assert expected in find_observation(message).clause


# Messy round 42's reader (spent) and shapes like them, written here
@pytest.mark.parametrize("message, expected", [
    ("tbh i don't even know if this counts but he hasn't said i love you back since like Sunday",
     "you hadn't said I love you back since like Sunday"),
    ("my gf spent the whole party talking to her coworker Jake and like barely came over to me "
     "once", "you spent the whole party talking to your coworker Jake and barely came over to me "
     "once"),
    ("we had plans Saturday for my cousins bday and he bailed Friday night bc 'too tired'",
     "we had plans Saturday for my cousins birthday and you bailed Friday night and said you "
     "were 'too tired'"),
    ("he said 'maybe' to coming to my work xmas party and then just didnt show up, didnt text, "
     "nothing. i kept looking at the door all night",
     "you said 'maybe' to coming to my work xmas party and then just didn't show up, and didn't "
     "text"),
    ("he left for his run at 6 and it's 9 now and he's not picking up, rings out. i'm so scared",
     "you left for your run at 6 and it was 9 and you were not picking up, and it rang out"),
    # the same shapes in other words
    ("my bloke went to the footy Sunday arvo and didnt answer my calls till 9pm",
     "you went to the footy Sunday arvo and didn't answer my calls till 9pm"),
    ("she said 'I need some space' and went to her sister's for the weekend, hasn't messaged "
     "since friday", "you said 'I need some space' and went to your sister's for the weekend, "
     "and you hadn't messaged since friday"),
])
def test_messy_round_42_shapes(message, expected):
    clause = find_observation(message).clause
    assert clause == expected
    assert not check_observation(clause)


# Messy round 42's asks (spent): messages Steady asked the person to put their way, and the
# facts it left out, as shapes written here
@pytest.mark.parametrize("message, expected", [
    ("👀 seen 9:12pm", "you saw my message at 9:12pm and didn't reply"),
    ("read at 14:02. nothing.", "you saw my message at 14:02 and didn't reply"),
    ("is it normal to feel sick bc ur gf went to her ex's birthday party",
     "you went to your ex's birthday party"),
    ("so first he was 40 mins late to pick me up from the station and then he spent the whole "
     "drive on a call with his brother", "you were 40 mins late to pick me up from the station "
     "and then you spent the whole drive on a call with your brother"),
    ("cut my hair like 6 inches shorter and he hasn't said a single thing. it's been 3 days",
     "I cut my hair like 6 inches shorter and you haven't said a single thing, and it's been 3 "
     "days"),
    ("I know this is normal but it still hurts: she didn't notice I shaved my beard",
     "you didn't notice I shaved my beard"),
    ("hes been on call with his 'bestie' (female) for 3 hrs in the other room",
     "you'd been on call with your 'bestie' for 3 hrs in the other room"),
    ("he sed hed text wen he landed and its been 5 hrs since the flight landed",
     "you said you'd text when you landed"),
    ("Hello. My boyfriend yesterday was on the phone all dinner time, he did not look at me "
     "even one time.", "you were on the phone all dinner time, and you did not look at me even "
     "one time yesterday"),
])
def test_messy_round_42_asks_now_proposed(message, expected):
    clause = find_observation(message).clause
    assert clause == expected
    assert not check_observation(clause)


def test_the_writers_own_act_told_alone_is_not_given_an_i_that_hides_it():
    # "got my first tattoo today" alone is background to what he did next
    clause = find_observation("got my first tattoo today. showed him. he said 'cool' and went "
                              "back to his laptop").clause
    assert "'cool'" in clause


# Messy round 44's reader notes (spent): the shapes it failed, said right now.
@pytest.mark.parametrize("message, expected", [
    ("he was on fortnite for 4 hours straight yesterday and when i sat next to him he didnt "
     "even look up. like am i invisible lol",
     "you were on fortnite for 4 hours straight yesterday and when I sat next to you, you "
     "didn't even look up"),
    ("😔😔 he said good night at 9 and then i see him online at 1am",
     "you said good night at 9 and then I saw you online at 1am"),
    ("he didn't say ily back. i said it and he said 'haha you too' wtf does haha mean",
     "you didn't say I love you back, and I said it and you said 'haha you too'"),
    ("he didn't come to my work drinks 🙃 said he would 🙃 cool cool cool",
     "you didn't come to my work drinks and said you would"),
    ("he's switched off location sharing. we agreed we'd keep it on. when did he do that",
     "you'd switched off location sharing"),
    ("ngl i'm spiralling he hasn't opened my snap in 5 hours but his score went up",
     "you hadn't opened my snap in 5 hours but your score went up"),
    ("we havent kissed properly in like two weeks. he gives me a peck on the forehead and "
     "thats it",
     "we hadn't kissed properly in like two weeks, and you gave me a peck on the forehead"),
    # someone else's act, told as theirs (round 43's reader: "the teacher called, not the
    # partner")
    ("Hey. He forgot to pick up our daughter from daycare. Again. Teacher called me at 6:10.",
     "you forgot to pick up our daughter from daycare, and the teacher called me at 6:10"),
    # "my husband he came" is said once; "I called him my boyfriend" too
    ("my husband he came home at 2", "you came home at 2"),
])
def test_messy_round_44_shapes(message, expected):
    clause = find_observation(message).clause
    assert clause == expected
    assert not check_observation(clause)


def test_a_friend_who_is_the_boyfriend_is_the_persons_own_partner():
    assert not about_someone_else(
        "My friend (he is my boyfriend since one year) he is playing the PlayStation until 3 "
        "in the night and I am alone in the bed, is this normal in relationship?")
    assert about_someone_else("my friend says her bf is cheating on her")


@pytest.mark.parametrize("clause, kind", [
    ("the one with the balcony, and you reacted with a thumbs-up", "garbled"),
    ("you're switched off location sharing, and did you do that", "question"),
])
def test_the_guard_refuses_round_44s_broken_lines(clause, kind):
    assert kind in [problem.kind for problem in check_observation(clause)]


def test_a_when_piece_before_a_comma_is_not_a_run_on():
    assert not check_observation("you were gaming and when I sat next to you, you didn't look up")
    assert check_observation("you came home late, you didn't text")


# Shapes of messy rounds 46-47 (spent), in new words.
@pytest.mark.parametrize("message, expected", [
    # a feeling said before the act without "that"
    ("it bothers me he still follows all his exes on insta",
     "you still followed all your exes on insta"),
    # the person's own words typed on the end with no comma
    ("she borrowed my car and brought it back empty lol im fine",
     "you borrowed my car and brought it back empty"),
    ("he finished the leftovers I was saving and didn't ask i know its just pasta",
     "you finished the leftovers I was saving and didn't ask"),
    # a reply with no verb: what was said
    ("asked him if we're going to my sister's wedding together and 'maybe'",
     "I asked you if we were going to my sister's wedding together, and you said 'maybe'"),
    # "for the third time", glued on
    ("he forgot to call me back before bed third time this week",
     "you forgot to call me back before bed for the third time this week"),
    # the act said again with a hedge, said once
    ("she sighed when I asked about the weekend, like actually sighed and left the room",
     "you sighed when I asked about the weekend and left the room"),
    # "2" for "to", a contraction missing its "n"
    ("he didnt reply 2 my message from lunch", "you didn't reply to my message from lunch"),
    ("he said he could't make it to my graduation", "you said you couldn't make it to my graduation"),
])
def test_messy_round_46_and_47_shapes(message, expected):
    clause = find_observation(message).clause
    assert clause == expected
    assert not check_observation(clause)


def test_a_joined_verb_agrees_with_the_nearest_you():
    clause = find_observation(
        "we argued on friday and he's been at his brother's since and barely texts"
    ).clause
    assert clause.endswith("and barely texted"), clause
    # someone else nearer keeps their verb: "I … and still waits" is not the partner's
    assert find_observation("you said you'd call and I waited and waited").clause


@pytest.mark.parametrize("clause", [
    "you were on your phone scrolling reels while",
    "you said you'd be back since noon, and you've been gone since noon",
])
def test_the_guard_refuses_a_line_cut_short_or_a_time_said_twice(clause):
    assert "garbled" in [problem.kind for problem in check_observation(clause)]


@pytest.mark.parametrize("clause", [
    "you put your headphones in",
    "you said you'd call at 9 and texted at 9:50",
    "you turned your location off on Find My",
    "you haven't messaged since",
])
def test_the_guard_lets_a_line_end_on_a_word_that_can_end_it(clause):
    assert not check_observation(clause)


# Shapes of messy round 48 (spent), in new words.
@pytest.mark.parametrize("message, expected", [
    # the person's question on the end
    ("he commented a fire emoji on his ex's selfie at midnight what is that about",
     "you commented a fire emoji on your ex's selfie at midnight"),
    # "its" before the time now, once the details are joined
    ("she said she'd text when her shift ended at 10 and its 1 now",
     "you said you'd text when your shift ended at 10 and it was 1"),
    # a base verb after "without", "nothing" after it
    ("he came to bed at 2 without say nothing", "you came to bed at 2 without saying anything"),
    # "wanted go": "wanted to go"
    ("we wanted go to the market and he stayed in bed till 3",
     "we wanted to go to the market and you stayed in bed till 3"),
    # the background typed on after a quotation
    ("he told his mum we're 'just friends' we've been together two years",
     "you told your mum we're 'just friends'"),
])
def test_messy_round_48_shapes(message, expected):
    clause = find_observation(message).clause
    assert clause == expected
    assert not check_observation(clause)


def test_needed_help_stays_a_noun():
    clause = find_observation("he cancelled our dinner because his friend needed help moving").clause
    assert "needed help moving" in clause


@pytest.mark.parametrize("clause", [
    "you didn't",  # nothing after the verb (messy round 49, spent)
    "you've left me on read since 9am, and you seen at 9:14",  # a bare participle
])
def test_the_guard_refuses_round_49s_broken_lines(clause):
    assert check_observation(clause)


def test_a_promise_not_kept_still_ends_on_its_verb():
    assert not check_observation("you said you'd call and you didn't")


@pytest.mark.parametrize("message, kept, not_wanted", [
    # another person's "her" or "they" in a sentence of its own is not turned to "you" when
    # the message told the partner's pronouns (messy round 51, spent)
    ("my husband took his brother to the match i got him tickets for. found out from her "
     "instagram", "took your brother to the match", "from your instagram"),
    ("my girlfriend still hasn't met my parents after a year. they only live across town",
     "hadn't met my parents", "you only live"),
    ("he hasnt texted once since friday. she said he was 'busy with work'", "since friday",
     "you said"),
])
def test_a_sentence_of_its_own_keeps_another_persons_pronouns(message, kept, not_wanted):
    clause = find_observation(message).clause
    assert kept in clause
    assert not_wanted not in clause


def test_the_partners_pronouns_come_from_the_first_word_for_them():
    assert partner_pronouns("my boyfriend took his sister out") == "he"
    assert partner_pronouns("she left me on read. not even a 'love u' from my gf") == "she"
    assert partner_pronouns("my partner said they'd call") is None
    assert partner_pronouns("🙃 husband forgot again") == "he"


@pytest.mark.parametrize("message, expected", [
    ("i asked if he liked my new hair and he goes 'looks the same to me'",
     "you said 'looks the same to me'"),
    ("when i told her i got the flat she was like 'oh nice' and went back to her game",
     "you said 'oh nice'"),
    ("whenever i bring up moving in she goes 'let's not talk about it'",
     "you say 'let's not talk about it'"),
])
def test_speech_reported_in_chat_is_said(message, expected):
    assert expected in find_observation(message).clause


def test_the_persons_own_ive_gets_its_apostrophe_and_capital():
    assert "I'd" in find_observation("hes been away a week and all ive had is two texts").clause
    assert "I'd" in find_observation("hes been away a week and ive had two texts").clause


def test_a_sentence_going_on_with_the_writers_own_verb_is_the_writers():
    """Messy round 51 (spent): "she didnt notice i wore the earrings she got me. wore them
    all day." gave the partner the wearing. New words."""
    clause = find_observation("he never said a thing about the cake i baked him. baked it "
                              "from scratch on sunday").clause
    assert "you baked" not in clause
    assert "you never said" in clause or "you didn't say" in clause


@pytest.mark.parametrize("message, expected", [
    # messy round 53 (spent), in new words: an act said again for stress is said once; what
    # was remembered late is the occasion named; when it happened, told by the writer, is
    # said as it is
    ("she missed my graduation. she actually missed it. i saved her a seat in the front row",
     "you missed my graduation"),
    ("our anniversary was on friday. he remembered on sunday night when i brought it up",
     "you remembered our anniversary on sunday night"),
    ("he sent a thumbs up. that's it. after i told him about the scan results",
     "after I told you about the scan results"),
])
def test_messy_round_53_shapes_in_new_words(message, expected):
    assert expected in find_observation(message).clause
    assert "actually missed" not in find_observation(message).clause


def test_its_before_an_article_or_a_time_word_is_its():
    """Messy round 54 (spent): a reader failed "… and then its an hour later"."""
    clause = find_observation("he says 'two mins' when i call him for dinner and then its "
                              "like 40 mins later and he's still gaming").clause
    assert "then it was" in clause and " its " not in clause


@pytest.mark.parametrize("message, expected", [
    # messy round 54 (spent), in new words: the hour after a promise says what was not done
    ("he said he'd be home from footy by 6. its 8:15 now",
     "you said you'd be home from footy by 6, and you still weren't home by 8:15"),
    ("she said she'd text when her train got in, it's 11 now",
     "you said you'd text when your train got in, and you still hadn't texted by 11"),
    # the hour is the promise's own when the message says it was not kept
    ("he promised he'd come to my recital. 7pm. he didn't turn up, said traffic",
     "you promised you'd come to my recital at 7pm"),
    # a promise in their own words, and "never did"
    ("she said 'I'll ring you after work' on monday. never did. it's thursday",
     "you said 'I'll ring you after work' on monday"),
    ("she said 'I'll ring you after work' on monday. it's thursday",
     "you said 'I'll ring you after work' on monday, and you still hadn't rung by thursday"),
    # how things are, before what the partner did: the act first, the state in the past
    ("our dog is really sick and he went to his mates for the weekend",
     "you went to your mates for the weekend when our dog was really sick"),
    ("we only talk like 10 min a day and tonight she didn't even call",
     "you didn't even call tonight"),
])
def test_messy_round_54_shapes_in_new_words(message, expected):
    assert expected in find_observation(message).clause


@pytest.mark.parametrize("message, unwanted", [
    # "to work" is where they went, not what was promised
    ("he said 'we need to talk' at 9 and then went to work and hasn't said anything since. "
     "its 6pm", "hadn't worked"),
    # "I'll see how I feel" promises nothing to break
    ("she said 'I'll see how I feel' about my cousin's wedding. it's tuesday and nothing",
     "and didn't"),
    # how long we've been together is not when it happened
    ("we are married 6 years and he forgot our anniversary", "when we were married"),
])
def test_what_is_not_a_broken_promise_or_a_past_state(message, unwanted):
    assert unwanted not in find_observation(message).clause


def test_a_habit_that_says_what_it_is_stays():
    """ "we have a call every sunday and he missed it": "it" is the call."""
    clause = find_observation("we video call every sunday at 7 and he missed it").clause
    assert "call" in clause and "missed it" in clause


def test_the_hour_it_is_now_after_a_broken_promise_is_kept():
    """Messy round 53 (spent): "he said he'd call at lunch. it's 3. nothing" lost the 3."""
    clause = find_observation("she said she'd ring me after her exam. its 6. nothing").clause
    assert clause == "you said you'd ring me after your exam, and you still hadn't rung by 6"


@pytest.mark.parametrize("message, expected", [
    # messy round 54 (spent), in new words: a thing one has one of takes "a" or "an"
    ("my bf skipped my sister's engagement, he said he had interview but it was on monday",
     "you said you had an interview"),
    ("husband went for work trip to Chennai and called me only once",
     "for a work trip"),
])
def test_a_bare_countable_noun_gets_its_article(message, expected):
    assert expected in find_observation(message).clause


def test_an_article_is_not_put_inside_their_own_words():
    assert "'I have exam'" in find_observation("she said 'I have exam' and hung up on me").clause


def test_a_word_shouted_in_capitals_is_said_plainly():
    """Messy round 55 (spent): "the concert tickets he PROMISED" kept its shouting."""
    clause = find_observation("he missed my recital AGAIN even tho he PROMISED").clause
    assert "again" in clause and "AGAIN" not in clause and "PROMISED" not in clause


def test_names_and_acronyms_in_capitals_stay():
    assert "NHS" in find_observation("she rang the NHS line for her mum but not me").clause


def test_a_message_still_unread_gets_its_verb():
    """Messy round 55 (spent): "… but my msg from this morning still unread"."""
    clause = find_observation("he answered his brother in seconds but my texts from "
                              "lunch still on delivered").clause
    assert "my texts from lunch were still on delivered" in clause


@pytest.mark.parametrize("message, expected", [
    # messy round 56 (spent), in new words: a promise said in shorthand
    ("he went to his brother's and said home by 9. it's 11:30 now",
     "said you'd be home by 9, and you still weren't home by 11:30"),
    # "not a text until …" is what was not done
    ("she forgot our anniversary. not a word until lunch when her sister mentioned it",
     "you didn't say a word until lunch"),
    # the count of times said after the act
    ("2nd time this week he's skipped our call for the gym",
     "you'd skipped our call for the gym for the 2nd time this week"),
    # a quotation straight before a new clause is joined to it
    ("at 7 she texted 'running late' the table was booked for 7:30",
     "'running late', and the table was booked for 7:30"),
    # the writer's own verb in the past once the story is told in the past
    ("i send him 'good luck today' and he replied with a thumbs up",
     "I sent you 'good luck today'"),
])
def test_messy_round_56_shapes_in_new_words(message, expected):
    assert expected in find_observation(message).clause or expected in (
        vouch_proposal(message) or ""
    )


def test_a_count_with_no_one_doing_anything_is_refused():
    """Messy round 56 (spent): "14 likes this week on your coworker's insta" has no act."""
    assert check_observation("9 missed calls from me on your phone last night")


@pytest.mark.parametrize("message, expected", [
    # messy round 57 (spent), in new words: what has gone on till now, in a row
    ("my gf eats dinner in front of her laptop for the 4th night in a row",
     "you'd eaten dinner in front of your laptop for the 4th night in a row"),
    # "that's it" after the act adds nothing
    ("i told him i passed my exam and he sent a 👍 that's it", "you sent a"),
])
def test_messy_round_57_shapes_in_new_words(message, expected):
    clause = find_observation(message).clause
    assert expected in clause and "that's it" not in clause


@pytest.mark.parametrize("message, expected, absent", [
    # messy round 58 (spent), in new words: "why is he …" keeps its verb, in the past
    ("why is she still up scrolling at 3am when she said she was exhausted",
     "you were still up scrolling at 3am", "you still up"),
    # "why does my gf need to …" asks about what she did
    ("why does my husband need to call his ex every sunday night",
     "you called your ex every sunday night", "need to"),
    # the person's own disbelief after a quotation is theirs, not the act
    ("he told me i can 'tag along if i like' lol what",
     "'tag along if I like'", "' what"),
    # the silence is told once
    ("She flew to Berlin on Monday and I haven't heard a peep since. Not one text.",
     "hadn't heard a peep", "without"),
    # how long the person's own act took is not the partner's doing
    ("he didn't notice I painted the hallway. took me all weekend.",
     "you didn't notice I painted the hallway", "you took me"),
    # what has gone on since, in a second language
    ("gf said we need to talk and then went to work and not answering for 3 hours",
     "and hadn't been answering for 3 hours", "and not answering"),
    # an app that showed the partner somewhere shows "you"
    ("he said he was at the office but his location showed him at the pub at 6",
     "your location showed you at the pub", "showed him"),
    # an interjection opens no act
    ("oh and also she rolled her eyes when i said i was proud of her",
     "you rolled your eyes", "oh"),
])
def test_messy_round_58_shapes_in_new_words(message, expected, absent):
    clause = find_observation(message).clause
    assert expected in clause and absent not in clause


def test_a_later_part_that_points_back_at_a_thing_left_out_is_not_the_fact():
    """Messy round 58 (spent): "i keep checking his location but he turned it off" told
    "you turned it off" with nothing to say what "it" was."""
    message = (
        "he said he'd be home by 6 and it's 9 now. i keep looking at his snapchat map "
        "but he hid it weeks ago so whatever"
    )
    clause = find_observation(message).clause
    assert "said you'd be home by 6" in clause and "hid it" not in clause


@pytest.mark.parametrize("message, expected", [
    # messy rounds 54-57 (spent), in new words: an abbreviation said in full; "I can see
    # her online" is that she was; another's act falls on "you"; "it" was "I love you";
    # "on phone" and "third night in a row" take their articles; a place told once
    ("she ignored my msg from lunch and it's 8 now", "my message from lunch"),
    ("he never replies but i can see his online on whatsapp", "see you're online"),
    ("she said she was sick but her sister tagged her at the races on saturday",
     "your sister tagged you at the races"),
    ("is it normal he doesn't say i love you back? i said it last night and he said 'cheers'",
     "I said I love you last night"),
    ("he went to bed without saying goodnight third night in a row",
     "goodnight, for the third night in a row"),
])
def test_messy_rounds_54_to_57_shapes_learnt_later(message, expected):
    found = find_observation(message, shorter=True)
    assert expected in found.clause or any(expected in one for one in found.shorter)


def test_where_the_partner_was_is_told_once():
    """Messy round 57 (spent): "…, while you were in Singapore, and you went to Singapore
    for work …"."""
    clause = find_observation(
        "he went to Dubai for work and posted every day but didn't reply to my 2 texts"
    ).clause
    assert "didn't reply to my 2 texts" in clause and clause.count("Dubai") == 1


def test_a_current_partner_beside_an_ex_is_the_persons_own():
    """Messy round 58 (spent): "my ex texted me happy birthday and my current bf hasnt yet"
    was told it was about someone else."""
    assert not about_someone_else("my ex sent flowers for my birthday and my current gf didn't")
    assert about_someone_else("my ex sent flowers to her new girlfriend")


@pytest.mark.parametrize("message, expected, absent", [
    # messy round 59 (spent), in new words: a verb joined to a present perfect takes its
    # participle
    ("she's gone to Leeds for the week and only rang twice", "and only rung twice", "rang"),
    # the person's own questions after the act are theirs
    ("he liked his ex's gym selfie at 1am 🙃 like why are u even up", "you liked your ex's gym selfie at 1am", "why"),
    # a second act spliced on with a comma is joined with "and"
    ("we were at her work do and she talked to Mark all night, barely looked at me once",
     "all night, and barely looked at me", ", barely"),
    # "it" said for the words that were quoted
    ("ugh if she says 'in a sec' again. she said it 5 times tonight", "you said 'in a sec' 5 times", "said it"),
    # the writer's feeling before the act is no part of it
    ("ngl it stings that she called me 'mate' in front of her friends", "you called me 'mate'", "stings"),
    # Scots negatives, agreeing with "you"
    ("he's been at the match since 2 and hasnae texted once", "and hadn't texted once", "hasn"),
    # "a year and zero photos of us" says what there is
    ("does she ever post me? like a year and zero photos of us on her insta",
     "there are no photos of us on your insta after a", "zero"),
    # "and not even told me" is what was not done; "with same" takes its article
    ("my wife go to yoga every evening with same friend and not even informed me",
     "with the same friend", "not even informed"),
])
def test_messy_round_59_shapes_in_new_words(message, expected, absent):
    clause = find_observation(message).clause
    assert expected in clause and absent not in clause, clause


@pytest.mark.parametrize("message, expected", [
    # messy round 60 (spent), in new words
    ("why does it hurt so much that she called me 'buddy' at the party", "you called me 'buddy'"),
    ("he used to ring every lunchtime and he's stopped since like thursday", "you stopped on thursday"),
    ("she said she 'isn't in the mood for it this week'", "you weren't 'in the mood"),
    ("Mon copain, he say he come at 20h, he arrive 23h15 and no sorry", "you'd come at 20h"),
    ("she said she'd text me arvo after uni and it's 9pm now", "text me this arvo"),
    ("I sent her a long voice note about my day and got 'nice'", "and you replied 'nice'"),
])
def test_messy_round_60_shapes_in_new_words(message, expected):
    assert expected in find_observation(message).clause


@pytest.mark.parametrize("message, expected, absent", [
    # messy round 62 (spent), in new words
    # a chat tag between two clauses joins them; before the person's reaction it ends one
    ("she was on her laptop all night ngl i tried to show her the flat listing and she said 'later'",
     "you were on your laptop all night", "night I tried"),
    ("he texted his ex back at midnight istg im shaking", "you texted your ex back at midnight", "shaking"),
    # how long, told after the clause with no word between, is how long
    ("didnt say anything about my new tattoo 🙁 5 days now", "my new tattoo, for 5 days now",
     "tattoo 5 days"),
    # the person's own ask, its "I" left out, before "and she …"
    ("she keeps saying 'next year' about the wedding. asked again sunday and she went quiet",
     "and I asked again sunday", "and asked again"),
    # "they" after people just named stay "they", and where they live is so still
    ("my bf still hasn't introduced me to his mates. They live on our street.",
     "they live on our street", "you live"),
    # what the person did after noticing is theirs, not the partner's
    ("he deleted our photos from his profile. noticed this morning. havent said anything",
     "you deleted our photos from your profile", "you haven't said"),
])
def test_messy_round_62_shapes_in_new_words(message, expected, absent):
    clause = find_observation(message).clause
    assert expected in clause and absent not in clause, clause


@pytest.mark.parametrize("message", [
    "wat do u even say when ur gf scrolls tiktok through ur whole date night",
    "what do you say when ur bf games through ur birthday",
])
def test_a_question_in_text_spellings_keeps_the_persons_own_words_out(message):
    """ "wot do u even say when ur bf watches football …" (messy round 62, spent) came back as
    "you did u even say when ur bf watches …": the frame goes, the writer's "ur" is "my", and
    no "u"/"ur" is ever shown."""
    clause = find_observation(message).clause
    assert clause.startswith("you ") and "my " in clause, clause
    assert not {"u", "ur"} & set(clause.split()), clause


def test_the_guard_refuses_text_spellings_of_you():
    from bot.language.draft_guard import check_observation

    kinds = {problem.kind for problem in check_observation("you said u would call ur mum")}
    assert "chat" in kinds
    assert "third_person" in {p.kind for p in check_observation("you laughed when ur bf left")}


def test_a_phone_named_bare_after_the_partners_acts_is_theirs():
    """ "rolled in at 3:30 and phone was 'dead'" (messy round 50, spent): whose phone."""
    clause = find_observation("she went to her work do, came back at 2 and phone was off all night").clause
    assert "and your phone was off" in clause, clause


@pytest.mark.parametrize("message, expected, absent", [
    # messy round 63 (spent), in new words
    # what the person saw is theirs; what was seen goes on as the partner's
    ("she archived our photos. i saw it on her profile. archived on tuesday",
     "and you archived on tuesday", "I archived"),
    # "him he'd" keeps both: the second is the subject of what follows
    ("every time i sat down next to him he'd get up and go to the kitchen",
     "next to you, you'd get up and go", "walk"),
    # the generic "your" after "is it normal for a guy to" is the writer's
    ("is it normal for a guy to never hold your hand when his friends are around",
     "my hand", "your hand"),
    # how long they have been dating is background
    ("we've been dating 6 months and he still hasn't asked me to meet his friends",
     "you still hadn't asked me to meet your friends", "dating"),
])
def test_messy_round_63_shapes_in_new_words(message, expected, absent):
    clause = find_observation(message).clause
    assert expected in clause and absent not in clause, clause


@pytest.mark.parametrize("message, expected, absent", [
    # messy round 64 (spent), in new words
    ("she said 'maybe' when i asked if she'd come to xmas w my fam", "with my family", "with my,"),
    ("she missed my call at 7 which is fine, but then she posted a story from the pub at 7:10",
     "at 7:10", "fine"),
    ("i sent a long voice note and he replied 'ok' 🙃 like what am i meant to do with that",
     "you replied 'ok'", "what am I"),
    ("she keeps chatting to her ex at night and she put phone face down when i walked in",
     "you put your phone face down", "put phone"),
    ("he say he come at 7, he arrive at 10 and no text before", "without a text before", "and no text"),
    ("i cut my hair short for our anniversary and she didn't say a thing. not even 'nice hair'",
     "and you didn't say a thing", "not even"),
])
def test_messy_round_64_shapes_in_new_words(message, expected, absent):
    clause = find_observation(message).clause
    assert expected in clause and absent not in clause, clause


@pytest.mark.parametrize("message, expected", [
    # a time told first dates the first act, not the last one ("this morning … last night")
    ("last night she got in at 2 without a word and this morning she left before i woke up",
     "you got in at 2 without a word last night and this morning you left"),
    ("yesterday i asked him to pick up the kids and he didn't answer me until this morning",
     "yesterday and you didn't answer me until this morning"),
    # a read receipt's own words
    ("seen 3h ago. still no reply", "you saw my message 3h ago"),
    # the hour and the occasion as English says them
    ("she go to the dinner of her job and she not call me, only at 2 of the morning she text 'ok'",
     "your work dinner"),
    ("she go to the dinner of her job and she not call me, only at 2 of the morning she text 'ok'",
     "until 2 in the morning, when you texted 'ok'"),
    # the partner's own things take "your"
    ("on my birthday he took phone to the table and kept laptop open all evening",
     "you took your phone to the table on my birthday and kept your laptop open"),
    ("my gf say she coming at 8 but came at 10", "you said you were coming at 8"),
    # the time spent, told without its verb
    ("4 hours on the playstation with his brother while i'm in bed with flu",
     "you spent 4 hours on the playstation with your brother while I was in bed"),
    ("5th night in a row she's scrolling in bed till 2am", "you were scrolling in bed till 2am "
     "for the 5th night in a row"),
])
def test_messy_round_65_shapes(message, expected):
    """Messy round 65's reader notes (spent), in new words."""
    _reads_clean(message, expected)


@pytest.mark.parametrize("clause", [
    "you said you coming at 7 then 7:45 still never came",
    "you went out and said you'd be back by 1 and 3 phone off",
    "you seen 20 mins ago, and you didn't reply",
])
def test_the_guard_refuses_a_second_languages_shapes_it_cannot_mend(clause):
    """What cannot be mended is asked for, not shown (messy round 65, spent)."""
    assert check_observation(clause)


@pytest.mark.parametrize("message, expected", [
    # the thing named after the promise is the thing's, and the hour now says it was not kept
    ("he said he'd text after his shift. shift ended at 6. its 10. nothing",
     "and you still hadn't texted by 10"),
    # a promise in their own words, the hour now, and a usual told after it
    ("she said 'ill call you on my break' and its now 4 and nothing. her break is at 1",
     "and you still hadn't called by 4"),
    # the same act told again with how long is one act
    ("gf blocked me on insta. saw it from my friend's account. blocked for a week",
     "you blocked me on insta for a week"),
    # the writer's own effort, told without "I"
    ("spent the whole afternoon baking her birthday cake and she said she's off sugar",
     "I spent the whole afternoon baking your birthday cake"),
    # "when he gets home he goes …" lost its "when": given back
    ("Sam's been on nights all week and when he gets in he goes straight to the fridge",
     "you went straight to the fridge when you got in"),
    # a partner named in another language is the partner
    ("my copine she forget our anniversary", "you forgot our anniversary"),
    ("he said 'oops' when his sister text me the photos", "when your sister texted me"),
])
def test_messy_rounds_63_and_64_shapes(message, expected):
    """Messy rounds 63 and 64's reader notes (spent), in new words."""
    _reads_clean(message, expected)


def test_a_clause_run_on_after_coming_home_is_refused():
    """ "you came home you went to sleep": two clauses run together (messy round 64)."""
    assert check_observation("you came home you went directly to sleep")
    assert not check_observation("you ate standing up when you got home")


@pytest.mark.parametrize("message, expected", [
    ("seen at 9:10. nothing since. it's 13:45", "you saw my message at 9:10, and you still "
     "hadn't replied by 13:45"),
    ("why does she always say 'ill text when im home' and then not text",
     "and then didn't text"),
    ("he said he wud meet me frm the station at 5", "from the station"),
    ("she said the meeting ends at 6 and she got home at 9, just 'busy day'",
     "and just said 'busy day'"),
    ("ngl the way he added her to close friends and not me is doing my head in",
     "you added her to close friends and not me"),
    ("we were at the cinema he was texting the whole film", "we were at the cinema, and you "
     "were texting the whole film"),
    ("hubby left at 9 for football, said back for dinner at 6, came in at 10",
     "said you'd be back for dinner at 6"),
    ("she has her insta password changed and wont give it to me",
     "you changed your insta password and wouldn't give it to me"),
])
def test_messy_round_66_shapes(message, expected):
    """Messy round 66's reader notes (spent), in new words."""
    _reads_clean(message, expected)


def test_a_place_then_the_partners_act_is_not_joined_twice():
    """ "we were at the party and you spent …" has its "and": none is added (the mend for
    "we were at dinner … you were on your phone" must not double it)."""
    clause = find_observation("we were at the pub and she spent all night texting someone").clause
    assert "and, and" not in clause and "we were at the pub and you spent" in clause, clause
    assert check_observation("you were for two weeks every evening in the office")


@pytest.mark.parametrize("message, expected", [
    ("she forgot valentines. not a card. she remembered her book club though.",
     "you remembered your book club"),
    ("my husband he don't say me good night since 3 days", "say good night to me"),
    ("gf forgot to book the table for my birthday, we lost it lol its fine im fine",
     "you forgot to book the table for my birthday"),
    ("he came home 3 hours later then he said and he not called", "3 hours later than you "
     "said and you didn't call"),
    ("she ignored 4 of my calls and than said her phone was on silent", "and then said"),
    ("is it normal he won't introduce me to his parents? 8 months together and every time i "
     "ask he says 'later'", "and for 8 months every time"),
    ("he's away on his stag do and the only photo i've seen is him with some girl on his lap",
     "the only photo I'd seen was you"),
    ("she keeps bringing up her ex. 5 times at lunch i counted", "5 times at lunch"),
    ("seen at 10:15. still nothing 😭", "you saw my message at 10:15, and you still hadn't "
     "replied"),
    ("we were meant to go to paris in may, now she says 'maybe in the autumn'. no reason",
     "we were meant to go to paris in may, and now you said 'maybe in the autumn'"),
])
def test_messy_round_68_shapes(message, expected):
    """Messy round 68's reader notes (spent), in new words."""
    clause = _reads_clean(message, expected)
    assert not clause.endswith((" though", "i counted", "im fine")), clause


@pytest.mark.parametrize("message, expected", [
    ("she stayed at her mates till 3 and came home 🙄 not even a sorry", "without even a sorry"),
    ("nearly 1am 🙃 he left the gym at 8 🙃 location's off", "you left the gym at 8, with your "
     "location off"),
    ("my gf never kisses me back. she turns away when her sister is there",
     "you turned away when your sister was there"),
    ("he hasnt said goodnight properly in a week. i said goodnight he said 'yep'",
     "and when I said goodnight, you said 'yep'"),
    ("i ran my first marathon since march and she has said nothing",
     "I'd run my first marathon since march"),
    ("my husband goes to the fitness after work every day now", "to the gym"),
    ("today is my birthday and he went to play golf with his dad",
     "you went to play golf with your dad on my birthday"),
    ("our date night and he answered work emails the whole time",
     "you answered work emails the whole time at our date night"),
    ("he last texted me at 10am its 7pm now. he posted on insta",
     "you didn't text me between 10am and 7pm"),
    ("he promised to call at lunch. still hasnt called. its 4pm", "you promised to call at "
     "lunch, and you still hadn't called by 4pm"),
    ("My girlfriend she says she come at my house at 19h and she arrive at 22h, and she says "
     "me 'sorry'", "you said you'd come to my house at 19h"),
    ("then saturday morning she tells me she's going to her mums for the weekend",
     "on saturday morning you told me"),
])
def test_messy_round_69_shapes(message, expected):
    """Messy round 69's reader notes (spent), in new words: a thing missing said on the
    end, a location off, a habit's time kept in the past with it, two acts with no joint,
    "since" with the perfect, a second language's gym and promise, the occasion said
    first, the hour now run on, a day said before the act."""
    clause = _reads_clean(message, expected)
    assert "when when" not in clause and "and," not in clause, clause


@pytest.mark.parametrize("message, expected", [
    ("she replied 'ok'. just 'ok'. after i sent her a whole voice note", "you replied 'ok' after I "
     "sent you a whole voice note"),
    ("he left me at the bar and went to dance with his mates lol but also not",
     "went to dance with your mates"),
    ("she's been at her sisters since monday and she's no texted once",
     "you hadn't texted once"),
    ("he said he'd be home by 6 and walked in at 9 and no calls", "without a call"),
])
def test_messy_rounds_61_to_67_leftovers(message, expected):
    """Reader notes of messy rounds 61-67 (spent) the line still had, in new words: a reply
    "and after", a shrug "but also not" on the end, Scots "she's no texted", "and no
    calls"."""
    clause = _reads_clean(message, expected)
    assert not clause.endswith("also not") and "and after" not in clause, clause


@pytest.mark.parametrize("message, expected", [
    ("honestly its not even about the cake but she ate the last slice and said i was being "
     "dramatic", "you ate the last slice"),
    ("he went to vegas with the lads and didnt ring me once, just a selfie on friday",
     "you went to vegas with the lads and didn't ring me once"),
    ("i got home at 7 and she didnt look up from phone", "look up from your phone"),
    ("tbh she never kisses me anymore unless i start it", "you didn't kiss me anymore"),
    ("she watched netflix all night on my birthday i sat there with the cake like a fool",
     "you watched netflix all night on my birthday"),
    ("My wife is going for office tour to Delhi for 5 days and she told me only yesterday "
     "night only", "you told me only last night"),
    ("he said he'd be back by 10... it's midnight and his phone goes straight to voicemail",
     "your phone went straight to voicemail"),
    ("she calls me every lunch break but after 5pm it's just thumbs ups",
     "after 5pm it was just"),
    ("he hasnt said goodnight in a week, just 'night' or a thumbs up",
     "or sent a thumbs up"),
])
def test_messy_round_70_shapes(message, expected):
    """Messy round 70's reader notes (spent), in new words: a preamble, a fragment on the
    end, a bare "laptop", "never … anymore", the writer's own clause fused on, a second
    language's "office tour" and doubled "only", the present beside the past, a heart
    "said"."""
    clause = _reads_clean(message, expected)
    assert not re.search(r"\bjust an? \w+ on \w+$|like a fool|only \w+ \w+ only", clause), clause
