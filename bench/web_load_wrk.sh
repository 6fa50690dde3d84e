#!/usr/bin/env bash
# Load of the main read endpoints with wrk (Debian package `wrk`), a C load generator, so that
# the client costs little of the 2 cores. Start the server first, e.g.
#   .venv/bin/eventwire serve --db /tmp/ew3000.db --port 8765
# then: bench/web_load_wrk.sh [BASE_URL] [SECONDS] [CONNECTIONS]
set -euo pipefail
base=${1:-http://127.0.0.1:8765}
seconds=${2:-12}
connections=${3:-20}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
case "$base" in http://127.0.0.1*|http://localhost*|http://\[::1\]*) ;; *)
  echo "only a server on this machine (127.0.0.1, localhost, [::1]) is a target" >&2; exit 1;; esac
dyad=$(curl -sf "$base/api/dyads?limit=2" | python3 -c 'import json,sys; d=json.load(sys.stdin)["items"][-1]; print(d["source"]+"/"+d["target"])')
declare -A endpoints=(
  ["events list"]="/api/events?limit=50&offset=100"
  ["events filtered"]="/api/events?actor=RUS&type=ACCUSE&since=2015-01-01&limit=50"
  ["articles list"]="/api/articles?limit=50&offset=100"
  ["dyad series"]="/api/dyads/$dyad"
  ["actors list"]="/api/actors?limit=50&offset=50"
)
printf '%-16s %10s %9s %9s %9s %8s\n' endpoint requests req/s p50_ms p99_ms errors
for name in "events list" "events filtered" "articles list" "dyad series" "actors list"; do
  url="$base${endpoints[$name]}"
  curl -sf -o /dev/null "$url"  # warm up
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '%-16s %10s %9s %9s %9s %8s\n' "$name" "$requests" "$rate" "$p50" "$p99" "${errors:-0}"
done
