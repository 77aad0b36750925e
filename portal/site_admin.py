"""The admin's "New regional site": one form, one step (portal.sites.site_create)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from .sites import site_create


class SiteCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the regional body"), max_length=200)
    hostname = forms.CharField(
        label=gettext_lazy("Host name"),
        max_length=255,
        help_text=gettext_lazy("For example ostergotland.example.se, without http:// or a path."),
        validators=[
            RegexValidator(
                r"(?i)^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
                gettext_lazy("Letters a–z, digits, hyphens and dots only."),
            )
        ],
    )
    port = forms.IntegerField(label=gettext_lazy("Port"), initial=443, min_value=1, max_value=65535)
    language = forms.ChoiceField(
        label=gettext_lazy("default language"),
        choices=[("", gettext_lazy("The visitor's browser decides")), *settings.LANGUAGES],
        required=False,
    )

    def clean_hostname(self):
        return self.cleaned_data["hostname"].strip().lower()

    def clean(self):
        data = super().clean()
        if Site.objects.filter(hostname=data.get("hostname"), port=data.get("port")).exists():
            self.add_error("hostname", _("There is already a site at this address."))
        return data


def site_new(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = SiteCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = site_create(**form.cleaned_data)
        messages.success(
            request,
            _("The site %(name)s is ready at %(url)s. Add its strategists to the group %(group)s.")
            % {
                "name": site.site_name,
                "url": site.root_url,
                "group": site.portalsettings.strategists,
            },
        )
        return redirect("wagtailsites:index")
    return TemplateResponse(
        request,
        "portal/admin/site_new.html",
        {"form": form, "header_title": _("New regional site")},
        status=400 if form.errors else 200,
    )
