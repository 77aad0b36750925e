"""Wagtail's own "approved" and "rejected" e-mails, except for pages that write their own.

Minutes and good practices tell their authors in their own words (and language) when they are
approved or sent back; Wagtail's generic notice on top would be a second, different e-mail
about the same thing. Page classes say so with `sends_own_workflow_emails = True`.

Wagtail connects its notifiers in `wagtail.admin`'s `ready()` under fixed dispatch uids. A
receiver already connected under the same uid and sender makes Django skip that connect, so
`connect()` here (called from the portal app's `ready()`, which runs first) puts a filtering
receiver in the place of each, which hands every other workflow to Wagtail's notifier.
"""

from wagtail.admin.signal_handlers import (
    workflow_approval_email_notifier,
    workflow_rejection_email_notifier,
)
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected


def writes_its_own_mail(workflow_state) -> bool:
    content = workflow_state.content_object
    page_class = getattr(content, "specific_class", None) or type(content)
    return getattr(page_class, "sends_own_workflow_emails", False)


def _unless_written_by_the_page(notifier):
    def receiver(sender, instance, **kwargs):
        if writes_its_own_mail(instance):
            return False
        return notifier(instance=instance, **kwargs)

    return receiver


RECEIVERS = [
    (
        workflow_approved,
        _unless_written_by_the_page(workflow_approval_email_notifier),
        "workflow_state_approved_email_notification",
    ),
    (
        workflow_rejected,
        _unless_written_by_the_page(workflow_rejection_email_notifier),
        "workflow_state_rejected_email_notification",
    ),
]


def connect() -> None:
    for signal, receiver, uid in RECEIVERS:
        signal.connect(receiver, sender=WorkflowState, dispatch_uid=uid, weak=False)
