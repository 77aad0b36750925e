"""Background work for minutes: the daily action-item reminders.

django-tasks has no scheduler. Run `manage.py send_action_reminders` once a day (cron or a
systemd timer, see networks/minutes/README.md); it enqueues this task for the worker. Running it
twice, or on two workers at once, sends each reminder once: every reminder is claimed by a row
with a unique constraint before its e-mail is queued.
"""

from django_tasks import task

from . import services


@task()
def send_action_reminders() -> int:
    return services.action_reminders_send()
