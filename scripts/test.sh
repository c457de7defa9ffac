#!/usr/bin/env bash
# Every test: install what is missing, build (Release + assertions), run the
# C++ suite with ctest, then build the Python package into a venv
# (build/pyvenv, incremental CMake tree in build/py) and run pytest. Tests that read ../shared/data or ../shared/cases skip
# cleanly when that folder is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
# Python bindings (bindings/python): the same `pip install .` users run, with
# build isolation off and a kept build tree so reruns rebuild only what changed.
build="${BUILD_DIR:-build}"
venv="$build/pyvenv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip -q --disable-pip-version-check)
"${pip[@]}" install "scikit-build-core>=0.10" "nanobind>=2.0" "pytest>=7"
CMAKE_BUILD_PARALLEL_LEVEL="${JOBS:-$(nproc)}" "${pip[@]}" install --no-build-isolation \
  -C build-dir="$build/py" .
"$venv/bin/python" -m pytest -q bindings/python/tests
