#!/usr/bin/env python3
"""Benchmark of the rumod Python bindings (numbers go to docs/performance.md).

    build/pyvenv/bin/python bindings/python/bench_rumod.py            # everything
    build/pyvenv/bin/python bindings/python/bench_rumod.py --memory   # + RSS over 1e6 calls

1. Per-call overhead: ``engine.classify(t)`` in a Python loop vs the plain C++
   loop ``engine.Classify(t, scratch, &v)`` over the same texts in the same
   process (``rumod._rumod._time_native_classify``).
2. ``classify_batch`` throughput with 1 and 2 threads over the ``text`` fields
   of ../shared/data/kaggle_2ch_pikabu/data.jsonl (skipped if absent),
   compared with ``build/rumod classify --text --threads N`` on the same texts
   (newlines inside a comment replaced by spaces, one comment per line, as the
   CLI's --text mode needs; CLI output to /dev/null; wall time of the process).
3. With --memory: RSS before/after 1e6 classify calls.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, sys.path[0] is bindings/python, whose rumod/ has no native
# module: import the installed package instead.
_HERE = Path(__file__).resolve().parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import rumod  # noqa: E402
from rumod import _rumod  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "kaggle_2ch_pikabu" / "data.jsonl"


def load_texts(path: Path) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line).get("text")
            if isinstance(t, str):
                texts.append(" ".join(t.replace("\r", " ").split("\n")).strip())
    return texts


def best(fn, repeats: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)


def best_wall_cpu(fn, repeats: int) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds of this process, all threads)."""
    walls, cpus = [], []
    for _ in range(repeats):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def per_call(engine: rumod.Engine, texts: list[str], label: str, repeats: int) -> None:
    n = len(texts)
    native = min(_rumod._time_native_classify(engine, texts, 1) for _ in range(repeats))
    classify = engine.classify

    def loop() -> None:
        for t in texts:
            classify(t)

    def loop_with_matches() -> None:
        for t in texts:
            v = classify(t)
            v.labels, v.matches

    py = best(loop, repeats, time.thread_time)
    py_m = best(loop_with_matches, repeats, time.thread_time)
    print(f"per-call [{label}, {n} texts, {sum(len(t.encode()) for t in texts) / n:.0f} B avg]:"
          f" C++ {native / n * 1e9:8.0f} ns   Python classify {py / n * 1e9:8.0f} ns"
          f" (+{(py - native) / n * 1e9:.0f} ns)   + labels/matches {py_m / n * 1e9:8.0f} ns")


def cli_time(cli: Path, path: str, threads: int, repeats: int) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) of `rumod classify --text` runs."""
    walls, cpus = [], []
    for _ in range(repeats):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        w = time.perf_counter()
        with open(os.devnull, "wb") as out:
            subprocess.run([str(cli), "classify", "--text", "--threads", str(threads), path],
                           stdout=out, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - w)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return min(walls), min(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cli", type=Path, default=ROOT / "build" / "rumod")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--memory", action="store_true", help="RSS over 1e6 classify calls")
    args = ap.parse_args()

    t0 = time.perf_counter()
    engine = rumod.Engine.default()
    print(f"rumod {rumod.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs;"
          f" Engine.default() {1e3 * (time.perf_counter() - t0):.1f} ms: {engine!r}")

    short = ["привет", "ну ты и дебил", "Спасибо за дорогу!", "ты xyй 😀"] * 2500
    per_call(engine, short, "short", args.repeats)

    if not args.data.exists():
        print(f"skip corpus benchmarks: {args.data} not found")
    else:
        texts = load_texts(args.data)
        mb = sum(len(t.encode()) for t in texts) / 1e6
        print(f"corpus: {args.data.name}: {len(texts)} texts, {mb:.2f} MB")
        per_call(engine, texts, "corpus", args.repeats)
        results = {}
        n = len(texts)
        for threads in (1, 2):
            w, c = best_wall_cpu(lambda: engine.classify_batch(texts, threads=threads),
                                 args.repeats)
            results[threads] = (w, c)
            print(f"classify_batch threads={threads}: {n / w:9.0f} texts/s wall"
                  f" ({mb / w:5.1f} MB/s, {w * 1e3:.0f} ms); CPU {c * 1e3:.0f} ms ="
                  f" {n / c:.0f} texts per CPU-second")
        if args.cli.exists():
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt",
                                             delete=False) as f:
                f.write("\n".join(texts) + "\n")
                path = f.name
            try:
                for threads in (1, 2):
                    w, c = cli_time(args.cli, path, threads, args.repeats)
                    pw, pc = results[threads]
                    print(f"CLI classify --text --threads {threads}: {n / w:9.0f} texts/s wall"
                          f" ({mb / w:5.1f} MB/s, {w * 1e3:.0f} ms, whole process); CPU"
                          f" {c * 1e3:.0f} ms = {n / c:.0f} texts per CPU-second;"
                          f" Python/CLI throughput: wall {w / pw:.2f}x, CPU {c / pc:.2f}x")
            finally:
                os.unlink(path)
        else:
            print(f"skip CLI comparison: {args.cli} not found (build it with scripts/build.sh)")

    if args.memory:
        texts4 = ["ну ты и дебил 😀", "привет всем", "ты xyй", "Спасибо за дорогу!"]
        for i in range(20000):
            engine.classify(texts4[i & 3])
        gc.collect()
        before = rss_kib()
        t0 = time.perf_counter()
        for i in range(1_000_000):
            engine.classify(texts4[i & 3])
        elapsed = time.perf_counter() - t0
        gc.collect()
        after = rss_kib()
        print(f"memory: 1e6 classify calls in {elapsed:.1f} s; RSS {before} KiB -> {after} KiB"
              f" ({after - before:+d} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
