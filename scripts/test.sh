#!/usr/bin/env bash
# Every test: install what is missing, build (Release + assertions), run the
# C++ suite with ctest. Tests that read ../shared/data or ../shared/cases skip
# cleanly when that folder is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
