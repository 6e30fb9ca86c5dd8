#!/usr/bin/env bash
# Installs what building NoxChat needs beyond Rust itself: libpq for diesel.
set -euo pipefail

if pkg-config --exists libpq 2>/dev/null || [ -e /usr/lib/x86_64-linux-gnu/libpq.so ] || [ -e /usr/lib/aarch64-linux-gnu/libpq.so ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing libpq-dev and pkg-config" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpq-dev pkg-config >/dev/null
else
  echo "setup: libpq is missing; install it (Debian/Ubuntu: sudo apt-get install libpq-dev pkg-config)" >&2
  exit 1
fi
