#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer job: builds the library and the
# unit tests in build-asan/ and runs the tests that exercise parsers and bad
# input (normalizer, dictionary, regex analysis, engine and its scan
# shortcuts, cases, spam tracker, blacklist,
# policy). Slower than scripts/test.sh; CI runs it after the main suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build="${ASAN_BUILD_DIR:-build-asan}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRUMOD_SANITIZE=ON \
  -DRUMOD_ASSERTIONS=ON -DRUMOD_BUILD_BENCHMARKS=OFF -DRUMOD_INSTALL=OFF >/dev/null
ninja -C "$build" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" \
  -R 'Normalizer|Confusables|Dictionary|Engine|Cases|Spam|Tracker|Blacklist|Policy|RegexInfo|ScanShortcuts' \
  -E 'Concurrent|Process|Kill'
