#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (no browser is downloaded by
# the test tools). Installs it when missing and we may.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: installing chromium" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "setup-browser: no Chromium at $browser; install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
