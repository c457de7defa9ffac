"""SpamTracker from Python: bursts of near-duplicates, floods, bounds, errors."""
import pickle

import pytest

import rumod

LURE = "Нужны люди на удалённую подработку, от {} рублей в день, пишите в личку"


def test_duplicate_burst_from_many_accounts_with_small_edits():
    clock = rumod.FakeClock(1767225600.0)
    t = rumod.SpamTracker(rumod.Engine.default(), clock=clock)
    results = [t.observe(f"user{i}", LURE.format(5000 + i)) for i in range(4)]
    assert [r["duplicate"] for r in results] == [False, False, True, True]
    assert results[-1]["similar_authors"] == 4
    # Outside the window the burst is forgotten.
    clock.advance(3600)
    assert t.observe("user9", LURE.format(7000))["duplicate"] is False


def test_flooding_author_and_memory_bound():
    t = rumod.SpamTracker(rumod.Engine.default(), flood_max=3, max_buckets=64,
                          clock=rumod.FakeClock())
    flags = [t.observe("spammer", f"комментарий номер {i} про всякое разное здесь")["flood"]
             for i in range(5)]
    assert flags == [False, False, False, True, True]
    for i in range(200):
        t.observe(f"a{i}", f"совершенно разный текст номер {i} " * 3)
    assert t.bucket_count <= 64


def test_errors_and_pickling():
    with pytest.raises(rumod.InvalidArgumentError):
        rumod.SpamTracker(rumod.Engine.default(), duplicate_threshold=1)
    t = rumod.SpamTracker(rumod.Engine.default())
    with pytest.raises(TypeError):
        t.observe(None, "x")
    # An int beyond the double range: out of range, not RuntimeError(std::bad_cast).
    with pytest.raises(rumod.InvalidArgumentError, match="at: integer out of range"):
        t.observe("a", "b", 10**400)
    with pytest.raises(TypeError, match="clock must be a rumod.FakeClock"):
        rumod.SpamTracker(rumod.Engine.default(), clock="x")
    with pytest.raises(TypeError):
        pickle.dumps(t)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 1e300, 2.0**63])
def test_times_outside_the_calendar_are_errors(bad):
    # A float cast to int64 past its range is undefined behaviour: it used to
    # give a clock at -9223372036854.775 s.
    with pytest.raises(rumod.InvalidArgumentError):
        rumod.FakeClock(bad)
    c = rumod.FakeClock()
    with pytest.raises(rumod.InvalidArgumentError):
        c.advance(bad)
    t = rumod.SpamTracker(rumod.Engine.default(), clock=c)
    with pytest.raises(rumod.InvalidArgumentError):
        t.observe("a", "x", at=bad)
    with pytest.raises(rumod.InvalidArgumentError):
        rumod.SpamTracker(rumod.Engine.default(), window_seconds=bad)


def test_a_clock_stepped_back_does_not_blind_the_tracker():
    lure = "Заработок от 5000 рублей в день без вложений, пишите в личные сообщения"
    c = rumod.FakeClock(1767225600.0)
    t = rumod.SpamTracker(rumod.Engine.default(), clock=c)
    t.observe("x", "обычный комментарий про дороги во дворе")
    c.advance(-3600)
    assert [t.observe(f"u{i}", lure)["similar"] for i in range(5)] == [1, 2, 3, 4, 5]
    # Years past 9999 are refused here (above); a far-future time given
    # through C++ is tested in tests/spam_tracker_test.cc.


def test_observe_takes_a_datetime_and_clear_type_errors():
    import datetime as dt
    t = rumod.SpamTracker(rumod.Engine.default(), clock=rumod.FakeClock(1767225600.0))
    when = dt.datetime(2026, 1, 1, 12, 0)  # naive: UTC
    assert t.observe("a", "x", at=when)["author_recent"] == 1
    assert t.observe("a", "y", at=when.timestamp() + 10)["author_recent"] == 2
    with pytest.raises(TypeError):
        t.observe("a", "x", at="now")
    with pytest.raises(TypeError):
        rumod.SpamTracker(rumod.Engine.default(), clock="x")
