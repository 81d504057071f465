"""manage.py sync_schedule [--reset]: write the code's beat schedule into django-celery-beat."""

from django.core.management.base import BaseCommand

from reports.schedule import SCHEDULE, sync_schedule


class Command(BaseCommand):
    help = "Create the missing beat entries of reports.schedule (--reset overwrites edited ones)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="overwrite entries changed in the admin")

    def handle(self, *args, reset=False, **options):
        written = set(sync_schedule(reset=reset))
        for entry in SCHEDULE:
            state = "written" if entry.name in written else "kept"
            self.stdout.write(f"{entry.name}: {state} ({entry.task} {entry.kwargs})")
