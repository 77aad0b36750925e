from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from . import signal_handlers  # noqa: F401
