"""manage.py compute_rankings PERIOD [PERIOD ...]: the same service the beat jobs run."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.periods import Period
from reports.services import RankingsBusy, rankings_compute, rankings_compute_many


class Command(BaseCommand):
    help = "Compute and store every issuer's rankings for the given periods (2023-03, 2023-Q1, 2023)."

    def add_arguments(self, parser):
        parser.add_argument("periods", nargs="+", metavar="PERIOD")

    def handle(self, *args, periods, **options):
        parsed = []
        for text in periods:
            try:
                parsed.append(Period.parse(text))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        try:
            if len(parsed) == 1:
                runs = [rankings_compute(period=parsed[0], triggered_by="command")]
            else:  # each year's periods read together: much faster than one by one
                runs = rankings_compute_many(periods=parsed, triggered_by="command")
        except RankingsBusy as exc:
            raise CommandError(f"{exc}: another computation of this period is running; try again") from exc
        for run in runs:
            counts = run.counts
            self.stdout.write(
                f"{run.periods[0]}: {counts.get('tables', 0)} rankings, {counts.get('rows', 0)} rows, "
                f"{counts.get('named', 0)} named, {counts.get('interviews', 0)} to interview "
                f"in {counts.get('seconds', 0):.3f} s (run {run.pk})"
            )
