#!/usr/bin/env bash
# Installs the system libraries NoxChat's build needs beyond Rust itself:
# libpq (diesel), for the tests' SMTP server OpenSSL, and redis-server, which
# the tests of several instances start privately (and stop, and restart).
# The deployment tests run the real programs of deploy/ without Docker:
# nginx (with the project's configuration, in front of NoxChat), certbot and
# Pebble (Let's Encrypt's test server, for init-letsencrypt.sh), openssl and
# curl (certificates, HTTP/2).
set -euo pipefail

missing=()
pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
for program in nginx certbot pebble pebble-challtestsrv openssl curl; do
  package=$program
  [ "$program" = pebble-challtestsrv ] && package=pebble
  PATH="$PATH:/usr/sbin" command -v "$program" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
# One package may be missed for two programs.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "setup: missing ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
