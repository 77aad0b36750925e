#!/usr/bin/env bash
# Serve the portal and run the background-task worker beside it (search and reference indexes,
# e-mail, newsletters all go through the task queue). Ctrl+C stops both. `db_worker` is the
# portal's worker (portal/worker/runner.py): it survives database restarts and reports a heartbeat.
set -euo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=.venv/bin/python
$PY manage.py db_worker --interval 1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
$PY manage.py runserver "$HOST:$PORT" --noreload
