#!/usr/bin/env bash
# The whole suite on SQLite, then again on a throwaway PostgreSQL 15 cluster.
# Outside CI a missing PostgreSQL is reported and that pass skipped; with CI=true it fails, and
# tests/conftest.py fails the run on any skipped test (missing Chromium, axe-core, ...).
# Extra arguments go to pytest, e.g. `bash .ci/test.sh tests/portal -k login`;
# TEST_DATABASES="sqlite" (or "postgresql") runs one pass only.
set -uo pipefail
cd "$(dirname "$0")/.."
source .ci/pg.sh

PYTEST=(.venv/bin/python -m pytest -rfEs -q)
# One process by default: measured on 2 cores, `-n 2` was no faster (each worker migrates its own
# database, and Chromium and the live server compete for the same cores). PYTEST_WORKERS=2 to try.
WORKERS=${PYTEST_WORKERS:-0}
((WORKERS > 0)) && PYTEST+=(-n "$WORKERS" --dist loadfile)
IN_CI=false
[[ "${CI:-}" == "true" ]] && IN_CI=true

declare -A RESULT DURATION
say() { printf '\n[test] %s\n' "$*"; }

run_pass() {
    local name=$1 start rc
    shift
    say "pytest on $name"
    start=$SECONDS
    "${PYTEST[@]}" "$@"
    rc=$?
    DURATION[$name]=$((SECONDS - start))
    case $rc in
        0) RESULT[$name]="passed" ;;
        5) RESULT[$name]="FAILED (no tests collected)" ;;
        *) RESULT[$name]="FAILED (pytest exit $rc)" ;;
    esac
}

PASSES=${TEST_DATABASES:-sqlite postgresql}
unset DATABASE_URL
if [[ " $PASSES " == *" sqlite "* ]]; then
    run_pass sqlite "$@"
fi

if [[ " $PASSES " != *" postgresql "* ]]; then
    :
elif pg_available; then
    if pg_start; then
        run_pass postgresql "$@"
        pg_stop
    else
        RESULT[postgresql]="FAILED (could not start the throwaway cluster)"
        DURATION[postgresql]=0
    fi
elif $IN_CI; then
    RESULT[postgresql]="FAILED (PostgreSQL 15 is missing: $PG_BIN)"
    DURATION[postgresql]=0
else
    RESULT[postgresql]="skipped (PostgreSQL 15 is missing: $PG_BIN)"
    DURATION[postgresql]=0
fi

say "summary"
status=0
for name in $PASSES; do
    printf '  %-11s %-50s %4ss\n' "$name" "${RESULT[$name]}" "${DURATION[$name]}"
    [[ ${RESULT[$name]} == passed || ${RESULT[$name]} == skipped* ]] || status=1
done
exit $status
