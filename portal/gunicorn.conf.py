"""The web process: `gunicorn -c portal/gunicorn.conf.py portal.wsgi` (see README, "Running in
production"). Every value can be changed from the environment."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the pages are short database reads; two per core is gunicorn's own advice.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = "sync"
# Load Django, the URLs and the search word data once, before forking: the workers share those
# pages of memory and answer their first request as fast as the rest.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so that nothing can grow a worker for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Behind the TLS-terminating proxy: trust its X-Forwarded-* from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def pre_fork(server, worker):
    # Objects made before the fork are never collected: the collector would otherwise touch
    # (and so copy into every worker) the pages they share.
    gc.freeze()
