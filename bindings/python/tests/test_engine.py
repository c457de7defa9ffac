"""Engine, Verdict and Match: API round trips, offsets, errors, pickling."""
import json
import pickle
from pathlib import Path

import pytest

import rumod

CONFUSABLES = Path(__file__).resolve().parents[3] / "dictionaries" / "ru" / "confusables.tsv"


def test_default_engine_is_shared_and_described(engine):
    assert engine.is_default
    assert engine.rule_count > 0 and engine.pattern_count >= engine.rule_count // 2
    assert "rumod.Engine default" in repr(engine)
    assert rumod.version() == rumod.__version__
    rules = engine.rules()
    assert any(r["id"] == "ins.debil" for r in rules)


def test_classify_clean(engine):
    v = engine.classify("Спасибо за ремонт дороги!")
    assert v.clean and v.labels == () and v.matches == ()
    assert set(v.scores) == set(rumod.CATEGORIES)
    assert repr(v) == "Verdict(labels=[])"
    assert v.text == "Спасибо за ремонт дороги!"


def test_classify_insult_fields(engine):
    text = "ну ты и дебил"
    v = engine.classify(text)
    assert v.labels == ("insult",)
    assert v.has("insult") and not v.has("spam")
    m = v.matches[0]
    assert (m.rule, m.category, m.trait, m.start, m.end, m.text) == ("ins.debil", "insult", None, 8, 13, "дебил")
    assert (m.byte_start, m.byte_end) == (13, 23)  # UTF-8 offsets, as the CLI prints them
    assert m.view == "text" and m.form == "дебил" and 0 < m.weight <= 1 and m.aimed
    assert "ins.debil" in repr(v) and "'insult'" in repr(v)
    assert v.scores["insult"] >= 0.5


def test_to_dict_and_json_round_trip(engine):
    v = engine.classify("ты дебил, хуй")
    d = v.to_dict()
    assert d["labels"] == list(v.labels)
    assert d["matches"][0] == v.matches[0].to_dict()
    assert json.loads(v.to_json()) == d
    assert "дебил" in v.to_json()  # ensure_ascii=False


def _check_offsets(v):
    for m in v.matches:
        assert v.text[m.start:m.end] == m.text
        assert len(v.text[: m.start].encode("utf-8", "surrogatepass")) == m.byte_start
        assert len(v.text[: m.end].encode("utf-8", "surrogatepass")) == m.byte_end


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ну ты и дебил", "дебил"),
        ("😀😀 ну ты и дебил", "дебил"),                 # astral chars before (4 bytes, 1 index)
        ("🇷🇺👨‍👩‍👧 ты дебил 🤬 ещё дебил", "дебил"),  # flags, ZWJ sequences
        ("Hello мир 你好 ты дебил", "дебил"),           # Latin + Cyrillic + CJK
        ("𝕏 ну ты xyй", "xyй"),                        # mathematical letter + Latin look-alikes
        ("é\u0301 ты дебил", "дебил"),                  # combining marks
    ],
)
def test_offsets_are_str_indices(engine, text, expected):
    v = engine.classify(text)
    assert v.matches, text
    _check_offsets(v)
    assert any(m.text == expected for m in v.matches)


def test_offsets_with_obfuscation_spans(engine):
    v = engine.classify("🙂 б.л.я, п и з д а 🙂 х*й")
    assert v.matches
    _check_offsets(v)


def test_lone_surrogate_is_replaced_not_fatal(engine):
    text = "\ud83d ты дебил \udfff"
    v = engine.classify(text)
    assert "invalid_utf8" in v.flags
    assert v.labels == ("insult",)
    m = v.matches[0]
    assert text[m.start:m.end] == "дебил" and m.text == "дебил"
    assert engine.classify_batch([text])[0].to_dict() == v.to_dict()


def test_flags(engine):
    v = engine.classify("ну ты xyй")
    assert "confusables" in v.flags
    assert v.input_flags & 2


def test_huge_input_is_truncated(engine):
    v = engine.classify("а" * (2 << 20) + " хуй")
    assert "truncated" in v.flags
    assert not v.has("profanity")


