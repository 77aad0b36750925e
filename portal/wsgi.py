import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()

# The word data for search, read once here: with gunicorn's preload (portal/gunicorn.conf.py) the
# workers are forked after it and share it, and no first search waits for it.
from portal import text  # noqa: E402

text.load()
