"""The Wagtail admin's screens for annual reports: draft one, and regenerate its figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from networks import access

from . import services
from .forms import GenerateForm, TakeForm
from .models import AnnualReportPage


def generate(request):
    """“Generate draft”: for the strategists of a site."""
    if not access.is_strategist(request.user):
        raise PermissionDenied
    form = GenerateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_generate(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft report was generated."))
            return redirect("wagtailadmin_pages:edit", report.pk)
    return TemplateResponse(
        request,
        "reports/admin/generate.html",
        {"form": form, "header_title": _("Generate an annual report")},
        status=400 if request.method == "POST" else 200,
    )


def regenerate(request, page_id):
    """What changed since the figures were frozen; the editor ticks the sections to take."""
    report = get_object_or_404(AnnualReportPage, pk=page_id)
    changes = services.report_regenerate(report=report, user=request.user)
    form = TakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_take(
            report=report, user=request.user, sections=form.cleaned_data["sections"]
        )
        messages.success(request, _("The chosen figures were taken."))
        return redirect("wagtailadmin_pages:edit", report.pk)
    return TemplateResponse(
        request,
        "reports/admin/regenerate.html",
        {
            "report": report,
            "form": form,
            "changes": changes,
            "header_title": _("Regenerate “%(title)s”") % {"title": report.title},
        },
        status=400 if request.method == "POST" else 200,
    )
