#!/usr/bin/env bash
# The whole suite on SQLite and on a throwaway PostgreSQL 15 cluster.
# Outside CI a missing PostgreSQL is reported and that pass skipped; with CI=true it fails, and
# tests/conftest.py fails the run on any skipped test (missing Chromium, axe-core, ...).
# Extra arguments go to pytest, e.g. `bash .ci/test.sh tests/portal -k login`;
# TEST_DATABASES="sqlite" (or "postgresql") runs one pass only.
#
# The two passes run side by side (measured on 2 cores: the wall time of the longer pass instead
# of the sum of both, since each pass spends much of its time waiting on Chromium, the live
# server, worker processes and SMTP). Each pass has its own var/ folder (media, logs) and its
# own database; the PostgreSQL pass's output is shown as it runs, the SQLite pass's when it
# ends. TEST_SIDE_BY_SIDE=0 runs them one after the other.
set -uo pipefail
cd "$(dirname "$0")/.."
source .ci/pg.sh

# --durations: the slowest tests of each pass are printed with its result, to see where the time goes.
PYTEST=(.venv/bin/python -m pytest -rfEs -q --durations=25)
# One process per pass: measured on 2 cores, `-n 2` was no faster (each worker migrates its own
# database, and Chromium and the live server compete for the same cores). PYTEST_WORKERS=2 to try.
WORKERS=${PYTEST_WORKERS:-0}
((WORKERS > 0)) && PYTEST+=(-n "$WORKERS" --dist loadfile)
IN_CI=false
[[ "${CI:-}" == "true" ]] && IN_CI=true
RESULTS=var/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

say() { printf '\n[test] %s\n' "$*"; }

# run_pass NAME [pytest args]: runs one pass with var/test-NAME as its var folder and writes
# "result|seconds" to $RESULTS/NAME.
run_pass() {
    local name=$1 start rc result
    shift
    start=$SECONDS
    PORTAL_VAR_DIR="$PWD/var/test-$name" "${PYTEST[@]}" "$@"
    rc=$?
    case $rc in
        0) result="passed" ;;
        5) result="FAILED (no tests collected)" ;;
        *) result="FAILED (pytest exit $rc)" ;;
    esac
    printf '%s|%s\n' "$result" $((SECONDS - start)) >"$RESULTS/$name"
}

record() { printf '%s|0\n' "$2" >"$RESULTS/$1"; }

PASSES=${TEST_DATABASES:-sqlite postgresql}
SIDE_BY_SIDE=${TEST_SIDE_BY_SIDE:-1}
unset DATABASE_URL
sqlite_pid=""
if [[ " $PASSES " == *" sqlite "* ]]; then
    if [[ $SIDE_BY_SIDE == 1 && " $PASSES " == *" postgresql "* ]]; then
        say "pytest on sqlite, beside the postgresql pass (its output follows when it ends)"
        run_pass sqlite "$@" >"$RESULTS/sqlite.log" 2>&1 &
        sqlite_pid=$!
    else
        say "pytest on sqlite"
        run_pass sqlite "$@"
    fi
fi

if [[ " $PASSES " != *" postgresql "* ]]; then
    :
elif pg_available; then
    if pg_start; then
        say "pytest on postgresql"
        run_pass postgresql "$@"
        pg_stop
    else
        record postgresql "FAILED (could not start the throwaway cluster)"
    fi
elif $IN_CI; then
    record postgresql "FAILED (PostgreSQL 15 is missing: $PG_BIN)"
else
    record postgresql "skipped (PostgreSQL 15 is missing: $PG_BIN)"
fi

if [[ -n $sqlite_pid ]]; then
    wait "$sqlite_pid"
    say "pytest on sqlite (ran beside the postgresql pass)"
    cat "$RESULTS/sqlite.log"
fi

say "summary"
status=0
for name in $PASSES; do
    IFS='|' read -r result seconds <"$RESULTS/$name" || result="FAILED (no result)" seconds=0
    printf '  %-11s %-50s %4ss\n' "$name" "$result" "$seconds"
    [[ $result == passed || $result == skipped* ]] || status=1
done
exit $status
