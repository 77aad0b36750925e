"""Thin views: the access rule decides (networks/access.py), services change things."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import access
from portal.exports import spreadsheet_response

from . import selectors, services
from .forms import answer_form, answers_of, sections_of
from .models import QuestionnaireRecipient


def questionnaire_overview(request, page):
    user = request.user
    context = {
        "page": page,
        "today": timezone.localdate(),
        "can_organise": access.can_organise_questionnaire(user, page),
    }
    if access.can_view_questionnaire_summary(user, page):
        with_quotes = access.can_view_questionnaire_answers(user, page)
        context["summary"] = selectors.summary(page, with_quotes=with_quotes)
        context["total"], _counties = selectors.board(page)
    return TemplateResponse(request, "questionnaires/questionnaire_page.html", context)


def _organisers_only(request, page):
    if not access.can_organise_questionnaire(request.user, page):
        return access.refuse(request)
    return None


def questionnaire_board(request, page):
    """Answered and not answered, per municipality and county: for the organisers."""
    if refusal := _organisers_only(request, page):
        return refusal
    total, counties = selectors.board(page)
    context = {"page": page, "total": total, "counties": counties}
    return TemplateResponse(request, "questionnaires/board.html", context)


def questionnaire_export(request, page, fmt):
    if not access.can_view_questionnaire_answers(request.user, page):
        return access.refuse(request)
    header, rows = selectors.answers_table(page)
    return spreadsheet_response(fmt=fmt, filename=page.slug, header=header, rows=rows)


def answer(request, token):
    """The municipality's personal link: anyone holding it may answer, as a draft or sent."""
    recipient = QuestionnaireRecipient.from_token(token)
    if recipient is None or not recipient.questionnaire.live:
        raise Http404
    page = recipient.questionnaire
    current = selectors.answer_of(recipient)
    status = 200
    if request.method == "POST":
        send = request.POST.get("action") != "draft"
        form = answer_form(page, data=request.POST, draft=not send)
        if not page.is_open():
            messages.error(request, _("The questionnaire is closed: no more answers are taken."))
            status = 400
        elif form.is_valid():
            services.response_save(
                recipient=recipient,
                data=answers_of(form),
                send=send,
                name=form.cleaned_data["answered_by_name"],
                email=form.cleaned_data["answered_by_email"],
            )
            messages.success(
                request,
                _("Thank you. Your answer has been sent.")
                if send
                else _("Your draft is saved. It is not sent until you choose “Send the answer”."),
            )
            return redirect(request.path)
        else:
            status = 400
    else:
        initial = {
            **(current.form_data if current else {}),
            "answered_by_name": current.answered_by_name if current else recipient.contact_name,
            "answered_by_email": current.answered_by_email if current else recipient.contact_email,
        }
        form = answer_form(page, initial=initial)
    context = {
        "page": page,
        "recipient": recipient,
        "answer": current,
        "form": form,
        "sections": sections_of(form),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "questionnaires/answer.html", context, status=status)
