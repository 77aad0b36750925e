from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from portal.fields import optional_reference


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Who runs this site (one regional body): shown in the header and footer."""

    organisation_name = models.CharField(
        _("organisation running the portal"), max_length=200, default="Samverkansportalen"
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    logo = optional_reference("wagtailimages.Image", _("logo"))
    accessibility_page = optional_reference("wagtailcore.Page", _("accessibility statement"))
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "The language the site opens in for visitors who have not chosen one. "
            "Empty: the visitor's browser decides."
        ),
    )

    # Rights granted per site: networks/access.py asks who is in these (superusers: every site).
    strategists = optional_reference(
        "auth.Group",
        _("strategists"),
        help_text=_("They see every member space of this site and run its networks."),
    )
    moderators = optional_reference(
        "auth.Group",
        _("moderators"),
        help_text=_("They approve the good practices sent in to this site's catalogue."),
    )

    panels: ClassVar = [
        FieldPanel("organisation_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("address"),
        FieldPanel("logo"),
        FieldPanel("accessibility_page"),
        FieldPanel("default_language"),
        FieldPanel("strategists"),
        FieldPanel("moderators"),
    ]

    class Meta:
        verbose_name = _("portal settings")
