"""Late data: a fact saved or deleted inside an already computed period makes that period's stored
rankings stale, and a debounced recomputation is enqueued.

Which stored tables a change reaches:
- obligation facts (hearings, appearances, posts, defendants' waiver or agency, deleted cases): every
  period containing the obligation's date (the case's first held hearing, before and after the
  change) and every later period, because `streak_months` of a later period counts back through it;
  a post reaches back to the first obligation of any case with a held hearing inside its dates;
- the agency tree: a new agency reaches every period from its `active_from`; a move, every period
  (scopes follow today's tree); a changed active date, every period from the earlier of its old and
  new values;
- the other facts reach the periods containing their dates: a case's `filed_on` (and the same
  period a year later, whose `cases_filed_prev_year` counts it), `concluded_on` (outcomes), an
  event's date, a dispute's `resolved_on`, a head filing's obligation (the interview list).

Nothing below `reports` imports this module: it is connected in ReportsConfig.ready(). The
receivers compare with the values the row had before the save (reports.previous) and do their
work after commit, so a rolled-back write marks nothing.
Deletions are resolved before the rows go (pre_delete), since afterwards the case is gone.
"""

import datetime
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone

from agencies.models import Agency, Position
from cases.models import Case, Defendant, Dispute
from hearings.choices import HearingStatus
from hearings.models import Appearance, Event, HeadFiling, Hearing

from .facts import cases_held_within_posts
from .models import RankingTable
from .previous import previous

logger = logging.getLogger(__name__)

FAR_PAST = datetime.date(1, 1, 1)


def debounce_seconds() -> int:
    return int(getattr(settings, "RANKINGS_RECOMPUTE_DEBOUNCE", 300))


# ---- what is stale, and the recomputation -------------------------------------------------------


class Reach:
    """Dates whose periods are affected, and the earliest obligation date (later periods too)."""

    def __init__(
        self, dates: Iterable[datetime.date | None] = (), since: Iterable[datetime.date | None] = ()
    ):
        self.dates = {d for d in dates if d is not None}
        since_dates = [d for d in since if d is not None]
        self.since = min(since_dates) if since_dates else None

    def q(self) -> Q | None:
        q = Q()
        for d in sorted(self.dates):
            q |= Q(period_start__lte=d, period_end__gte=d)
        if self.since is not None:
            q |= Q(period_end__gte=self.since)
        return q or None


def mark_stale(reach: Reach) -> list[str]:
    """Mark the stored tables the change reaches as stale and enqueue their periods' recomputation
    (debounced: one recomputation per period however many edits arrive within the delay)."""
    q = reach.q()
    if q is None:
        return []
    tables = RankingTable.objects.filter(q)
    periods = sorted(set(tables.values_list("period", flat=True)))
    if periods:
        tables.update(stale=True, stale_since=timezone.now())
        for period in periods:
            transaction.on_commit(lambda period=period: enqueue_recompute(period))
    return periods


def enqueue_recompute(period: str) -> None:
    from .tasks import rankings_recompute_task, recompute_debounce_key

    delay = debounce_seconds()
    if not cache.add(recompute_debounce_key(period), "1", timeout=2 * delay + 60):
        return  # one is already waiting
    try:
        rankings_recompute_task.apply_async(kwargs={"period": period}, countdown=delay)
    except Exception:
        # The write that triggered this has committed; the stale mark stays and says so.
        cache.delete(recompute_debounce_key(period))
        logger.exception("could not enqueue the recomputation of %s", period)


def _after_commit(resolve: Callable[[], Reach]) -> None:
    """Run `resolve` once the writer's transaction commits, then mark what it reaches."""

    def run() -> None:
        try:
            if not RankingTable.objects.exists():
                return
            mark_stale(resolve())
        except Exception:
            logger.exception("late-data staleness check failed")

    transaction.on_commit(run)


def _now(resolve: Callable[[], Reach]) -> None:
    """For deletions: resolve before the rows go, mark after commit."""
    if not RankingTable.objects.exists():
        return
    reach = resolve()
    _after_commit(lambda: reach)


# ---- lookups ------------------------------------------------------------------------------------


