from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import member_fragments, member_page_cache, page_cache, versioned, workflow_mail
        from .cache import require_shared_cache

        if settings.PORTAL_REQUIRE_SHARED_CACHE:
            require_shared_cache(settings.CACHES)

        workflow_mail.connect()
        page_cache.connect()
        member_fragments.connect()
        member_page_cache.connect()
        versioned.connect()
