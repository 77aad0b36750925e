from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "networks.minutes"
    label = "minutes"
    verbose_name = _("Minutes")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
