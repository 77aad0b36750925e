#!/usr/bin/env bash
# Benchmarks on SQLite, then on a throwaway PostgreSQL 15 cluster when the server is there.
# Figures go to var/bench/results.txt. Extra arguments name benchmark modules (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/pg.sh

OUT=var/bench/results.txt
# The throughput bench (tests/bench/bench_http.py) loads the portal with Debian's wrk.
if ! command -v wrk >/dev/null; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
# The national scale of issue 20; BENCH_SIZE=small (or tiny) for a quicker look.
export BENCH_SIZE=${BENCH_SIZE:-full}
unset DATABASE_URL
.venv/bin/python -W ignore::UserWarning -m tests.bench --output "$OUT" "$@"
if pg_available; then
    pg_start
    .venv/bin/python -W ignore::UserWarning -m tests.bench --output "$OUT" --append "$@"
    pg_stop
else
    echo "[bench] PostgreSQL 15 is missing ($PG_BIN): the PostgreSQL figures are skipped."
fi
echo "[bench] results: $OUT"
