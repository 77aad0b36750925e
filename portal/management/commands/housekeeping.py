from django.core.management.base import BaseCommand
from wagtail import hooks


class Command(BaseCommand):
    help = (
        "Daily upkeep: delete personal data kept past its purpose (unconfirmed sign-ups and "
        "submissions, long-expired invitations) and queue the day's reminders. Each app registers "
        "its jobs with the `portal_housekeeping` hook. Run once a day from cron or a systemd "
        "timer; running it again does nothing twice."
    )

    def handle(self, *args, **options):
        failed = []
        for job in hooks.get_hooks("portal_housekeeping"):
            name = f"{job.__module__}.{job.__name__}"
            try:
                self.stdout.write(f"{name}: {job()}")
            except Exception as error:  # one broken job must not stop the others
                failed.append(name)
                self.stderr.write(f"{name} failed: {error!r}")
        if failed:
            raise SystemExit(f"housekeeping: {len(failed)} job(s) failed: {', '.join(failed)}")
