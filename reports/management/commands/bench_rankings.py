"""manage.py bench_rankings --obligations N: how long storing every issuer's rankings takes on a
synthetic province, against how long PostgreSQL takes merely to scan the tables it reads.

Builds (with COPY, streamed through temporary files, so building 1,000,000 obligations takes
about a minute and little memory) a province of about 3,000 agencies — a city, 16 counties with
12 townships each, departments at every level — with officials whose posts change over the years,
N obligations over ten years (2015–2024: co-defendants, art. 7 repeats, required heads, waivers,
cancelled hearings, staff and lawyers, head filings, every outcome), events and disputes. Then
prints the seconds to compute and store the rankings for one month, one year (12 months, 4
quarters and the year) and all ten years; rows stored; queries issued; peak memory; and the floor.

It empties the database it runs on: run it on its own database, e.g.
  createdb litigation_bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/litigation_bench python manage.py bench_rankings
"""

import datetime
import random
import resource
import tempfile
import time
import tracemalloc
from unittest import mock

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from agencies.models import Agency, Court, Official, Position
from cases.models import Case, Defendant, Dispute
from hearings.models import Appearance, Event, HeadFiling, Hearing
from reports import services
from reports.facts import facts_rebuild
from reports.models import ComputationRun, DefendantFact, RankingRow, RankingTable
from reports.periods import Period, PeriodKind
from reports.services import rankings_compute, rankings_compute_many

FIRST_YEAR, YEARS = 2015, 10
START, END = datetime.date(FIRST_YEAR, 1, 1), datetime.date(FIRST_YEAR + YEARS - 1, 12, 31)
COUNTIES, TOWNSHIPS, CITY_DEPTS, COUNTY_DEPTS, TOWNSHIP_DEPTS = 16, 12, 40, 35, 12
LOSSES = ["revoked", "unlawful", "void", "ordered_to_perform", "ordered_to_pay", "modified", "compensation"]
OTHERS = (
    ["claims_dismissed"] * 8
    + ["suit_dismissed"] * 3
    + ["withdrawn"] * 3
    + [
        "withdrawn_after_change",
        "settled",
        "mediated",
        "terminated",
        "transferred",
    ]
)
READ_TABLES = [
    Agency,
    Position,
    Official,
    Case,
    Defendant,
    Dispute,
    Hearing,
    Appearance,
    HeadFiling,
    Event,
    Event.agencies.through,
    DefendantFact,
]


class Copier:
    """Rows for one table, in COPY text format, spooled to a temporary file."""

    def __init__(self, model, columns):
        self.table, self.columns = model._meta.db_table, columns
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.count = 0

    def add(self, *values) -> None:
        self.file.write("\t".join("\\N" if v is None else _text(v) for v in values) + "\n")
        self.count += 1

    def load(self) -> None:
        self.file.seek(0)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor
            with raw.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                while chunk := self.file.read(1 << 20):
                    copy.write(chunk)
        self.file.close()


def _text(value) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


