"""Build the demo site from the seed documents. Running it again changes nothing."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import DemoContext


class Command(BaseCommand):
    help = "Load the demo content (organisations, pages, networks, events, minutes, practices...)."

    def handle(self, *args, **options):
        context = DemoContext(stdout=self.stdout)
        with transaction.atomic():
            # Each project app may have a `demo` module with `load(context)`, run in app order.
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.path.startswith(str(context.base_dir)) and find_spec(module_name):
                    import_module(module_name).load(context)
        context.write_credentials()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
