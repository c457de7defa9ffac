"""Memory stays flat over many classify calls (RSS measured, not guessed).

The test does 2e5 calls (a few seconds); bindings/python/bench_rumod.py
--memory does 1e6 and docs/python.md reports both.
"""
import gc
import os

import pytest

import rumod


def rss_kib() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    pytest.skip("no /proc/self/status")


def test_rss_stable_over_many_classify_calls(engine):
    texts = ["ну ты и дебил 😀", "привет всем", "ты xyй", "Спасибо за дорогу!"]
    n = int(os.environ.get("RUMOD_MEMORY_CALLS", "200000"))
    for i in range(20000):  # warm up: scratch pool, allocator arenas, caches
        engine.classify(texts[i & 3]).matches
    gc.collect()
    before = rss_kib()
    for i in range(n):
        v = engine.classify(texts[i & 3])
        if i % 7 == 0:
            v.matches, v.to_dict()
    gc.collect()
    after = rss_kib()
    # Any per-call leak would be >= n * 32 bytes = 6 MiB for 2e5 calls.
    assert after - before < 2048, (before, after)


def test_rss_stable_over_batches(engine):
    texts = ["ну ты и дебил 😀 " + str(i) for i in range(5000)]
    for _ in range(3):
        engine.classify_batch(texts, threads=2)
    gc.collect()
    before = rss_kib()
    for _ in range(20):
        out = engine.classify_batch(texts, threads=2)
        [v.matches for v in out]
        del out
    gc.collect()
    after = rss_kib()
    assert after - before < 4096, (before, after)
