"""Make a new regional site in one step (portal.sites.site_create). Running it again for the
same address changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.sites import site_create


class Command(BaseCommand):
    help = (
        "Create a regional site: home page, empty network list, calendar, catalogue and "
        "newsletter archive, its strategists' and moderators' groups, collection and settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the regional body's name, e.g. 'Region Östergötland'")
        parser.add_argument("hostname", help="e.g. ostergotland.localhost")
        parser.add_argument("--port", type=int, default=80)
        languages = [code for code, _name in settings.LANGUAGES]
        parser.add_argument("--language", choices=languages, default="")

    def handle(self, *args, name, hostname, port, language, **options):
        if not hostname.strip() or "/" in hostname or ":" in hostname:
            raise CommandError("Give the host name alone, e.g. ostergotland.localhost")
        site = site_create(
            name=name, hostname=hostname.strip().lower(), port=port, language=language
        )
        self.stdout.write(self.style.SUCCESS(f"{site.site_name}: {site.root_url}/"))
