"""The stored defendant facts (`reports.models.DefendantFact`): kept equal to the live data.

Every save or deletion of a case, defendant, hearing, appearance or post rewrites, in the writer's
own transaction, the stored facts of the cases it can change, so a figure read after a commit sees
that commit. Writes that bypass signals (`bulk_create`, `QuerySet.update`, COPY) must call
`facts_refresh` or `facts_rebuild` themselves.

A deletion rewrites only the cases whose rows are still there: when a case (or a defendant) is
deleted, Django deletes its rows first (they have no signals of their own), so the deletions of its
hearings and appearances that follow in the same cascade do not write them back.
"""

import datetime
import functools
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from agencies.models import Agency, Position
from cases.models import Case, Defendant
from cases.services import hold_defendant_agencies
from hearings.choices import HearingStatus
from hearings.models import Appearance, Hearing
from hearings.obligations import annotate_obligations

from .models import DefendantFact
from .previous import previous

# The stored columns and, for each, its live value on an annotate_obligations defendant row.
LIVE = {
    "defendant": F("id"),
    "case": F("case_id"),
    "agency": F("agency_id"),
    "filed_on": F("case__filed_on"),
    "concluded_on": F("case__concluded_on"),
    "outcome": F("outcome"),
    "sole_defendant": ~Exists(
        Defendant.objects.filter(case_id=OuterRef("case_id")).exclude(pk=OuterRef("pk"))
    ),
    "obligation_date": F("obligation_date"),
    "waived": F("waived"),
    "head_attended": F("head_attended"),
    "principal_attended": F("principal_attended"),
    "spoke": F("spoke"),
}


def _live(defendants: QuerySet[Defendant], *, row_by_row: bool) -> QuerySet:
    """The facts as the live data gives them, one row per defendant (no obligation yet: the date
    NULL and the flags false)."""
    rows = annotate_obligations(defendants, row_by_row=row_by_row)
    return rows.values(**{f"fact_{name}": expression for name, expression in LIVE.items()}).order_by()


def _insert_sql(defendants: QuerySet[Defendant], *, row_by_row: bool) -> tuple[str, list]:
    select = _live(defendants, row_by_row=row_by_row)
    sql, params = select.query.get_compiler(using=select.db).as_sql()
    table = connection.ops.quote_name(DefendantFact._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(DefendantFact._meta.get_field(n).column) for n in LIVE)
    return f"INSERT INTO {table} ({columns}) {sql}", list(params)


def _insert_live(defendants: QuerySet[Defendant], *, row_by_row: bool) -> None:
    sql, params = _insert_sql(defendants, row_by_row=row_by_row)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


_CASE_PLACEHOLDER = -720_509_613  # an id no case has: marks where the case id goes


@functools.cache
def _insert_case_sql(vendor: str) -> tuple[str, tuple, int]:
    """The INSERT of one case's facts, compiled once per process (compiling the obligation
    annotations costs more than running them): the SQL, its parameters and where the case id goes."""
    sql, params = _insert_sql(Defendant.objects.filter(case_id=_CASE_PLACEHOLDER), row_by_row=True)
    if params.count(_CASE_PLACEHOLDER) != 1:
        raise RuntimeError("the case id must appear once among the parameters")
    return sql, tuple(params), params.index(_CASE_PLACEHOLDER)


def _lock(case_ids) -> None:
    """PostgreSQL, read committed: the defendant agencies (shared) and then the cases (exclusive),
    in id order. Two writers refreshing one case take turns, so the second deletes what the first
    inserted instead of colliding with it; a post being changed holds its agency (agencies.services
    locks it), so a refresh waits for that change and reads it, and a change that comes after sees
    this writer's hearings. Elsewhere writes are serialised already."""
    if connection.vendor != "postgresql":
        return
    hold_defendant_agencies(case_ids)
    list(Case.objects.filter(pk__in=case_ids).order_by("pk").select_for_update().values_list("pk"))


def facts_refresh(cases: Iterable[int | None]) -> None:
    """Rewrite the stored facts of `cases` (case ids, or a queryset of them) from the live data, in
    the caller's transaction: one DELETE, then one INSERT per case."""
    case_ids = sorted({case_id for case_id in cases if case_id is not None})
    if not case_ids:
        return
    _lock(case_ids)
    DefendantFact.objects.filter(case_id__in=case_ids).delete()
    sql, params, index = _insert_case_sql(connection.vendor)
    with connection.cursor() as cursor:
        for case_id in case_ids:
            cursor.execute(sql, [*params[:index], case_id, *params[index + 1 :]])


def facts_rebuild() -> int:
    """Rewrite every stored fact (after a bulk load, or to repair); returns the row count."""
    with transaction.atomic():
        DefendantFact.objects.all().delete()
        _insert_live(Defendant.objects.all(), row_by_row=False)
        return DefendantFact.objects.count()