class Slots:
    """An agency's posts of one role: successive terms of `term` days from `first`."""

    def __init__(self, first: datetime.date, term: int, officials: list[int]):
        self.first, self.term, self.officials = first, term, officials

    def at(self, date: datetime.date) -> int:
        return self.officials[min((date - self.first).days // self.term, len(self.officials) - 1)]


class Command(BaseCommand):
    help = "Build a synthetic province in PostgreSQL and time the rankings computation."

    def add_arguments(self, parser):
        parser.add_argument("--obligations", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--skip-build", action="store_true", help="reuse the data already built")
        parser.add_argument("--skip-ten-years", action="store_true")
        parser.add_argument("--yes", action="store_true", help="run even on a database not named *bench*")

    def handle(self, *args, obligations, seed, skip_build, skip_ten_years, yes, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_rankings needs PostgreSQL (DATABASE_URL=postgres://…/litigation_bench)."
            )
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not yes:
            raise CommandError(
                f"bench_rankings empties the database it runs on, and this is “{name}”. Point "
                "DATABASE_URL at a database of its own (e.g. litigation_bench), or pass --yes."
            )
        if not skip_build:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            counts = self.build(obligations, random.Random(seed))
            self.out(
                f"built in {time.perf_counter() - started:.1f} s: "
                + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            )
        else:
            self.out("reusing the data already built")
        self.clear_results()
        self.skip_ten = skip_ten_years
        self.report()

    def out(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # ---- measuring -----------------------------------------------------------------------------

    def report(self) -> None:
        floor = self.floor()
        month = Period(FIRST_YEAR + YEARS - 1, PeriodKind.MONTH, 6)
        year = Period(FIRST_YEAR + YEARS - 1, PeriodKind.YEAR, 1)
        phases = [("one month", [month]), ("one year", _year_periods(year.year))]
        phases.append(
            ("ten years", [p for y in range(FIRST_YEAR, FIRST_YEAR + YEARS) for p in _year_periods(y)])
        )
        results = []
        for label, periods in phases:
            if label == "ten years" and self.skip_ten:
                continue
            results.append((label, *self.run(periods)))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peaks = self.peak_memory(_year_periods(year.year))
        stored = self.stored_bytes(year)
        self.out("")
        self.out(f"floor: SELECT count(*) of the {len(READ_TABLES)} tables read = {floor:.3f} s")
        self.out(
            "rankings: figures read, ranked and stored (the goal); drafts: the draft circulars "
            "refreshed after them (same job, own transaction)"
        )
        self.out(
            f"{'phase':<10} {'periods':>7} {'rankings':>9} {'x floor':>8} {'drafts':>8} {'total':>8}"
            f" {'rows':>9} {'queries':>8}"
        )
        for label, n, seconds, drafts, rows, queries in results:
            rankings = seconds - drafts
            self.out(
                f"{label:<10} {n:>7} {rankings:>9.2f} {rankings / floor:>8.1f} {drafts:>8.2f} {seconds:>8.2f}"
                f" {rows:>9,} {queries:>8,}"
            )
        self.out(
            f"peak memory while computing one year (Python allocations): {peaks['overall']:.1f} MiB;"
            f" the rankings add up to {peaks['rankings']:.1f} MiB to what is held when they start,"
            f" the drafts up to {peaks['drafts']:.1f} MiB; process max RSS {rss:.0f} MiB"
        )
        self.out(
            f"the year's stored ranking rows: figures {stored[0] / 2**20:.1f} MiB, interview lists"
            f" {stored[1] / 2**20:.1f} MiB (PostgreSQL's size of the JSON)"
        )

    def peak_memory(self, periods: list[Period]) -> dict[str, float]:
        """Peak Python allocations: overall, and what the rankings and the draft circulars refreshed
        after them each add to what is held when they start."""
        peaks = {"overall": 0.0, "rankings": 0.0, "drafts": 0.0}
        held = 0
        refresh_drafts = services.circulars_refresh_hook

        def take(part: str) -> None:
            nonlocal held
            current, peak = tracemalloc.get_traced_memory()
            peaks["overall"] = max(peaks["overall"], peak / 2**20)
            peaks[part] = max(peaks[part], (peak - held) / 2**20)
            held = current
            tracemalloc.reset_peak()

        def measured(period):
            take("rankings")
            try:
                return refresh_drafts(period)
            finally:
                take("drafts")

        tracemalloc.start()
        try:
            with mock.patch.object(services, "circulars_refresh_hook", measured):
                self.run(periods)
            take("rankings")
        finally:
            tracemalloc.stop()
        return peaks

    def stored_bytes(self, year: Period) -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(SUM(pg_column_size(r.figures)), 0),"
                f" COALESCE(SUM(pg_column_size(r.interview_detail)), 0)"
                f" FROM {RankingRow._meta.db_table} r JOIN {RankingTable._meta.db_table} t ON t.id = r.table_id"
                f" WHERE t.period_start >= %s AND t.period_end <= %s",
                [year.start, year.end],
            )
            return cursor.fetchone()

    def run(self, periods: list[Period]) -> tuple[int, float, float, int, int]:
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            if len(periods) == 1:
                runs = [rankings_compute(period=periods[0], triggered_by="bench")]
            else:
                runs = rankings_compute_many(periods=periods, triggered_by="bench")
        seconds = time.perf_counter() - started
        rows = sum(run.counts["rows"] for run in runs)
        drafts = sum(run.counts.get("drafts_seconds", 0) for run in runs)
        return len(periods), seconds, drafts, rows, queries

    def floor(self) -> float:
        """Seconds PostgreSQL takes to count every row of the tables the computation reads (the
        second of two passes, so both it and the computation run on a warm cache)."""
        best = None
        for _ in range(2):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for model in READ_TABLES:
                    cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")
                    cursor.fetchone()
            best = time.perf_counter() - started
        return best

    def clear_results(self) -> None:
        RankingRow.objects.all().delete()
        RankingTable.objects.all().delete()
        ComputationRun.objects.all().delete()

    # ---- building ------------------------------------------------------------------------------

    def build(self, target: int, rng: random.Random) -> dict[str, int]:
        tables = [m._meta.db_table for m in READ_TABLES] + [
            Court._meta.db_table,
            Dispute.heads.through._meta.db_table,
            Event.officials.through._meta.db_table,
            RankingRow._meta.db_table,
            RankingTable._meta.db_table,
            ComputationRun._meta.db_table,
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        now = timezone.now()
        agencies = Copier(
            Agency, ["id", "name", "kind", "parent_id", "path", "depth", "circular_prefix", "email"]
        )
        kinds: dict[int, str] = {}
        paths: dict[int, str] = {}

        def agency(name, kind, parent):
            agency_id = len(kinds) + 1
            path = f"{paths[parent] if parent else '/'}{agency_id}/"
            kinds[agency_id], paths[agency_id] = kind, path
            agencies.add(agency_id, name, kind, parent, path, path.count("/") - 2, "", "")
            return agency_id

        city = agency("聊城市人民政府", "government", None)
        weights: list[tuple[int, float]] = []
        for d in range(CITY_DEPTS):
            weights.append((agency(f"市部门{d + 1}", "department", city), 30 / CITY_DEPTS))
        weights.append((city, 2))
        for c in range(COUNTIES):
            county = agency(f"第{c + 1}县人民政府", "government", city)
            weights.append((county, 8 / COUNTIES))
            for d in range(COUNTY_DEPTS):
                weights.append(
                    (agency(f"第{c + 1}县部门{d + 1}", "department", county), 45 / COUNTIES / COUNTY_DEPTS)
                )
            for t in range(TOWNSHIPS):
                town = agency(f"第{c + 1}县第{t + 1}镇", "township", county)
                weights.append((town, 10 / COUNTIES / TOWNSHIPS))
                for d in range(TOWNSHIP_DEPTS):
                    weights.append(
                        (
                            agency(f"第{c + 1}县第{t + 1}镇站所{d + 1}", "department", town),
                            5 / COUNTIES / TOWNSHIPS / TOWNSHIP_DEPTS,
                        )
                    )
        agencies.load()

        courts = Copier(Court, ["id", "name", "level", "code"])
        courts.add(1, "聊城市中级人民法院", "intermediate", "鲁15")
        for c in range(COUNTIES):
            courts.add(c + 2, f"第{c + 1}县人民法院", "basic", f"鲁15{c + 1:02d}")
        courts.load()
        court_codes = {1: "鲁15", **{c + 2: f"鲁15{c + 1:02d}" for c in range(COUNTIES)}}

        officials = Copier(Official, ["id", "name", "phone", "email"])
        positions = Copier(
            Position, ["id", "official_id", "agency_id", "role", "title", "start_date", "end_date"]
        )
        heads: dict[int, dict[str, list[Slots]]] = {}

        def slots(agency_id, role, term, count):
            first = START - datetime.timedelta(days=rng.randrange(term))
            ids = []
            day = first
            while day <= END:
                official_id = officials.count + 1
                officials.add(official_id, f"官员{official_id}", "", "")
                last = day + datetime.timedelta(days=term - 1)
                positions.add(
                    positions.count + 1, official_id, agency_id, role, role, day, None if last > END else last
                )
                ids.append(official_id)
                day = last + datetime.timedelta(days=1)
            return Slots(first, term, ids)

        for agency_id in kinds:
            heads[agency_id] = {
                "principal": [slots(agency_id, "principal", 1095 + rng.randrange(400), 1)],
                "deputy": [slots(agency_id, "deputy", 1825, 1), slots(agency_id, "deputy", 1500, 1)],
                "other_head": [slots(agency_id, "other_head", 4000, 1)],
            }
            slots(agency_id, "staff", 4000, 1)
        officials.load()
        positions.load()

        cases = Copier(
            Case,
            ["id", "number", "year", "court_code", "case_type", "sequence", "stage", "court_id", "filed_on",
             "plaintiff_name", "plaintiff_kind", "cause", "compensation_claimed", "challenged_act",
             "concluded_on", "version", "created_at", "updated_at"],
        )  # fmt: skip
        defendants = Copier(Defendant, ["id", "case_id", "agency_id", "capacity", "outcome", "head_waived"])
        hearings = Copier(
            Hearing,
            [
                "id",
                "case_id",
                "date",
                "courtroom",
                "status",
                "head_required",
                "notes",
                "version",
                "created_at",
                "updated_at",
            ],
        )
        appearances = Copier(
            Appearance, ["id", "hearing_id", "agency_id", "official_id", "person_name", "capacity", "spoke"]
        )
        filings = Copier(HeadFiling, ["id", "hearing_id", "agency_id", "official_id", "filed_at"])
        agency_ids, agency_weights = zip(*weights, strict=True)
        sequences: dict[tuple[int, int], int] = {}
        span = (END - START).days - 120
        made = 0

        def head_at(agency_id, date):
            r = rng.random()
            role = "principal" if r < 0.35 else "deputy" if r < 0.85 else "other_head"
            return rng.choice(heads[agency_id][role]).at(date)

        def appear(hearing_id, agency_id, date, head):
            if head:
                official = head_at(agency_id, date)
                appearances.add(
                    appearances.count + 1, hearing_id, agency_id, official, "", "", rng.random() < 0.85
                )
            if not head or rng.random() < 0.4:
                capacity = rng.choice(("staff", "lawyer"))
                appearances.add(
                    appearances.count + 1,
                    hearing_id,
                    agency_id,
                    None,
                    f"{capacity}{hearing_id}",
                    capacity,
                    False,
                )

        while made < target:
            case_id = cases.count + 1
            filed = START + datetime.timedelta(days=rng.randrange(span))
            court = 1 if rng.random() < 0.1 else rng.randrange(2, COUNTIES + 2)
            seq = sequences[filed.year, court] = sequences.get((filed.year, court), 0) + 1
            sued = list(
                dict.fromkeys(rng.choices(agency_ids, agency_weights, k=1 if rng.random() < 0.85 else 2))
            )
            first = filed + datetime.timedelta(days=rng.randrange(20, 90))
            held_dates = []
            if rng.random() < 0.05:  # cancelled first; half the time never held
                hearings.add(hearings.count + 1, case_id, first, "", "cancelled", False, "", 1, now, now)
                first += datetime.timedelta(days=rng.randrange(14, 40))
                if rng.random() < 0.5:
                    first = None
            if first is not None:
                held_dates.append(first)
                if rng.random() < 0.2:
                    held_dates.append(first + datetime.timedelta(days=rng.randrange(15, 60)))
            concluded = outcome_of = None
            if held_dates and rng.random() < 0.85:
                concluded = held_dates[-1] + datetime.timedelta(days=rng.randrange(20, 120))
            cases.add(
                case_id, f"（{filed.year}）{court_codes[court]}行初{seq}号", filed.year, court_codes[court], "行初", seq,
                "first", court, filed, f"原告{case_id}", "person", "行政处罚", False, "", concluded, 1, now, now,
            )  # fmt: skip
            waived = len(sued) > 1 and rng.random() < 0.1
            for i, agency_id in enumerate(sued):
                if concluded:
                    outcome_of = rng.choice(LOSSES) if rng.random() < 0.12 else rng.choice(OTHERS)
                defendants.add(
                    defendants.count + 1,
                    case_id,
                    agency_id,
                    "acted",
                    outcome_of if concluded else None,
                    waived and i == 1,
                )
            for n, date in enumerate(held_dates):
                required = n > 0 and rng.random() < 0.25
                hearing_id = hearings.count + 1
                hearings.add(hearing_id, case_id, date, "", "held", required, "", 1, now, now)
                for agency_id in sued:
                    head = rng.random() < (0.85 if n == 0 else 0.6 if required else 0.3)
                    if n == 0 and rng.random() < 0.3:
                        filings.add(filings.count + 1, hearing_id, agency_id, head_at(agency_id, date), now)
                    appear(hearing_id, agency_id, date, head)
            if held_dates:
                made += len(sued) - (1 if waived else 0)

        disputes = Copier(
            Dispute,
            ["id", "agency_id", "received_on", "resolved_on", "status", "head_participated", "summary"],
        )
        for dispute_id in range(1, target // 8 + 1):
            received = START + datetime.timedelta(days=rng.randrange(span))
            resolved = rng.random() < 0.7
            disputes.add(
                dispute_id, rng.choices(agency_ids, agency_weights)[0], received,
                received + datetime.timedelta(days=rng.randrange(5, 90)) if resolved else None,
                "resolved" if resolved else rng.choice(("open", "litigated")), rng.random() < 0.6, "",
            )  # fmt: skip
        events = Copier(Event, ["id", "kind", "date", "title", "location"])
        participants = Copier(Event.agencies.through, ["id", "event_id", "agency_id"])
        all_ids = list(kinds)
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            for month in range(1, 13):
                for kind in ("training", "trial_observation"):
                    event_id = events.count + 1
                    events.add(
                        event_id,
                        kind,
                        datetime.date(year, month, rng.randrange(1, 28)),
                        f"{kind}{event_id}",
                        "",
                    )
                    for agency_id in rng.sample(all_ids, len(all_ids) // rng.randrange(4, 12)):
                        participants.add(participants.count + 1, event_id, agency_id)
        counts = {}
        for copier in (cases, defendants, hearings, appearances, filings, disputes, events, participants):
            counts[copier.table] = copier.count
            copier.load()
        counts = {"agencies": len(kinds), "positions": positions.count, "obligations": made, **counts}
        with connection.cursor() as cursor:
            models = [*READ_TABLES, Court]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        started = time.perf_counter()
        stored = facts_rebuild()
        self.out(f"stored defendant facts rebuilt: {stored:,} rows in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return counts


def _year_periods(year: int) -> list[Period]:
    months = [Period(year, PeriodKind.MONTH, m) for m in range(1, 13)]
    quarters = [Period(year, PeriodKind.QUARTER, q) for q in range(1, 5)]
    return [*months, *quarters, Period(year, PeriodKind.YEAR, 1)]
