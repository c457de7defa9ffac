#!/usr/bin/env python3
"""Classify a CSV of comments with rumod — standard library only (no pandas).

    pip install .                                     # from the repository root
    python examples/classify_csv.py comments.csv labeled.csv --column text --threads 2
    python examples/classify_csv.py                   # demo: examples/comments.jsonl -> stdout

Every input column is kept; added columns: labels and traits (";"-joined,
empty = clean), one score_<category> column per category, rules (the rule ids
that matched) and spans (start:end str indices of the matches). The file is
read and classified in chunks, so memory stays flat on large files.
"""

# %% Imports and arguments
import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Dict, Iterable, Iterator, List

import rumod

HERE = Path(__file__).resolve().parent


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?", help="CSV file with a header row ('-' = stdin); "
                    "default: a demo CSV made from examples/comments.jsonl")
    ap.add_argument("output", nargs="?", default="-", help="output CSV ('-' = stdout)")
    ap.add_argument("--column", default="text", help="column holding the comment (default: text)")
    ap.add_argument("--threads", type=int, default=1, help="native threads (0 = one per core)")
    ap.add_argument("--engine", help="engine file from `rumod compile` (default: embedded)")
    ap.add_argument("--chunk", type=int, default=10000, help="rows per classify_batch call")
    ap.add_argument("--delimiter", default=",")
    return ap.parse_args()


# %% Input: a CSV file, stdin, or a demo CSV built from the example comments
def demo_csv() -> io.StringIO:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "text"])
    with open(HERE / "comments.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                obj = json.loads(line)
                w.writerow([obj["id"], obj["text"]])
    buf.seek(0)
    return buf


def chunks(rows: Iterable[Dict[str, str]], size: int) -> Iterator[List[Dict[str, str]]]:
    chunk: List[Dict[str, str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# %% Classification: one classify_batch call per chunk (GIL released, native threads)
def label_row(row: Dict[str, str], v: rumod.Verdict) -> Dict[str, str]:
    out = dict(row)
    out["labels"] = ";".join(v.labels)
    out["traits"] = ";".join(v.traits)
    for c, s in v.scores.items():
        out[f"score_{c}"] = f"{s:.2f}"
    out["rules"] = ";".join(dict.fromkeys(m.rule for m in v.matches))
    out["spans"] = ";".join(f"{m.start}:{m.end}" for m in v.matches)
    return out


def main() -> int:
    args = parse_args()
    engine = rumod.Engine.load(args.engine) if args.engine else rumod.Engine.default()
    if args.input is None:
        src = demo_csv()
    elif args.input == "-":
        src = sys.stdin
    else:
        src = open(args.input, encoding="utf-8-sig", newline="")
    dst = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    reader = csv.DictReader(src, delimiter=args.delimiter)
    if reader.fieldnames is None or args.column not in reader.fieldnames:
        print(f"classify_csv: no column {args.column!r} in {reader.fieldnames}", file=sys.stderr)
        return 2
    extra = ["labels", "traits"] + [f"score_{c}" for c in rumod.CATEGORIES] + ["rules", "spans"]
    writer = csv.DictWriter(dst, fieldnames=list(reader.fieldnames) + extra,
                            delimiter=args.delimiter)
    writer.writeheader()
    counts = {c: 0 for c in rumod.CATEGORIES}
    total = 0
    for chunk in chunks(reader, args.chunk):
        # A missing cell (short row) is None in DictReader: classify it as "".
        texts = [row[args.column] or "" for row in chunk]
        for row, v in zip(chunk, engine.classify_batch(texts, threads=args.threads)):
            writer.writerow(label_row(row, v))
            for c in v.labels:
                counts[c] += 1
        total += len(chunk)

    # %% Summary on stderr
    summary = ", ".join(f"{c} {n}" for c, n in counts.items() if n)
    print(f"classify_csv: {total} rows; {summary or 'all clean'}", file=sys.stderr)
    if dst is not sys.stdout:
        dst.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