def _first_held(case_ids: Iterable[int]) -> list[datetime.date]:
    ids = [i for i in case_ids if i]
    if not ids:
        return []
    rows = (
        Hearing.objects.filter(case_id__in=ids, status=HearingStatus.HELD)
        .values("case_id")
        .annotate(first=Min("date"))
        .values_list("first", flat=True)
    )
    return list(rows)


def _case_dates(case_ids: Iterable[int], *, filed: bool = True) -> list[datetime.date | None]:
    """The dates a case's defendants count on: concluded_on (outcomes) and, with `filed`, filed_on
    and the same day a year later (cases_filed, cases_filed_prev_year)."""
    dates: list[datetime.date | None] = []
    for filed_on, concluded_on in Case.objects.filter(pk__in=[i for i in case_ids if i]).values_list(
        "filed_on", "concluded_on"
    ):
        dates += [filed_on, _year_later(filed_on), concluded_on] if filed else [concluded_on]
    return dates


def _year_later(date: datetime.date | None) -> datetime.date | None:
    if date is None:
        return None
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


def _hearing_case(hearing_id: int) -> int | None:
    return Hearing.objects.filter(pk=hearing_id).values_list("case_id", flat=True).first()


# ---- receivers ----------------------------------------------------------------------------------


def hearing_saved(sender, instance: Hearing, created: bool, **kwargs) -> None:
    old = previous(instance)
    was_held, is_held = old.get("status") == HearingStatus.HELD, instance.status == HearingStatus.HELD
    if not (was_held or is_held):
        return  # a scheduled, cancelled or postponed hearing counts for nothing
    dates = [old.get("date") if was_held else None, instance.date if is_held else None]
    case_ids = {instance.case_id, old.get("case_id")}
    _after_commit(lambda: Reach(since=[*dates, *_first_held(case_ids)]))


def hearing_deleted(sender, instance: Hearing, **kwargs) -> None:
    if instance.status == HearingStatus.HELD:
        _now(lambda: Reach(since=[instance.date, *_first_held([instance.case_id])]))


def appearance_changed(sender, instance: Appearance, **kwargs) -> None:
    """An appearance (or a head filing) changes the obligation of its case."""
    hearing_id = instance.hearing_id
    resolve = lambda: Reach(since=_first_held([_hearing_case(hearing_id)]))  # noqa: E731
    if kwargs.get("signal") is pre_delete:
        _now(resolve)
    else:
        _after_commit(resolve)


def head_filing_changed(sender, instance: HeadFiling, **kwargs) -> None:
    """A head filing names who answers for a missed obligation in the interview list."""
    hearing_id = instance.hearing_id
    resolve = lambda: Reach(dates=_first_held([_hearing_case(hearing_id)]))  # noqa: E731
    if kwargs.get("signal") is pre_delete:
        _now(resolve)
    else:
        _after_commit(resolve)


def _position_reach(ranges: list[tuple[int, datetime.date, datetime.date | None]]) -> Reach:
    """A post decides who was a head on every day of its dates: the obligations of any case with a
    held hearing of that agency then, and the principal named on a period's last day."""
    starts = [start for _agency, start, _end in ranges]
    cases = cases_held_within_posts(ranges)
    first = Hearing.objects.filter(case_id__in=cases, status=HearingStatus.HELD).aggregate(first=Min("date"))
    return Reach(since=[*starts, first["first"]])


def position_saved(sender, instance: Position, **kwargs) -> None:
    old = previous(instance)
    ranges = [(instance.agency_id, instance.start_date, instance.end_date)]
    if old.get("start_date"):
        ranges.append((old["agency_id"], old["start_date"], old["end_date"]))
    _after_commit(lambda: _position_reach(ranges))


def position_deleted(sender, instance: Position, **kwargs) -> None:
    ranges = [(instance.agency_id, instance.start_date, instance.end_date)]
    _now(lambda: _position_reach(ranges))


