#!/usr/bin/env bash
# The main job: install what is missing, build, and classify the bundled sample
# comments (examples/comments.jsonl) with the embedded default dictionaries.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/rumod classify examples/comments.jsonl
