from django.core.management.base import BaseCommand

from networks.minutes.tasks import send_action_reminders


class Command(BaseCommand):
    help = (
        "Queue today's action-item reminders (three days before the due date, and when overdue). "
        "Run once a day from cron or a systemd timer; running it again sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of queueing."
        )

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_action_reminders.call()
            self.stdout.write(f"Sent {sent} reminders.")
        else:
            result = send_action_reminders.enqueue()
            self.stdout.write(f"Queued the reminder task ({result.id}).")