def test_empty_string(engine):
    assert engine.classify("").clean


def test_explain(engine):
    ex = engine.explain("ну ты xyй https://spam.example.com")
    assert "хуй" in ex.text_view
    assert ex.verdict.has("profanity")
    (b, e), = ex.links
    assert ex.verdict.text[b:e] == "https://spam.example.com"
    s = str(ex)
    assert "prof." in s and "normalized:" in s
    assert "Explanation(" in repr(ex)


def test_classify_batch_matches_classify(engine):
    texts = ["привет", "ну ты и дебил", "😀 хуй", "", "б.л.я"] * 50
    for threads in (0, 1, 2, 3):
        out = engine.classify_batch(texts, threads=threads)
        assert [v.to_dict() for v in out] == [engine.classify(t).to_dict() for t in texts]
    assert engine.classify_batch([]) == []
    assert engine.classify_batch(iter(["хуй"]))[0].labels == ("profanity",)
    assert engine.classify_batch(("a", "b"))[1].text == "b"


def test_save_load_round_trip(engine, tmp_path):
    path = tmp_path / "default.rumod"
    engine.save(path)
    loaded = rumod.Engine.load(path)
    assert not loaded.is_default
    assert loaded.content_hash == engine.content_hash
    loaded2 = rumod.Engine.load(str(path))
    t = "ну ты и дебил, хуй"
    assert loaded.classify(t).to_dict() == engine.classify(t).to_dict() == loaded2.classify(t).to_dict()
    assert rumod.Engine.from_bytes(engine.to_bytes()).content_hash == engine.content_hash


def test_compile_directory(tmp_path):
    (tmp_path / "test.dict").write_text("# test\n@category insult\nt.foo  word  фуфел\n",
                                        encoding="utf-8")
    if not CONFUSABLES.exists():
        pytest.skip("dictionaries/ru not found (installed without the source tree)")
    (tmp_path / "confusables.tsv").write_bytes(CONFUSABLES.read_bytes())
    e = rumod.Engine.compile(tmp_path)
    assert not e.is_default
    assert e.classify("ты фуфел").matches[0].rule == "t.foo"


def test_compile_errors(tmp_path):
    with pytest.raises(rumod.NotFoundError):
        rumod.Engine.compile(tmp_path / "missing")
    (tmp_path / "bad.dict").write_text("x.bad  nosuchcategory  word  абв\n", encoding="utf-8")
    (tmp_path / "confusables.tsv").write_text("", encoding="utf-8")
    with pytest.raises(rumod.InvalidArgumentError) as ei:
        rumod.Engine.compile(tmp_path)
    assert "bad.dict:1" in str(ei.value)
    assert ei.value.status_code == "INVALID_ARGUMENT"
    assert isinstance(ei.value, ValueError)


