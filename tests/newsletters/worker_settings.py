"""Settings for real `db_worker` processes in the fault tests: the database queue, SMTP, short
leases. The database and mail server come from the environment the test gives the process."""

import os

from portal.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["EMAIL_PORT"])
EMAIL_TIMEOUT = 5
NEWSLETTER_LEASE_SECONDS = float(os.environ.get("NEWSLETTER_LEASE_SECONDS", "2"))
NEWSLETTER_RETRY_SECONDS = float(os.environ.get("NEWSLETTER_RETRY_SECONDS", "0.5"))
NEWSLETTER_CHUNK_SIZE = int(os.environ.get("NEWSLETTER_CHUNK_SIZE", "10"))
PORTAL_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("PORTAL_WORKER_HEARTBEAT_SECONDS", "0.5"))
PORTAL_WORKER_RECONNECT_MAX_SECONDS = 1
