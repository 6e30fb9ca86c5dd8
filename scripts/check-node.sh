#!/usr/bin/env bash
# The web app needs Node.js 20.19 or newer (Vite 8).
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "check-node: Node.js 20.19+ and npm are needed to build the web app (https://nodejs.org or your package manager)." >&2
  exit 1
fi
version="$(node -p 'process.versions.node')"
major="${version%%.*}"; rest="${version#*.}"; minor="${rest%%.*}"
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
  echo "check-node: Node.js $version is too old; the web app needs 20.19 or newer." >&2
  exit 1
fi
