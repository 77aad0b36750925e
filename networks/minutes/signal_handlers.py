# Mail is queued in the same transaction as the change (the task queue is a database table), so
# a rolled-back approval queues nothing; no on_commit needed.
from wagtail.signals import page_published, task_submitted

from . import services
from .models import MinutesApprovalTask, MinutesPage


def notify_approvers(sender, instance, user=None, **kwargs):
    if isinstance(instance.task.specific, MinutesApprovalTask):
        services.minutes_notify_approvers(task_state=instance)


def after_publish(sender, instance, **kwargs):
    services.minutes_after_publish(minutes=instance)


def register_signal_handlers():
    task_submitted.connect(notify_approvers, dispatch_uid="minutes_notify_approvers")
    page_published.connect(after_publish, sender=MinutesPage, dispatch_uid="minutes_published")