def defendant_saved(sender, instance: Defendant, created: bool, **kwargs) -> None:
    old = previous(instance)
    case_id = instance.case_id
    obligation = (
        created
        or old.get("head_waived") != instance.head_waived
        or old.get("agency_id") != instance.agency_id
    )
    if obligation:
        _after_commit(lambda: Reach(dates=_case_dates([case_id]), since=_first_held([case_id])))
    elif old.get("outcome") != instance.outcome:
        _after_commit(lambda: Reach(dates=_case_dates([case_id], filed=False)))


def defendant_deleted(sender, instance: Defendant, **kwargs) -> None:
    case_id = instance.case_id
    _now(lambda: Reach(dates=_case_dates([case_id]), since=_first_held([case_id])))


def case_saved(sender, instance: Case, created: bool, **kwargs) -> None:
    old = previous(instance)
    if created:
        return  # a new case counts once its defendants are saved
    dates: list[datetime.date | None] = []
    if old.get("filed_on") != instance.filed_on:
        for filed_on in (old.get("filed_on"), instance.filed_on):
            dates += [filed_on, _year_later(filed_on)]
    if old.get("concluded_on") != instance.concluded_on:
        dates += [old.get("concluded_on"), instance.concluded_on]
    if dates:
        _after_commit(lambda: Reach(dates=dates))


def case_deleted(sender, instance: Case, **kwargs) -> None:
    case_id = instance.pk
    _now(lambda: Reach(dates=_case_dates([case_id]), since=_first_held([case_id])))


def event_saved(sender, instance: Event, **kwargs) -> None:
    dates = [previous(instance).get("date"), instance.date]
    _after_commit(lambda: Reach(dates=dates))


def event_deleted(sender, instance: Event, **kwargs) -> None:
    date = instance.date
    _now(lambda: Reach(dates=[date]))


def event_agencies_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Event):
        date = instance.date
        _after_commit(lambda: Reach(dates=[date]))


def dispute_saved(sender, instance: Dispute, **kwargs) -> None:
    old = previous(instance)
    dates = [old.get("resolved_on"), instance.resolved_on]
    _after_commit(lambda: Reach(dates=dates))


def dispute_deleted(sender, instance: Dispute, **kwargs) -> None:
    date = instance.resolved_on
    _now(lambda: Reach(dates=[date]))


def dispute_heads_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Dispute):
        date = instance.resolved_on
        _after_commit(lambda: Reach(dates=[date]))


def agency_saved(sender, instance: Agency, created: bool, **kwargs) -> None:
    """Scopes follow today's tree: a new agency, a move or changed active dates change the scopes,
    the members and the active agencies of every period they reach."""
    old = previous(instance)
    if created:
        since = [instance.active_from or FAR_PAST]
    elif old.get("parent_id") != instance.parent_id:
        since = [FAR_PAST]
    else:
        since = []
        if old.get("active_from") != instance.active_from:
            since.append(min(old.get("active_from") or FAR_PAST, instance.active_from or FAR_PAST))
        if old.get("active_until") != instance.active_until:
            since.append(min(d for d in (old.get("active_until"), instance.active_until) if d is not None))
    if since:
        _after_commit(lambda: Reach(since=since))


def agency_deleted(sender, instance: Agency, **kwargs) -> None:
    since = instance.active_from or FAR_PAST
    _now(lambda: Reach(since=[since]))


def connect() -> None:
    """Called once from ReportsConfig.ready()."""
    uid = "reports.late_data"
    pairs = (
        (Agency, agency_saved, agency_deleted),
        (Hearing, hearing_saved, hearing_deleted),
        (Appearance, appearance_changed, appearance_changed),
        (HeadFiling, head_filing_changed, head_filing_changed),
        (Position, position_saved, position_deleted),
        (Defendant, defendant_saved, defendant_deleted),
        (Case, case_saved, case_deleted),
        (Event, event_saved, event_deleted),
        (Dispute, dispute_saved, dispute_deleted),
    )
    for model, saved, deleted in pairs:
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        pre_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    m2m_changed.connect(
        event_agencies_changed, sender=Event.agencies.through, dispatch_uid=f"{uid}.m2m.event"
    )
    m2m_changed.connect(
        dispute_heads_changed, sender=Dispute.heads.through, dispatch_uid=f"{uid}.m2m.dispute"
    )
