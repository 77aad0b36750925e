from django.core.management.base import BaseCommand

from portal.demo import credentials_path


class Command(BaseCommand):
    help = "Print the demo accounts and their passwords (made by load_demo)."

    def handle(self, *args, **options):
        path = credentials_path()
        if not path.exists():
            self.stdout.write("No demo accounts yet: run `manage.py load_demo` first.")
            return
        self.stdout.write("")
        self.stdout.write("Samverkansportalen is starting on http://127.0.0.1:8000")
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ with one of these:")
        self.stdout.write(path.read_text(encoding="utf-8"))
        self.stdout.write(
            "The Wagtail admin is at http://127.0.0.1:8000/admin/ (strateg or admin)."
        )
        self.stdout.write("")
