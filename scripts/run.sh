#!/usr/bin/env bash
# Serve Luodi: gunicorn in the foreground and the background-job worker beside it (documents
# such as a class's certificates are prepared there). When gunicorn stops, so does the worker.
set -uo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}

"$BIN/python" manage.py db_worker --no-reload --interval 1 -v 1 &
worker=$!
stop_worker() {
	kill -TERM "$worker" 2>/dev/null && wait "$worker" 2>/dev/null
}
trap stop_worker EXIT

"$BIN/gunicorn" luodi.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
	--access-logfile - --log-level warning
