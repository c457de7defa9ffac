#!/usr/bin/env python3
"""Classify comments with rumod inside PySpark (local mode, mapPartitions).

    pip install .            # rumod, from the repository root (on every worker node)
    pip install pyspark      # plus a Java runtime (Debian: apt-get install default-jre-headless)
    python examples/spark_classify.py                                   # examples/comments.jsonl
    python examples/spark_classify.py ../shared/data/kaggle_2ch_pikabu/data.jsonl --partitions 4

How it scales: classification is stateless, so each Spark task classifies its
partition with an engine of its own process. `Engine.default()` is embedded
in the module (loaded once per Python worker, ~40 ms); a custom engine file is
shipped once per executor with `sc.broadcast(engine.to_bytes())` (an Engine
also pickles, as its serialized bytes). Inside a partition, rows are
classified in chunks with `classify_batch` (GIL released); Spark's own task
parallelism provides the cores, so threads=1 per task is the right default.
Verdicts are not picklable: each row returns plain values (to_dict() fields).
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Iterable, Iterator, Optional

HERE = Path(__file__).resolve().parent

try:
    from pyspark.sql import Row, SparkSession
    from pyspark.sql.types import ArrayType, DoubleType, StringType, StructField, StructType
except ImportError:
    print("spark_classify: pyspark is not installed.\n"
          "  pip install pyspark        # needs Java 8+ (Debian: apt-get install default-jre-headless)\n"
          "then run this script again. rumod itself needs only `pip install .`.",
          file=sys.stderr)
    sys.exit(0)

import rumod

_ENGINE: Optional[rumod.Engine] = None

# Explicit schema: a partition of clean comments has only empty label lists,
# from which Spark cannot infer a type.
SCHEMA = StructType([
    StructField("id", StringType()),
    StructField("text", StringType()),
    StructField("labels", ArrayType(StringType())),
    StructField("traits", ArrayType(StringType())),
    StructField("rules", ArrayType(StringType())),
    StructField("max_score", DoubleType()),
])


def get_engine(engine_bytes) -> rumod.Engine:
    """One engine per Python worker process, built on first use."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = (rumod.Engine.from_bytes(engine_bytes.value) if engine_bytes is not None
                   else rumod.Engine.default())
    return _ENGINE


def classify_partition(rows: Iterable[dict], engine_bytes, chunk: int = 4096) -> Iterator[Row]:
    engine = get_engine(engine_bytes)
    batch = []

    def flush():
        verdicts = engine.classify_batch([r["text"] for r in batch], threads=1)
        for r, v in zip(batch, verdicts):
            yield Row(id=str(r.get("id")), text=r["text"], labels=list(v.labels),
                      traits=list(v.traits),
                      rules=sorted({m.rule for m in v.matches}),
                      max_score=max(v.scores.values()))

    for r in rows:
        if isinstance(r.get("text"), str):
            batch.append(r)
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?", default=str(HERE / "comments.jsonl"),
                    help="JSONL with 'id' and 'text' fields")
    ap.add_argument("--partitions", type=int, default=2)
    ap.add_argument("--engine", help="engine file from `rumod compile` (default: embedded)")
    ap.add_argument("--output", help="write the labeled rows as JSON lines to this directory")
    args = ap.parse_args()

    spark = (SparkSession.builder.master(f"local[{args.partitions}]")
             .appName("rumod-classify").getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    engine_bytes = (sc.broadcast(rumod.Engine.load(args.engine).to_bytes())
                    if args.engine else None)

    lines = sc.textFile(args.input, minPartitions=args.partitions)
    rows = lines.filter(lambda s: s.strip()).map(json.loads)
    labeled = rows.mapPartitions(lambda it: classify_partition(it, engine_bytes))
    df = spark.createDataFrame(labeled, SCHEMA)
    df.cache()

    total = df.count()
    flagged = df.filter("size(labels) > 0")
    print(f"spark_classify: {total} comments, {flagged.count()} flagged")
    (df.selectExpr("explode(labels) AS label").groupBy("label").count()
       .orderBy("count", ascending=False).show())
    flagged.select("id", "labels", "rules").show(10, truncate=60)
    if args.output:
        df.write.mode("overwrite").json(args.output)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
