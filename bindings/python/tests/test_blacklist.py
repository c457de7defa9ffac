"""BlacklistStore and Policy over a temporary SQLite file and a fake clock."""
import datetime as dt
import json
import pickle
import threading
import time

import pytest

import rumod

PAGE = dict(platform="vk", page_id="42")


@pytest.fixture
def clock():
    return rumod.FakeClock(1767225600.0)  # 2026-01-01T00:00:00Z


@pytest.fixture
def store(tmp_path, clock):
    with rumod.BlacklistStore.open(tmp_path / "bl.db", clock=clock) as s:
        yield s


def test_escalation_to_ban_and_expiry(engine, store, clock):
    v = engine.classify("ты дебил, хуй")
    r1 = store.decide_and_record(v, author_id="777", comment_id="1", **PAGE)
    assert r1.decision.action == "delete" and r1.violation_id > 0 and r1.ban_id == 0
    assert not store.is_banned("vk", "42", "777")
    r2 = store.decide_and_record(v, author_id="777", comment_id="2", **PAGE)
    assert r2.decision.action == "ban" and r2.ban_id > 0
    assert r2.decision.ban_until == dt.datetime(2026, 1, 8, tzinfo=dt.timezone.utc)
    ban = store.active_ban("vk", "42", "777")
    assert ban is not None and ban.id == r2.ban_id and not ban.permanent
    assert ban.category in ("profanity", "insult")
    clock.advance(8 * 86400)
    assert not store.is_banned("vk", "42", "777")
    assert store.record_expired_bans() == 1


def test_clean_comment_records_nothing(engine, store):
    r = store.decide_and_record(engine.classify("Спасибо!"), author_id="1", comment_id="1", **PAGE)
    assert r.decision.action == "keep" and r.violation_id == 0
    assert store.list_violations() == []


def test_history_and_policy_decide(engine, store):
    v = engine.classify("хуй")
    store.decide_and_record(v, author_id="5", comment_id="1", **PAGE)
    h = store.history("vk", "42", "5")
    assert len(h.violations) == 1 and h.active_ban is None
    viol = h.violations[0]
    assert viol.comment.comment_id == "1" and viol.categories == ("profanity",)
    assert "х" in viol.excerpt and "*" in viol.excerpt and viol.full_text == ""
    assert len(viol.text_sha256) == 64
    policy = rumod.Policy()
    now = dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)
    assert policy.decide(v, h, now=now).action == "ban"
    assert policy.decide(v, now=now).action == "delete"
    assert policy.decide(engine.classify("привет")).action == "keep"


def test_manual_ban_unban_and_errors(store):
    bid = store.ban_manually("ok", "1", "9", category="spam", reason="реклама",
                             actor="moderator:ivanova", duration=dt.timedelta(days=1))
    assert bid > 0 and store.is_banned("ok", "1", "9")
    assert store.unban("ok", "1", "9", actor="moderator:ivanova", reason="ошибка") == 1
    assert not store.is_banned("ok", "1", "9")
    with pytest.raises(rumod.NotFoundError):
        store.unban("ok", "1", "9", actor="moderator:ivanova", reason="again")
    with pytest.raises(rumod.InvalidArgumentError):
        store.ban_manually("ok", "1", "9", category="spam", reason="", actor="moderator:x")
    with pytest.raises(rumod.InvalidArgumentError):
        store.ban_manually("ok", "1", "9", category="nope", reason="r", actor="moderator:x")
    bans = store.list_bans(platform="ok")
    assert len(bans) == 1 and bans[0].lift is not None and bans[0].lift.kind == "unban"


def test_record_manual_decision(engine, store):
    v = engine.classify("ты дебил")
    r = store.record(v, author_id="3", comment_id="c1", action="delete", actor="moderator:petrov",
                     reasons=("по жалобе",), **PAGE)
    assert r.violation_id > 0 and r.decision.action == "delete"
    with pytest.raises(rumod.InvalidArgumentError):
        store.record(v, author_id="3", comment_id="c2", action="explode", actor="m", **PAGE)
    with pytest.raises(rumod.InvalidArgumentError):
        store.decide_and_record(v, platform="vk", page_id="", author_id="3", comment_id="c3")