def facts_differences(limit: int = 20) -> list[str]:
    """Where the stored facts differ from the live data (empty: they agree)."""
    names = list(LIVE)
    stored = {
        row[0]: row[1:]
        for row in DefendantFact.objects.values_list(
            *[f"{n}_id" if n in ("defendant", "case", "agency") else n for n in names]
        ).iterator(chunk_size=5000)
    }
    differences = []
    for row in (
        _live(Defendant.objects.all(), row_by_row=False)
        .values_list(*[f"fact_{n}" for n in names])
        .iterator(chunk_size=5000)
    ):
        kept = stored.pop(row[0], None)
        if kept != tuple(row[1:]):
            differences.append(f"defendant {row[0]}: stored {kept}, live {tuple(row[1:])}")
    differences += [f"defendant {pk}: stored {kept}, no such defendant" for pk, kept in stored.items()]
    return differences[:limit]


# ---- keeping them ---------------------------------------------------------------------------------

FAR_FUTURE = datetime.date(9999, 12, 31)


def _refresh(case_ids: Iterable[int | None]) -> None:
    facts_refresh(case_ids)


def _refresh_kept(case_ids: Iterable[int | None]) -> None:
    """After a deletion: the cases that still have their rows (see the module's docstring)."""
    ids = {c for c in case_ids if c is not None}
    if ids:
        kept = DefendantFact.objects.filter(case_id__in=ids).values_list("case_id", flat=True).distinct()
        facts_refresh(list(kept))


def case_saved(sender, instance: Case, created: bool, raw: bool = False, **kwargs) -> None:
    if not raw and not created:
        _refresh({instance.pk})


def hearing_saved(sender, instance: Hearing, raw: bool = False, **kwargs) -> None:
    if not raw:
        _refresh({instance.case_id, previous(instance).get("case_id")})


def hearing_deleted(sender, instance: Hearing, **kwargs) -> None:
    _refresh_kept({instance.case_id})


def appearance_saved(sender, instance: Appearance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    hearing_ids = {instance.hearing_id, previous(instance).get("hearing_id")} - {None}
    _refresh(Hearing.objects.filter(pk__in=hearing_ids).values_list("case_id", flat=True))


def appearance_deleted(sender, instance: Appearance, **kwargs) -> None:
    case_id = Hearing.objects.filter(pk=instance.hearing_id).values_list("case_id", flat=True).first()
    _refresh_kept({case_id})


def defendant_saved(sender, instance: Defendant, raw: bool = False, **kwargs) -> None:
    if not raw:
        _refresh({instance.case_id, previous(instance).get("case_id")})


def defendant_deleted(sender, instance: Defendant, **kwargs) -> None:
    """Its own row went first (cascade); the case's other defendants may now stand alone."""
    _refresh_kept({instance.case_id})


def cases_held_within_posts(ranges) -> QuerySet:
    """The ids of cases with a defendant of the agency and a held hearing within the dates, for
    each (agency id, start, end or None) range: the cases whose obligations those posts decide."""
    q = Q()
    for agency_id, start, end in ranges:
        q |= Q(case__defendants__agency_id=agency_id, date__gte=start, date__lte=end or FAR_FUTURE)
    return Hearing.objects.filter(q, status=HearingStatus.HELD).values_list("case_id", flat=True).distinct()


def _lock_agencies(agency_ids) -> None:
    """Before reading which cases a post reaches: writers of those cases' hearings hold the agency
    shared (see `_lock`), so the read below sees every hearing they commit."""
    list(Agency.objects.filter(pk__in=set(agency_ids)).order_by("pk").select_for_update().values_list("pk"))


def position_saved(sender, instance: Position, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    old = previous(instance)
    ranges = [(instance.agency_id, instance.start_date, instance.end_date)]
    if old.get("start_date"):
        ranges.append((old["agency_id"], old["start_date"], old["end_date"]))
    _lock_agencies(agency_id for agency_id, _start, _end in ranges)
    _refresh(cases_held_within_posts(ranges))


def position_deleted(sender, instance: Position, **kwargs) -> None:
    _lock_agencies([instance.agency_id])
    _refresh(cases_held_within_posts([(instance.agency_id, instance.start_date, instance.end_date)]))


def connect() -> None:
    """Called once from ReportsConfig.ready()."""
    uid = "reports.facts"
    for model, saved, deleted in (
        (Case, case_saved, None),  # its rows go with its defendants (cascade)
        (Hearing, hearing_saved, hearing_deleted),
        (Appearance, appearance_saved, appearance_deleted),
        (Defendant, defendant_saved, defendant_deleted),
        (Position, position_saved, position_deleted),
    ):
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        if deleted is not None:
            post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")


def fill_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: a database that had cases before the stored facts existed gets them once,
    with the schema of every app complete (a data migration would read models older or newer than
    the code)."""
    if DefendantFact.objects.using(using).exists() or not Defendant.objects.using(using).exists():
        return
    facts_rebuild()
