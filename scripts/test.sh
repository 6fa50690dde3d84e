#!/usr/bin/env bash
# Set up (.venv, test tools, Chromium, PostgreSQL) and run the whole test suite.
# A throwaway PostgreSQL cluster is started on 127.0.0.1 for the store and API tests and
# stopped afterwards. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
    runas "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
runas() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap cleanup EXIT

if [ -n "$pg_bin" ] && [ -z "${EVENTWIRE_TEST_PG_URL:-}" ]; then
  pg_dir=$(mktemp -d /tmp/eventwire-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  port=$(( 54000 + RANDOM % 900 ))
  runas "$pg_bin/initdb" -D "$pg_dir/data" -U eventwire --auth=trust >/dev/null
  runas "$pg_bin/pg_ctl" -D "$pg_dir/data" -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1" \
    -l "$pg_dir/log" -w start >/dev/null
  runas "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U eventwire eventwire_test
  export EVENTWIRE_TEST_PG_URL="postgresql+psycopg://eventwire@127.0.0.1:$port/eventwire_test"
fi

.venv/bin/python -m pytest "$@"