def test_export(engine, store, tmp_path):
    store.decide_and_record(engine.classify("ты дебил"), author_id="1", comment_id="1", **PAGE)
    text = store.export("jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert rows and rows[0]["type"] == "violation"
    out = tmp_path / "export.csv"
    csv_text = store.export("csv", out)
    assert out.read_text(encoding="utf-8") == csv_text and "comment_id" in csv_text
    with pytest.raises(rumod.InvalidArgumentError):
        store.export("xml")


def test_store_argument_errors(engine, store, tmp_path):
    with pytest.raises(TypeError):
        store.decide_and_record("not a verdict", author_id="1", comment_id="1", **PAGE)
    with pytest.raises(TypeError):
        store.decide_and_record(engine.classify("x"), platform=None, page_id="1",
                                author_id="1", comment_id="1")
    with pytest.raises(TypeError):
        rumod.BlacklistStore(tmp_path / "x.db")
    with pytest.raises(rumod.NotFoundError):
        rumod.BlacklistStore.open(tmp_path / "missing.db", create_if_missing=False)
    with pytest.raises(rumod.InvalidArgumentError):
        rumod.BlacklistStore.open(tmp_path / "y.db", excerpt_chars=-1)
    with pytest.raises(TypeError):
        pickle.dumps(store)


def test_closed_store(tmp_path):
    s = rumod.BlacklistStore.open(tmp_path / "c.db")
    s.close()
    assert s.closed
    with pytest.raises(rumod.FailedPreconditionError):
        s.is_banned("vk", "1", "1")


def test_close_while_other_threads_use_the_store(engine, tmp_path):
    # close() from one thread while others are inside store calls: the calls
    # in flight finish, later ones raise FailedPreconditionError. It used to
    # free the store under them (SIGSEGV in SQLite in 4 runs of 4).
    v = engine.classify("ну ты и дебил, хуйня")
    for rnd in range(8):
        st = rumod.BlacklistStore.open(tmp_path / f"race{rnd}.db", durable=False)
        errors = []

        def work(k):
            i = 0
            while True:
                i += 1
                try:
                    st.decide_and_record(v, platform="vk", page_id="1", author_id=str(i % 50),
                                         comment_id=f"{k}-{i}")
                    st.history("vk", "1", str(i % 50))
                    st.list_violations(limit=5)
                except rumod.FailedPreconditionError:
                    return
                except Exception as ex:  # noqa: BLE001 - any other error fails the test
                    errors.append(repr(ex))
                    return

        threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        time.sleep(0.05)
        st.close()
        for t in threads:
            t.join()
        assert errors == []
        assert st.closed


def test_store_shared_by_threads(engine, store):
    v = engine.classify("хуй")
    errors = []

    def run(t):
        try:
            for i in range(20):
                store.decide_and_record(v, author_id=f"a{t}", comment_id=f"{t}-{i}", **PAGE)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(store.list_violations()) == 80


def test_policy_parse_load_pickle(tmp_path):
    p = rumod.Policy()
    text = p.to_text()
    assert rumod.Policy.parse(text).to_text() == text
    f = tmp_path / "policy.conf"
    f.write_text(text, encoding="utf-8")
    assert rumod.Policy.load(f).to_text() == text
    assert pickle.loads(pickle.dumps(p)).to_text() == text
    with pytest.raises(rumod.InvalidArgumentError, match="my.conf:1"):
        rumod.Policy.parse("no_such_key = 1\n", "my.conf")
    with pytest.raises(rumod.NotFoundError):
        rumod.Policy.load(tmp_path / "missing.conf")


def test_lone_surrogates_and_out_of_range_counts_are_clear_errors(engine, store, tmp_path):
    v = engine.classify("ты дебил")
    # A lone surrogate has no UTF-8 form: named, with its index.
    with pytest.raises(rumod.InvalidArgumentError, match=r"author_id: lone surrogate U\+D800 at index 1"):
        store.decide_and_record(v, author_id="7\ud800", comment_id="1", **PAGE)
    with pytest.raises(rumod.InvalidArgumentError, match="text: lone surrogate"):
        rumod.Policy.parse("\udcff")
    assert store.list_violations() == []  # nothing half-recorded
    # Limits outside int64 or negative: InvalidArgumentError, not a signature dump.
    for bad in (2**70, -1):
        with pytest.raises(rumod.InvalidArgumentError, match="limit must be in 0.."):
            store.list_violations(limit=bad)
        with pytest.raises(rumod.InvalidArgumentError, match="limit must be in 0.."):
            store.list_bans(limit=bad)
        with pytest.raises(rumod.InvalidArgumentError, match="limit must be in 0.."):
            store.export("jsonl", limit=bad)
    with pytest.raises(TypeError, match="limit must be int"):
        store.list_bans(limit=True)
    with pytest.raises(rumod.InvalidArgumentError, match="history_limit must be in 0..2147483647"):
        rumod.BlacklistStore.open(tmp_path / "x.db", history_limit=2**40)


def test_every_store_method_checks_its_strings_times_and_clock(engine, store, tmp_path):
    # Each string argument is checked by name (it was nanobind's generic
    # "incompatible function arguments" outside decide_and_record/record).
    calls = {
        "active_ban": lambda a: store.active_ban("vk", "1", a),
        "is_banned": lambda a: store.is_banned("vk", "1", a),
        "history": lambda a: store.history("vk", "1", a),
        "ban_manually": lambda a: store.ban_manually("vk", "1", a, category="spam",
                                                     reason="r", actor="moderator:t"),
        "unban": lambda a: store.unban("vk", "1", a, actor="moderator:t", reason="r"),
        "list_bans": lambda a: store.list_bans(author_id=a),
        "list_violations": lambda a: store.list_violations(author_id=a),
        "export": lambda a: store.export("csv", author_id=a),
    }
    for name, call in calls.items():
        with pytest.raises(rumod.InvalidArgumentError, match=r"author_id: lone surrogate U\+D800"):
            call("7\ud800")
        with pytest.raises(TypeError, match="author_id must be str"):
            call(7)
    with pytest.raises(rumod.InvalidArgumentError, match="reason: lone surrogate"):
        store.ban_manually("vk", "1", "7", category="spam", reason="\udc00", actor="m")
    with pytest.raises(rumod.InvalidArgumentError, match="file_name: lone surrogate"):
        rumod.Policy.parse("", file_name="\ud800")
    # An int beyond the float range is out of range, not OverflowError.
    v = engine.classify("ты дебил")
    with pytest.raises(rumod.InvalidArgumentError, match="created_at"):
        store.decide_and_record(v, author_id="7", comment_id="1", created_at=10**400, **PAGE)
    with pytest.raises(rumod.InvalidArgumentError, match="duration"):
        store.ban_manually("vk", "1", "7", category="spam", reason="r", actor="m",
                           duration=10**400)
    # A clock that is not a FakeClock: TypeError, not RuntimeError(std::bad_cast).
    with pytest.raises(TypeError, match="clock must be a rumod.FakeClock"):
        rumod.BlacklistStore.open(tmp_path / "clock.db", clock="x")
    assert store.list_violations() == [] and store.list_bans() == []


def test_bans_near_the_end_of_the_time_range_stay_readable(engine, tmp_path):
    # A second violation 3 days before 9999-12-31 earns a ban whose term
    # reaches past the range: it ends at the range's last second, and the
    # author's records stay readable (they raised ValueError for good).
    clock = rumod.FakeClock(253402300799 - 3 * 86400)
    st = rumod.BlacklistStore.open(tmp_path / "end.db", clock=clock)
    v = engine.classify("ну ты и дебил, хуйня")
    assert v.labels
    for i in range(3):
        st.decide_and_record(v, author_id="7", comment_id=str(i), **PAGE)
    h = st.history(PAGE["platform"], PAGE["page_id"], "7")
    assert h.bans
    assert all(b.end is None or b.end.year == 9999 for b in h.bans)
    assert st.list_bans()


def test_masked_excerpt_clamps_spans_to_the_text():
    # The first letter of a masked word stays, as for any span.
    assert rumod.masked_excerpt("ты дебил", [(-5, 2)]) == "т* дебил"
    assert rumod.masked_excerpt("ты дебил", [(3, 99)]) == "ты д****"
    assert rumod.masked_excerpt("ты дебил", [(5, 2)]) == "ты дебил"  # reversed: nothing
