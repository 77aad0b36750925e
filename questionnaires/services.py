"""Operations on questionnaires: recipients, the personal links, answers, reminders.

Guarantees:
- One answer per municipality: the answer hangs on the recipient row (one-to-one), so a link
  handed to a colleague edits the same answer, never a second one.
- Each invitation and each reminder is sent once: a run claims the recipient row with a
  conditional UPDATE (`invited_at` / `reminded_at` still empty) and mails only if it won, so
  housekeeping run twice, or on two machines at once, sends nothing twice.
- Only recipients whose answer has not been sent are reminded; a draft is not an answer.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from networks.models import Membership
from portal.links import absolute_url
from portal.mail import mail_queue
from portal.models import Organisation
from portal.organisations import OrganisationKind

from .models import QuestionnairePage, QuestionnaireRecipient, QuestionnaireResponse, Recipients

logger = logging.getLogger(__name__)


def questionnaire_municipalities(*, questionnaire: QuestionnairePage):
    """The municipalities asked, from the organisation register: a network's or a county's
    that are in force (not those a reform merged away), or those chosen."""
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    if questionnaire.recipients_from == Recipients.NETWORK:
        if questionnaire.network_id is None:
            return municipalities.none()
        return municipalities.current().filter(networks=questionnaire.network_id)
    if questionnaire.recipients_from == Recipients.COUNTY:
        return municipalities.current().filter(county=questionnaire.county_id)
    return municipalities.filter(pk__in=[o.pk for o in questionnaire.organisations.all()])


def questionnaire_recipients_sync(*, questionnaire: QuestionnairePage) -> int:
    """Add the municipalities now asked; drop those no longer asked that have not answered.

    A new recipient's contact person is the network member who represents the municipality,
    when the organising network has one; organisers can set or change it in the admin.
    Returns how many were added."""
    wanted = {o.pk: o for o in questionnaire_municipalities(questionnaire=questionnaire)}
    existing = set(questionnaire.recipients.values_list("organisation_id", flat=True))
    questionnaire.recipients.exclude(organisation_id__in=wanted).filter(
        response__isnull=True
    ).delete()
    contacts = {}
    if questionnaire.network_id:
        memberships = (
            Membership.objects.active()
            .filter(network_id=questionnaire.network_id, organisation_id__in=wanted)
            .select_related("user")
            .order_by("start_date", "pk")
        )
        for membership in memberships:
            contacts.setdefault(membership.organisation_id, membership.user)
    new = [
        QuestionnaireRecipient(
            questionnaire=questionnaire,
            organisation=organisation,
            contact_name=contacts[pk].get_full_name() if pk in contacts else "",
            contact_email=contacts[pk].email if pk in contacts else "",
        )
        for pk, organisation in wanted.items()
        if pk not in existing
    ]
    QuestionnaireRecipient.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def answer_url(recipient: QuestionnaireRecipient) -> str:
    return absolute_url(reverse("questionnaires:answer", args=[recipient.token]))


def _claimed(recipient: QuestionnaireRecipient, stamp: str) -> bool:
    """Whether this run won the right to send (the row's `stamp` was still empty)."""
    claim = QuestionnaireRecipient.objects.filter(pk=recipient.pk, **{f"{stamp}__isnull": True})
    return claim.update(**{stamp: timezone.now()}) == 1


def _mail(recipient: QuestionnaireRecipient, template: str) -> None:
    questionnaire = recipient.questionnaire
    mail_queue(
        template=template,
        to=recipient.contact_email,
        # The recipient is a municipality, not an account: its country gives the language.
        language="nb" if recipient.organisation.country == "NO" else None,
        context={
            "title": questionnaire.title,
            "municipality": recipient.organisation.name,
            "contact_name": recipient.contact_name,
            "deadline": questionnaire.deadline,
            "url": answer_url(recipient),
        },
    )


def _send_once(recipients, *, stamp: str, template: str) -> int:
    sent = 0
    for recipient in recipients:
        with transaction.atomic():
            if _claimed(recipient, stamp):
                _mail(recipient, template)
                sent += 1
    return sent


def questionnaire_invite(*, questionnaire: QuestionnairePage) -> int:
    """Send each contact person their municipality's link, once; returns how many were sent."""
    if not questionnaire.live or not questionnaire.is_open():
        return 0
    recipients = questionnaire.recipients.filter(invited_at__isnull=True).exclude(contact_email="")
    return _send_once(
        recipients.select_related("organisation"),
        stamp="invited_at",
        template="questionnaire_invitation",
    )


def questionnaire_reminders_send(*, today=None) -> int:
    """The daily run: one reminder to each municipality that has not sent its answer, from the
    chosen number of days before the deadline until the deadline."""
    today = today or timezone.localdate()
    sent = 0
    for questionnaire in QuestionnairePage.objects.live().filter(
        opens_on__lte=today, deadline__gte=today
    ):
        if (questionnaire.deadline - today).days > questionnaire.remind_days_before:
            continue
        recipients = (
            questionnaire.recipients.filter(reminded_at__isnull=True)
            .exclude(contact_email="")
            .filter(Q(response__isnull=True) | Q(response__submitted_at__isnull=True))
            .select_related("organisation")
        )
        sent += _send_once(recipients, stamp="reminded_at", template="questionnaire_reminder")
    logger.info("Sent %s questionnaire reminders", sent)
    return sent


def questionnaires_invite_open(*, today=None) -> int:
    """The daily run's other half: links for questionnaires that opened since the last run."""
    today = today or timezone.localdate()
    open_ones = QuestionnairePage.objects.live().filter(opens_on__lte=today, deadline__gte=today)
    return sum(questionnaire_invite(questionnaire=q) for q in open_ones)


class QuestionnaireClosed(Exception):
    """The deadline has passed (or the questionnaire has not opened): no answer is taken."""


def response_save(
    *, recipient: QuestionnaireRecipient, data: dict, send: bool, name: str, email: str
) -> QuestionnaireResponse:
    """Save the municipality's one answer, as a draft or sent; whoever sends it is recorded."""
    questionnaire = recipient.questionnaire
    if not questionnaire.is_open():
        raise QuestionnaireClosed
    with transaction.atomic():
        answer, _created = QuestionnaireResponse.objects.select_for_update().get_or_create(
            recipient=recipient, defaults={"page": questionnaire, "form_data": {}}
        )
        answer.form_data = data
        answer.answered_by_name = name
        answer.answered_by_email = email
        if send:
            answer.submitted_at = timezone.now()
        answer.save()
    return answer


# --- personal data -------------------------------------------------------------------------------
# Answers are the municipality's, not the person's: on erasure the answer stays and only who
# answered, and who was the contact, are cleared.


def personal_data_export(*, user) -> dict:
    """Where this person's address stands: as the one who answered, and as a contact person."""
    email = user.email
    answered = QuestionnaireResponse.objects.filter(answered_by_email__iexact=email)
    contacts = QuestionnaireRecipient.objects.filter(contact_email__iexact=email)
    return {
        "questionnaire_answers": [
            {
                "questionnaire": a.recipient.questionnaire.title,
                "municipality": a.recipient.organisation.name,
                "answered_by": a.answered_by_name,
                "sent": a.submitted_at.isoformat() if a.submitted_at else None,
            }
            for a in answered.select_related("recipient__questionnaire", "recipient__organisation")
        ],
        "questionnaire_contact_for": [
            {"questionnaire": r.questionnaire.title, "municipality": r.organisation.name}
            for r in contacts.select_related("questionnaire", "organisation")
        ],
    }


def account_erase(*, user) -> None:
    email = user.email
    QuestionnaireResponse.objects.filter(answered_by_email__iexact=email).update(
        answered_by_name="", answered_by_email=""
    )
    QuestionnaireRecipient.objects.filter(contact_email__iexact=email).update(
        contact_name="", contact_email=""
    )
