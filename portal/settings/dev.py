"""Local development: the embedded SQLite database, the demo site and the task worker beside it."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-8d1f0c6e4b"  # noqa: F405
# Locally every e-mail is written to a file under var/mail/ instead of being sent, so the
# console stays readable and invitations, confirmations and newsletters can be opened.
EMAIL_BACKEND = os.environ.get(  # noqa: F405
    "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
