#!/usr/bin/env bash
# Instructions per comment of full classification (Engine::Classify), counted
# by callgrind: repeatable on a shared or noisy VM where the timings of
# classify_bench move by ±30% between runs (docs/performance.md). Compares the
# shipped dictionaries with the same minus spam.dict, which is the issue-3
# budget (classify with spam rules within 15% of before).
#
#   bench/instructions.sh [N]     # the first N kaggle_2ch_pikabu texts (default 3000)
#
# Needs build/rumod (scripts/build.sh; BUILD_DIR overrides) and valgrind
# (installed here through scripts/install-deps.sh when missing). Reads
# ../shared/data/kaggle_2ch_pikabu/data.jsonl (RUMOD_SHARED overrides
# ../shared); exits 0 with a message when it is absent. Instructions are not
# time: Hyperscan's scan of a large database runs at fewer instructions per
# cycle than the rest, so spam.dict costs +13% instructions but +24-55% time
# on the hosts measured so far.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-3000}"
case "$n" in '' | *[!0-9]*) echo "usage: bench/instructions.sh [N]" >&2; exit 2 ;; esac
rumod="${BUILD_DIR:-build}/rumod"
data="${RUMOD_SHARED:-../shared}/data/kaggle_2ch_pikabu/data.jsonl"
if [ ! -f "$data" ]; then
  echo "instructions: skipped, $data is absent" >&2
  exit 0
fi
[ -x "$rumod" ] || { echo "instructions: $rumod missing, run scripts/build.sh" >&2; exit 1; }
command -v valgrind >/dev/null || scripts/install-deps.sh valgrind

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$data" "$n" > "$tmp/texts" <<'EOF'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i == n:
            break
        print(" ".join(json.loads(line)["text"].split()))
EOF
lines=$(wc -l < "$tmp/texts")

mkdir "$tmp/nospam"
cp dictionaries/ru/* "$tmp/nospam/"
rm "$tmp/nospam/spam.dict"
"$rumod" compile dictionaries/ru -o "$tmp/full.eng" 2>&1 | sed 's/^/  /' >&2
"$rumod" compile "$tmp/nospam" -o "$tmp/nospam.eng" 2>&1 | sed 's/^/  /' >&2

# Prints the instructions callgrind collected inside Engine::Classify.
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      --toggle-collect='rumod::Engine::Classify*' \
      "$rumod" classify --engine "$1" --text --threads 1 "$tmp/texts" 2>&1 >/dev/null |
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}
with=$(count "$tmp/full.eng")
without=$(count "$tmp/nospam.eng")
[ -n "$with" ] && [ -n "$without" ] || { echo "instructions: no callgrind count" >&2; exit 1; }
python3 - "$lines" "$with" "$without" <<'EOF'
import sys
lines, w, wo = (int(x) for x in sys.argv[1:])
print(f"comments: {lines} (kaggle_2ch_pikabu, first lines)")
print(f"Engine::Classify instructions, all dictionaries: {w:,} ({w / lines:,.0f} per comment)")
print(f"Engine::Classify instructions, without spam.dict: {wo:,} ({wo / lines:,.0f} per comment)")
print(f"spam.dict cost: {100 * (w - wo) / wo:+.1f}% instructions")
EOF
