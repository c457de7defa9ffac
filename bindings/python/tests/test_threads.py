"""classify / classify_batch from several Python threads at once."""
import sys
import threading
import time

import rumod

TEXTS = ["привет, как дела", "ну ты и дебил", "🙂 х*й 🙂", "б.л.я", "Hello мир", "ты xyй"] * 200


def test_classify_batch_from_several_python_threads(engine):
    expected = [v.to_dict() for v in engine.classify_batch(TEXTS)]
    errors = []
    results = {}

    def run(i):
        try:
            for _ in range(3):
                out = engine.classify_batch(TEXTS, threads=2)
                assert [v.to_dict() for v in out] == expected
            results[i] = True
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 4


def test_classify_from_several_python_threads(engine):
    expected = [engine.classify(t).to_dict() for t in TEXTS]
    errors = []

    def run():
        try:
            got = [engine.classify(t).to_dict() for t in TEXTS]
            assert got == expected
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_batch_releases_the_gil(engine):
    # While a long batch runs, another Python thread keeps getting the GIL.
    texts = ["ну ты и дебил, " * 20] * 20000
    ticks = 0
    done = threading.Event()

    def counter():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        t = threading.Thread(target=counter)
        t.start()
        start = time.perf_counter()
        engine.classify_batch(texts, threads=1)
        elapsed = time.perf_counter() - start
        done.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert elapsed > 0.05
    assert ticks >= 5, (ticks, elapsed)


def test_batch_survives_list_mutation_from_another_thread(engine):
    texts = ["ну ты и дебил " + str(i) for i in range(20000)]
    stop = threading.Event()

    def mutate():
        while not stop.is_set():
            texts[len(texts) // 2] = "другой текст"  # drops the old str
            time.sleep(0)

    t = threading.Thread(target=mutate)
    t.start()
    try:
        out = engine.classify_batch(texts, threads=2)
    finally:
        stop.set()
        t.join()
    assert len(out) == 20000
    assert out[0].labels == ("insult",)
