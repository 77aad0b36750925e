from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Site

from portal.demo import credentials_path
from portal.links import base_url

MAIN_ACCOUNTS = {
    "strateg@example.org": "strategist of the Södertörn site: its networks, editor; in NISKI",
    "medlem@example.org": "member of two Södertörn networks and of the Skåne strategic forums",
    "kommun@example.org": "municipal official in Höör, in the Skåne strategic forums",
    "skane@example.org": "strategist of the Skåne site only; in NISKI",
    "admin@example.org": "superuser",
}


class Command(BaseCommand):
    help = "Print the demo accounts and their passwords (made by load_demo)."

    def handle(self, *args, **options):
        path = credentials_path()
        if not path.exists():
            self.stdout.write("No demo accounts yet: run `manage.py load_demo` first.")
            return
        passwords = dict(
            line.split(None, 1) for line in path.read_text(encoding="utf-8").splitlines() if line
        )
        base = base_url()
        self.stdout.write("")
        self.stdout.write(f"Samverkansportalen is starting on {base}")
        self.stdout.write(f"Log in at {base}/accounts/login/ with:")
        for email, who in MAIN_ACCOUNTS.items():
            if email in passwords:
                self.stdout.write(f"  {email:<22} {passwords[email].strip():<16} {who}")
        others = len(set(passwords) - set(MAIN_ACCOUNTS))
        self.stdout.write(f"({others} more demo members and their passwords are in {path}.)")
        self.stdout.write(f"The Wagtail admin is at {base}/admin/ (strateg or admin).")
        self.stdout.write("Each regional site has its own address (*.localhost is this machine):")
        for site in Site.objects.order_by("-is_default_site", "pk"):
            self.stdout.write(f"  {base_url(site)}/  {site.site_name}")
        mail_dir = getattr(settings, "EMAIL_FILE_PATH", None)
        if mail_dir and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"E-mails the portal sends are written to {mail_dir}/.")
        self.stdout.write("")