def test_load_errors(tmp_path):
    with pytest.raises(rumod.NotFoundError) as ei:
        rumod.Engine.load(tmp_path / "nope.rumod")
    assert isinstance(ei.value, LookupError) and isinstance(ei.value, rumod.Error)
    bad = tmp_path / "bad.rumod"
    bad.write_bytes(b"not an engine at all" * 10)
    with pytest.raises(rumod.Error) as ei:
        rumod.Engine.load(bad)
    assert type(ei.value) in (rumod.InvalidArgumentError, rumod.FailedPreconditionError, rumod.DataLossError)
    data = bytearray(rumod.Engine.default().to_bytes())
    data[len(data) // 2] ^= 0xFF  # flip one byte in the payload: checksum mismatch
    with pytest.raises(rumod.Error):
        rumod.Engine.from_bytes(bytes(data))
    with pytest.raises(rumod.Error):
        rumod.Engine.from_bytes(b"")


@pytest.mark.parametrize("bad", [None, b"bytes", 42, ["list"], object()])
def test_non_str_inputs_raise_type_error(engine, bad):
    with pytest.raises(TypeError):
        engine.classify(bad)
    with pytest.raises(TypeError):
        engine.explain(bad)
    with pytest.raises(TypeError):
        engine.classify_batch([bad])


def test_classify_batch_argument_errors(engine):
    with pytest.raises(TypeError):
        engine.classify_batch(None)
    with pytest.raises(TypeError):
        engine.classify_batch("a single str")
    with pytest.raises(TypeError):
        engine.classify_batch(b"bytes")
    with pytest.raises(ValueError):
        engine.classify_batch(["a"], threads=-1)
    with pytest.raises(ValueError):
        engine.classify_batch(["a"], threads=-(2**70))
    with pytest.raises(TypeError):
        engine.classify_batch(["a"], threads="2")
    with pytest.raises(TypeError):
        engine.classify_batch(["a"], threads=True)
    # Huge counts are clamped, not a signature error.
    assert [v.labels for v in engine.classify_batch(["ты дебил"], threads=2**40)] == [("insult",)]
    assert len(engine.classify_batch(["a", "b"], threads=2**70)) == 2
    with pytest.raises(TypeError):
        engine.classify_batch(["a"], 2)  # threads is keyword-only


def test_unknown_category_in_has(engine):
    with pytest.raises(rumod.InvalidArgumentError):
        engine.classify("x").has("obscenity")


def test_error_hierarchy():
    for cls in (rumod.InvalidArgumentError, rumod.NotFoundError, rumod.DataLossError,
                rumod.FailedPreconditionError, rumod.UnavailableError, rumod.InternalError):
        assert issubclass(cls, rumod.Error)
        assert cls.code.isupper()
        assert cls.__doc__
    assert rumod.InvalidArgumentError.code == "INVALID_ARGUMENT"


def test_engine_pickles(engine, tmp_path):
    again = pickle.loads(pickle.dumps(engine))
    assert again.is_default and again.content_hash == engine.content_hash
    # A non-default engine pickles as its serialized bytes.
    path = tmp_path / "e.rumod"
    engine.save(path)
    loaded = rumod.Engine.load(path)
    copy = pickle.loads(pickle.dumps(loaded))
    assert not copy.is_default
    assert copy.classify("хуй").labels == ("profanity",)


def test_verdict_pickling_is_refused_with_a_hint(engine):
    v = engine.classify("хуй")
    with pytest.raises(TypeError, match="to_dict"):
        pickle.dumps(v)
    with pytest.raises(TypeError, match="to_dict"):
        pickle.dumps(v.matches[0])
    assert pickle.loads(pickle.dumps(v.to_dict())) == v.to_dict()


def test_verdict_is_immutable(engine):
    v = engine.classify("хуй")
    with pytest.raises(AttributeError):
        v.labels = ()
    with pytest.raises(AttributeError):
        v.matches[0].start = 0


def test_docstrings_everywhere():
    names = [n for n in rumod.__all__ if not n.isupper()]
    for n in names:
        assert getattr(rumod, n).__doc__, n
    for cls in (rumod.Engine, rumod.Verdict, rumod.Match, rumod.BlacklistStore, rumod.Policy):
        for attr, value in vars(cls).items():
            if attr.startswith("_"):
                continue
            assert getattr(value, "__doc__", None), f"{cls.__name__}.{attr}"


def test_helpers():
    assert len(rumod.sha256_hex("дебил")) == 64
    assert rumod.masked_excerpt("ты дебил", [(3, 8)]) == "ты д****"
    assert "8" in rumod.legal_basis("spam")


def test_lone_surrogates_inside_links_and_explain_never_raise():
    engine = rumod.Engine.default()
    for text in ("t.me/\udfff", "https://vk.com/\udc80", "t.me/\ud800x"):
        v = engine.classify(text)
        for m in v.matches:
            assert text[m.start:m.end] == m.text
            assert isinstance(m.form, str)
        assert v.to_dict()["matches"] is not None
        v.to_json()
    out = engine.explain("\ud800 хуй")
    assert "profanity" in str(out)


def test_offsets_of_many_overlapping_matches(engine):
    # Two rules on each span: str offsets are converted in linear time (a
    # restart from the first byte per match was quadratic) and stay exact.
    text = "привет дебил " * 3000
    v = engine.classify(text)
    assert len(v.matches) >= 3000
    for m in v.matches:
        assert text[m.start:m.end].lower().startswith("деб")
