"""manage.py defendant_facts check|rebuild: the stored defendant facts the figures read."""

import time

from django.core.management.base import BaseCommand, CommandError

from reports.facts import facts_differences, facts_rebuild


class Command(BaseCommand):
    help = (
        "check: compare the stored defendant facts with the live cases, hearings, appearances and "
        "posts (exit status 1 when they differ); rebuild: rewrite them all (after a bulk load)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rebuild"])

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        if action == "rebuild":
            rows = facts_rebuild()
            self.stdout.write(f"{rows:,} defendant facts rewritten in {time.perf_counter() - started:.1f} s")
            return
        differences = facts_differences()
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(
                "the stored defendant facts differ from the live data: run `manage.py defendant_facts "
                "rebuild`, then recompute the rankings of the periods concerned"
            )
        self.stdout.write(
            f"the stored defendant facts agree with the live data ({time.perf_counter() - started:.1f} s)"
        )
