#!/usr/bin/env bash
# Configures and builds rumod with CMake + Ninja into build/ (Release, with
# assertions kept, tests and benchmarks included). Extra arguments go to the
# CMake configure step. BUILD_DIR overrides the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
jobs="${JOBS:-$(nproc)}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUMOD_ASSERTIONS=ON "$@" >/dev/null
ninja -C "$build" -j "$jobs"
