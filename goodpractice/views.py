from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import exports
from portal.links import absolute_url
from portal.sanitizer import strip_tags
from portal.sites import current_site, site_index

from . import selectors, services
from .forms import SubmissionForm
from .models import PracticeIndexPage, Submission, SubmissionStatus

PER_PAGE = 20
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)


def catalogue_page(request, index: PracticeIndexPage, *, national: bool = False):
    query = selectors.CatalogueQuery.from_params(request.GET)
    catalogue = selectors.catalogue_search(query, catalogue=index, national=national)
    results = catalogue.page(request.GET.get("sida"), PER_PAGE)
    context = index.get_context(request)
    context.update(
        catalogue=catalogue,
        results=results,
        sorts=selectors.SORTS,
        search_query=query.text,
        national=national,
        catalogue_url=index.get_url(request) + ("nationellt/" if national else ""),
        national_url=index.get_url(request) + "nationellt/",
    )
    return TemplateResponse(request, index.get_template(request), context)


def _text(value) -> str:
    """One line of plain text: summaries may hold markup and line breaks."""
    return strip_tags(value).replace("\r", " ").replace("\n", " ").strip()


def catalogue_export(request, index: PracticeIndexPage, fmt: str, *, national: bool = False):
    query = selectors.CatalogueQuery.from_params(request.GET)
    catalogue = selectors.catalogue_search(query, catalogue=index, national=national)
    header = [
        _("Title"),
        _("Address"),
        _("Municipalities and organisations"),
        _("County"),
        _("Themes"),
        _("Year started"),
        _("Still running"),
        _("Summary"),
    ]
    rows = (
        [
            _text(practice.title),
            absolute_url(practice.url or ""),
            _text(", ".join(o.name for o in practice.organisations.all())),
            _text(practice.county.name if practice.county else ""),
            _text(", ".join(t.name for t in practice.themes.all())),
            practice.year or "",
            _("Yes") if practice.still_running else _("No"),
            _text(practice.summary),
        ]
        for practice in catalogue.iter_practices()
    )
    return exports.spreadsheet_response(fmt=fmt, filename="goda-exempel", header=header, rows=rows)


def _index_or_404(request) -> PracticeIndexPage:
    index = site_index(PracticeIndexPage, current_site(request))
    if index is None:
        raise Http404
    return index


def _form_data(form) -> dict:
    return {
        **form.cleaned_data,
        "attachments": form.cleaned_data.get("attachments") or [],
    }


@require_http_methods(["GET", "POST"])
def submit(request):
    """Anyone may send in a practice; logged-in people may also keep it as a draft."""
    index = _index_or_404(request)
    initial = {}
    if request.user.is_authenticated:
        initial = {
            "submitter_name": request.user.get_full_name(),
            "submitter_email": request.user.email,
            "organisations": [request.user.organisation] if request.user.organisation else [],
        }
    form = SubmissionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_spam:
            # Tell a robot nothing useful; nothing is stored.
            return redirect("goodpractice:thanks")
        client = services.client_fingerprint(request)
        since = timezone.now() - RATE_WINDOW
        if Submission.objects.filter(client_hash=client, created_at__gte=since).count() >= (
            RATE_LIMIT
        ):
            form.add_error(None, _("Too many submissions from here just now. Try again later."))
        elif form.is_valid():
            draft = request.POST.get("action") == "draft" and request.user.is_authenticated
            submission = services.submission_save(
                data=_form_data(form),
                user=request.user,
                send=not draft,
                client=client,
                language=translation.get_language(),
                index=index,
            )
            if draft:
                messages.success(request, _("Your draft has been saved."))
            return redirect("goodpractice:status", token=submission.token)
    return render(
        request,
        "goodpractice/submit.html",
        {"form": form, "index": index, "can_save_draft": request.user.is_authenticated},
        status=400 if form.errors else 200,
    )


def thanks(request):
    return render(request, "goodpractice/thanks.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A confirmation link only shows a button: link scanners in mail filters do not press it."""
    submission = get_object_or_404(Submission.objects.select_related("page"), token=token)
    if request.method == "POST" and submission.status == SubmissionStatus.UNCONFIRMED:
        services.submission_confirm(submission=submission)
        messages.success(request, _("Thank you! Your e-mail address is confirmed."))
        return redirect("goodpractice:status", token=token)
    return render(request, "goodpractice/confirm.html", {"submission": submission})


@require_http_methods(["GET", "POST"])
def status(request, token):
    """The submitter's page: where the practice stands, and editing when that is allowed."""
    submission = get_object_or_404(Submission.objects.select_related("page"), token=token)
    page = submission.page.specific
    form = None
    if submission.editable_by_submitter:
        initial = {
            "submitter_name": submission.name,
            "submitter_email": submission.email,
            "links": "\n".join(page.links.values_list("url", flat=True)),
        }
        form = SubmissionForm(
            request.POST or None,
            request.FILES or None,
            instance=page,
            initial=initial,
            submission=submission,
        )
        if request.method == "POST" and not form.is_spam and form.is_valid():
            draft = request.POST.get("action") == "draft" and request.user.is_authenticated
            services.submission_save(
                data=_form_data(form), user=request.user, submission=submission, send=not draft
            )
            messages.success(
                request,
                _("Your draft has been saved.")
                if draft
                else _("Thank you! Your changes are sent."),
            )
            return redirect("goodpractice:status", token=token)
    elif request.method == "POST":
        return redirect("goodpractice:status", token=token)
    return render(
        request,
        "goodpractice/status.html",
        {
            "submission": submission,
            "practice": page,
            "form": form,
            "can_save_draft": request.user.is_authenticated,
        },
        status=400 if form is not None and form.errors else 200,
    )
