from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodPracticeConfig(AppConfig):
    name = "goodpractice"
    label = "goodpractice"
    verbose_name = _("Good practice")

    def ready(self):
        from . import signal_handlers  # noqa: F401
