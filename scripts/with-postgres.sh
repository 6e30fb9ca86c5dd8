#!/usr/bin/env bash
# Runs a command with a PostgreSQL that answers.
#
# - DATABASE_URL set: used as it is.
# - Otherwise the server on 127.0.0.1:5432, if one answers.
# - Otherwise a project-local cluster under var/postgres (created on first
#   use, started now, left running; `make db-stop` stops it).
#
# Exports DATABASE_URL (the app's database) and NOXCHAT_TEST_DATABASE_URL
# (where tests create their throwaway databases) for the command.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
host="${NOXCHAT_PG_HOST:-127.0.0.1}"
port="${NOXCHAT_PG_PORT:-5432}"
local_port="${NOXCHAT_LOCAL_PG_PORT:-54329}"
cluster="$root/var/postgres"

answers() { # host port
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$1" -p "$2" -t 2
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

pg_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$found" ]; then
    echo "with-postgres: no PostgreSQL answers on $host:$port and no PostgreSQL server is installed." >&2
    echo "with-postgres: install it (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL." >&2
    exit 1
  fi
  echo "$found"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_local_cluster() {
  local bin
  bin="$(pg_bin)"
  mkdir -p "$cluster"
  if [ "$(id -u)" = 0 ]; then chown postgres "$cluster"; fi
  if [ ! -f "$cluster/PG_VERSION" ]; then
    echo "with-postgres: creating a local PostgreSQL cluster in $cluster" >&2
    as_owner "$bin/initdb" -D "$cluster" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >/dev/null
  fi
  if ! answers 127.0.0.1 "$local_port"; then
    echo "with-postgres: starting the local cluster on 127.0.0.1:$local_port" >&2
    as_owner "$bin/pg_ctl" -D "$cluster" -w -l "$cluster/server.log" \
      -o "-p $local_port -k $cluster -c listen_addresses=127.0.0.1" start >/dev/null
  fi
}

if [ -z "${DATABASE_URL:-}" ]; then
  if answers "$host" "$port"; then
    server="postgres://postgres@$host:$port"
  else
    start_local_cluster
    server="postgres://postgres@127.0.0.1:$local_port"
  fi
  export DATABASE_URL="$server/noxchat"
  export NOXCHAT_TEST_DATABASE_URL="${NOXCHAT_TEST_DATABASE_URL:-$server/postgres}"
else
  export NOXCHAT_TEST_DATABASE_URL="${NOXCHAT_TEST_DATABASE_URL:-$DATABASE_URL}"
fi

exec "$@"
