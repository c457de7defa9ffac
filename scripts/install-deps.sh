#!/usr/bin/env bash
# Installs the Debian packages rumod needs to build, test and benchmark.
# Idempotent: packages already present are skipped. Needs root (or sudo).
# Arguments name extra packages to install along with them.
# Hyperscan: libhyperscan-dev (pkg-config libhs). Vectorscan (libvectorscan-dev)
# provides the same libhs and works too; the two conflict, so we keep whichever
# is installed and install Hyperscan only when neither is.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config
      libicu-dev libre2-dev libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
      hunspell-ru nlohmann-json3-dev libsqlite3-dev python3 python3-venv)
pkgs+=("$@")  # extra packages a caller needs (bench/instructions.sh: valgrind)
if ! dpkg -s libhyperscan-dev >/dev/null 2>&1 && ! dpkg -s libvectorscan-dev >/dev/null 2>&1; then
  pkgs+=(libhyperscan-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "install-deps: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
