import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from agencies.models import User
from litigation.dates import local_today
from reports.demo import DEMO_PASSWORD, build_demo, demo_is_loaded, demo_logins, recent_periods

SCALES = {"full": 1.0, "small": 0.1}


class Command(BaseCommand):
    help = (
        "Load the demo city (a Liaocheng-like city: agencies, officials, courts, four years of cases, "
        "hearings, events and disputes) into an empty database, then print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) when the database already holds agencies or cases.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same city."
        )
        parser.add_argument(
            "--years", type=int, default=4, help="Years of cases up to this month (default 4)."
        )
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="full",
            help="full: about 2,000 cases over four years; small: a tenth of that (for tests).",
        )
        parser.add_argument(
            "--no-rankings",
            action="store_true",
            help="Skip computing the recent months', quarters' and last year's rankings and draft circulars.",
        )

    def handle(self, *args, **options):
        if demo_is_loaded():
            if not options["if_empty"]:
                raise CommandError(
                    "The database already holds data; seed_demo only fills an empty database "
                    "(run `python manage.py flush` first, or pass --if-empty)."
                )
            self.stdout.write("The database already holds data: demo data not loaded again.")
        else:
            self.stdout.write(f"Loading the demo city (seed {options['seed']}, {options['years']} years) …")
            summary = build_demo(
                seed=options["seed"],
                years=options["years"],
                scale=SCALES[options["scale"]],
                log=self.stdout.write,
            )
            counts = ", ".join(f"{value} {name}" for name, value in summary.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Demo city loaded in {summary.seconds:.1f} s: {counts}."))
            if not options["no_rankings"]:
                self.compute_rankings()
        self.print_logins()

    def compute_rankings(self) -> None:
        """What the beat jobs would have stored by now: the recent periods' rankings and circulars."""
        periods = recent_periods(local_today())
        started = time.monotonic()
        try:
            call_command("compute_rankings", *periods, stdout=io.StringIO())
        except Exception as exc:  # the demo data is in; the portal runs without stored rankings
            self.stderr.write(
                f"Rankings not computed ({exc}); later: python manage.py compute_rankings {' '.join(periods)}"
            )
            return
        self.stdout.write(
            f"Rankings and draft circulars computed for {periods[-1]} … {periods[0]} "
            f"({len(periods)} periods, {time.monotonic() - started:.1f} s)."
        )

    def print_logins(self) -> None:
        # Only accounts that still have the demo password are listed.
        users = {
            u.username
            for u in User.objects.filter(username__in=[row[0] for row in demo_logins()], is_active=True)
            if u.check_password(DEMO_PASSWORD)
        }
        if not users:
            self.stdout.write("No demo logins in this database.")
            return
        rows = [("username", "password", "role", "sees")]
        rows += [(name, DEMO_PASSWORD, role, sees) for name, role, sees in demo_logins() if name in users]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING("Demo logins — DEMO DATA ONLY, never use these accounts in production:")
        )
        for index, row in enumerate(rows):
            cells = [row[i].ljust(widths[i]) for i in range(3)] + [row[3]]
            self.stdout.write("  " + "  ".join(cells))
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 4)
        token = Token.objects.filter(user__username="api_client").values_list("key", flat=True).first()
        if token:
            self.stdout.write(
                f"  API token of api_client: {token}  (Authorization: Token <key>; docs at /api/docs/)"
            )
        self.stdout.write(
            "  Sign in at /accounts/login/ (the UI is in Simplified Chinese; English via the language menu)."
        )
        self.stdout.write("")
