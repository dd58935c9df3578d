"""Flood limits (bot.limits), with a clock the test moves: no waiting, no wall-clock asserts."""
from __future__ import annotations

import pytest

from bot.config import DEFAULT_ADDRESS_LIMIT, DEFAULT_SESSION_LIMIT, load_flood_settings
from bot.limits import SLOW_DOWN, FloodGuard, Limit, parse_limit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guard(session="10/10", address="60/10", clock=None, size=100_000) -> FloodGuard:
    return FloodGuard(parse_limit(session, "s", None), parse_limit(address, "a", None),
                      clock=clock or Clock(), size=size)


def test_a_person_typing_a_burst_of_short_messages_is_never_refused():
    clock = Clock()
    flood = guard(clock=clock)
    # "he didn't text", "again", "all day", ... ten in a row, then one every two seconds.
    assert all(flood.admit("ana", "10.0.0.1").admitted for _ in range(10))
    for _ in range(50):
        clock.now += 2
        assert flood.admit("ana", "10.0.0.1").admitted


def test_a_flood_from_one_session_gets_its_budget_and_one_notice_then_silence():
    clock = Clock()
    flood = guard(clock=clock)
    verdicts = []
    for _ in range(100):  # 20 a second for five seconds
        verdicts.append(flood.admit("flood", "10.0.0.9"))
        clock.now += 0.05
    admitted = sum(v.admitted for v in verdicts)
    assert 10 <= admitted <= 15            # the burst, plus one a second
    notices = [i for i, v in enumerate(verdicts) if v.notice]
    # Told once per run of refusals: after the burst, and after each message that got in.
    assert notices and notices[0] == 10
    assert len(notices) <= admitted - 9
    assert all(not v.notice for v in verdicts if v.admitted)


def test_after_a_pause_messages_go_in_again_and_a_new_refusal_is_told_again():
    clock = Clock()
    flood = guard("2/10", None, clock=clock)
    assert flood.admit("ben").admitted and flood.admit("ben").admitted
    assert flood.admit("ben").notice                 # told
    assert not flood.admit("ben").notice             # not told twice in a row
    clock.now += 5                                   # one message's worth of budget back
    assert flood.admit("ben").admitted
    assert flood.admit("ben").notice                 # a new run of refusals: told again


def test_one_session_flooding_does_not_use_up_another_sessions_budget():
    clock = Clock()
    flood = guard(clock=clock)
    for _ in range(200):
        flood.admit("flood", "10.0.0.9")
    assert flood.admit("ana", "10.0.0.1").admitted


def test_many_sessions_from_one_address_share_that_address_budget():
    clock = Clock()
    flood = guard("10/10", "60/10", clock=clock)
    admitted = sum(flood.admit(f"s{i}", "10.0.0.9").admitted for i in range(200))
    assert admitted == 60
    assert flood.admit("someone-else", "10.0.0.1").admitted   # other addresses unaffected
    assert not flood.admit("s999", "10.0.0.9").admitted


def test_a_refused_session_message_is_not_charged_to_the_address():
    clock = Clock()
    flood = guard("1/10", "3/10", clock=clock)
    assert flood.admit("a", "10.0.0.9").admitted
    for _ in range(20):
        assert not flood.admit("a", "10.0.0.9").admitted
    assert flood.admit("b", "10.0.0.9").admitted and flood.admit("c", "10.0.0.9").admitted


def test_memory_is_bounded_whatever_the_number_of_sessions():
    flood = guard(size=100)
    for i in range(10_000):
        flood.admit(f"s{i}", f"10.0.{i // 256}.{i % 256}")
    assert len(flood.sessions) <= 100 and len(flood.addresses) <= 100


@pytest.mark.parametrize("text, limit", [
    ("10/10", Limit(10, 10)), (" 5 / 2.5 ", Limit(5, 2.5)), ("30/60s", Limit(30, 60)),
    ("off", None), ("OFF", None),
])
def test_limits_are_written_as_messages_per_seconds(text, limit):
    assert parse_limit(text, "X", Limit(1, 1)) == limit


@pytest.mark.parametrize("text", ["ten", "10", "0/10", "10/0", "-1/5", "10/10/10", "*"])
def test_a_mistyped_limit_is_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="STEADY_SESSION_LIMIT must look like 10/10"):
        load_flood_settings({"STEADY_SESSION_LIMIT": text})


def test_defaults_and_switching_a_limit_off():
    settings = load_flood_settings({})
    assert (settings.per_session, settings.per_address) == (DEFAULT_SESSION_LIMIT,
                                                            DEFAULT_ADDRESS_LIMIT)
    assert load_flood_settings({"STEADY_ADDRESS_LIMIT": "off"}).per_address is None


def test_the_notice_asks_to_slow_down_and_send_again():
    assert "send it again" in SLOW_DOWN and "faster" in SLOW_DOWN
