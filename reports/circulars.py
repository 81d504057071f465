"""Every write of circulars (通报): the draft refresh behind the ranking job, the covering texts,
publication with the issuer's number register, corrections, and the content assembled from the
stored rankings.

- `circulars_refresh(period=...)` runs after `reports.services.rankings_compute` stores a period
  (under the same lock): it creates each issuer's draft for the period or marks it refreshed; a
  published circular is never touched. A draft holds its covering texts only: what it shows is
  read when it is shown (`circular_contents`: the stored rankings and the live missed
  obligations), exactly what publishing it would freeze.
- `circular_publish` freezes the content (assembled again from the stored rankings, which must not be
  stale), takes the next number of the issuer's register for the year (发文字号 after GB/T 9704-2012
  §7.2.5: 聊司通〔2023〕3号 — full year in 〔〕, no leading zero, no 第) and records who and when;
  delivery is enqueued once the transaction commits and never holds publication back.
- `circular_revise` starts a correction: a new draft revision that supersedes the published one.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.choices import AgencyKind
from agencies.models import Agency, path_ids
from hearings.choices import HearingStatus
from hearings.models import AbsenceExplanation, Appearance
from hearings.obligations import annotate_appearance_role
from litigation.dates import local_today

from .circular_models import (
    KIND_OF_PERIOD,
    Circular,
    CircularImmutable,
    CircularKind,
    CircularRegister,
    CircularStatus,
)
from .circular_selectors import can_manage_circular
from .metrics import round_rate
from .models import RankingRow, RankingTable
from .periods import Period, PeriodKind, merged_spans
from .rankings import figure_value, figures_for_api

logger = logging.getLogger(__name__)

SUBJECT = "行政机关负责人出庭应诉情况"
CONTENT_VERSION = 1
TEXT_FIELDS = ("mark", "title", "addressee", "opening", "requirements", "signature")
# Order of the ranking tables in a circular: counties, townships, then departments.
MEMBER_KIND_ORDER = {AgencyKind.GOVERNMENT: 0, AgencyKind.TOWNSHIP: 1, AgencyKind.DEPARTMENT: 2}


class AlreadyPublished(CircularImmutable):
    """Publishing a circular that is published already (HTTP 409)."""

    def __init__(self, circular: Circular):
        self.circular = circular
        when = (
            timezone.localtime(circular.published_at).strftime("%Y-%m-%d %H:%M")
            if circular.published_at
            else ""
        )
        super().__init__(
            _("该通报已于 %(when)s 发布（%(number)s），不能重复发布。")
            % {"when": when, "number": circular.number}
        )


# ---- numbers, titles and default texts ---------------------------------------------------------


def default_prefix(issuer: Agency) -> str:
    """The issuer's 发文机关代字 when none is configured: its first character, 政 for a government
    (else its second character), and 通 for 通报 — 聊城市人民政府 → 聊政通."""
    name = issuer.name.strip() or "通"
    second = "政" if issuer.kind == AgencyKind.GOVERNMENT or len(name) < 2 else name[1]
    return f"{name[0]}{second}通"


def issuer_prefix(issuer: Agency) -> str:
    return (issuer.circular_prefix or "").strip() or default_prefix(issuer)


def format_number(prefix: str, year: int, sequence: int) -> str:
    """发文字号 (GB/T 9704-2012 §7.2.5): the year in full within 〔〕, the sequence with no leading
    zero and no 第, then 号."""
    if sequence < 1:
        raise ValueError("a circular's sequence starts at 1")
    return f"{prefix}〔{year:04d}〕{int(sequence)}号"


def period_phrase(period: Period) -> str:
    """How the title names the period: 2023年3月份, 2023年第一季度, 2023年度."""
    if period.kind == PeriodKind.MONTH:
        return _("%(year)d年%(month)d月份") % {"year": period.year, "month": period.index}
    return period.label()


def default_title(issuer_name: str, period: Period) -> str:
    return _("%(issuer)s关于%(period)s%(subject)s的通报") % {
        "issuer": issuer_name,
        "period": period_phrase(period),
        "subject": SUBJECT,
    }


def issuer_level(issuer: Agency) -> str:
    """市, 县 or 区: the character before 人民政府 in the issuer's name (全市, 市政府各部门)."""
    match = re.search(r"([市县区旗州盟])人民政府$", issuer.name)
    return match[1] if match else ""


def default_addressee(issuer: Agency, member_kinds: Iterable[str]) -> str:
    level = issuer_level(issuer)
    parts = []
    kinds = set(member_kinds)
    if AgencyKind.GOVERNMENT in kinds:
        parts.append(_("各县（市、区）人民政府"))
    if AgencyKind.TOWNSHIP in kinds:
        parts.append(_("各乡镇人民政府、街道办事处"))
    if AgencyKind.DEPARTMENT in kinds:
        parts.append(_("%(level)s政府各部门") % {"level": level} if level else _("政府各部门"))
    return ("，".join(parts) or _("各有关单位")) + "："


def default_opening(issuer: Agency, period: Period) -> str:
    level = issuer_level(issuer)
    return _(
        "为深入贯彻《中华人民共和国行政诉讼法》和《最高人民法院关于行政机关负责人出庭应诉若干问题的规定》，"
        "推动行政机关负责人出庭应诉工作常态化、规范化，落实“告官见官、出庭出声”要求，"
        "现将%(period)s%(scope)s行政机关负责人出庭应诉情况通报如下："
    ) % {"period": period_phrase(period), "scope": _("全%(level)s") % {"level": level} if level else ""}


def default_requirements(period: Period) -> str:
    return "\n".join(
        [
            _(
                "（一）提高思想认识。各单位要充分认识行政机关负责人出庭应诉的重要意义，"
                "严格落实“出庭应诉率100%”和主要负责人出庭全覆盖要求，做到“告官见官、出庭出声”。"
            ),
            _(
                "（二）压实工作责任。被通报批评的单位要认真查找原因，于本通报印发之日起15日内"
                "将整改情况书面报送司法局。"
            ),
            _(
                "（三）强化结果运用。行政机关负责人出庭应诉情况纳入法治政府建设考核，"
                "对工作不力、出庭应诉率持续偏低的单位，将按规定约谈其主要负责人。"
            ),
        ]
    )


def default_texts(issuer: Agency, period: Period, member_kinds: Iterable[str]) -> dict[str, str]:
    return {
        "mark": _("%(issuer)s文件") % {"issuer": issuer.name},
        "title": default_title(issuer.name, period),
        "addressee": default_addressee(issuer, member_kinds),
        "opening": default_opening(issuer, period),
        "requirements": default_requirements(period),
        "signature": issuer.name,
    }


# ---- content from the stored rankings ---------------------------------------------------------


def _missed_by_issuer(wanted: Sequence[tuple[Period, Agency]]) -> dict[tuple[str, int], list[dict]]:
    """Every missed obligation (METRICS.md: not head-attended) of each (period, issuer) in `wanted`,
    with who appeared instead and the absence reason, keyed by (period, issuer id). Three queries
    whatever the number of pairs: the missed obligations of all their days and scopes at once, the
    appearances and the absence explanations of those cases."""
    if not wanted:
        return {}
    from .metrics import missed_facts_within  # the one definition of a missed obligation

    issuers = {a.pk: a for _period, a in wanted}
    # Scopes inside another wanted scope are read with it.
    outer = [
        a
        for a in issuers.values()
        if not any(a.path.startswith(o.path) and o.pk != a.pk for o in issuers.values())
    ]
    facts = missed_facts_within(merged_spans((p.start, p.end) for p, _issuer in wanted), outer)
    periods_of: dict[int, list[Period]] = defaultdict(list)
    for period, issuer in wanted:
        periods_of[issuer.pk].append(period)
    rows = list(
        facts.values(
            "case_id",
            "case__number",
            "case__court__name",
            "agency_id",
            "agency__name",
            "agency__path",
            "obligation_date",
        ).order_by("obligation_date", "case__number", "agency__path")
    )
    if not rows:
        return {}
    missed_cases = Q(hearing__case_id__in=facts.values("case_id"), hearing__status=HearingStatus.HELD)
    wanted_keys = {(r["case_id"], r["agency_id"]) for r in rows}
    appeared: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for a in (
        annotate_appearance_role(Appearance.objects.filter(missed_cases))
        .order_by("hearing__date", "id")
        .values_list("hearing__case_id", "agency_id", "official__name", "person_name", "capacity", "role")
        .iterator(chunk_size=5000)
    ):
        key = (a[0], a[1])
        if key not in wanted_keys:
            continue
        person = {"name": a[2] or a[3], "role": a[5] or "external", "capacity": a[4] or ""}
        if person not in appeared[key]:
            appeared[key].append(person)
    absences: dict[tuple[int, int], dict] = {}
    for case_id, agency_id, reason, filed in (
        AbsenceExplanation.objects.filter(missed_cases)
        .order_by("hearing__date", "id")
        .values_list("hearing__case_id", "agency_id", "reason", "explanation_filed")
        .iterator(chunk_size=5000)
    ):
        absences.setdefault((case_id, agency_id), {"reason": reason, "explanation_filed": filed})
    by_pair: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in rows:
        key = (r["case_id"], r["agency_id"])
        item = {
            "case": r["case_id"],
            "case_number": r["case__number"],
            "court_name": r["case__court__name"],
            "agency": r["agency_id"],
            "agency_name": r["agency__name"],
            "date": r["obligation_date"].isoformat(),
            "appeared": appeared.get(key, []),
            "absence": absences.get(key),
        }
        for ancestor in path_ids(r["agency__path"]):
            for period in periods_of.get(ancestor, ()):
                if period.start <= r["obligation_date"] <= period.end:
                    by_pair[(str(period), ancestor)].append(item)
    return by_pair


def _row_content(row: RankingRow) -> dict:
    return {
        "agency": row.agency_id,
        "agency_name": row.agency.name,
        "rank": row.rank,
        "named": row.named,
        "interview": row.interview,
        "figures": row.figures,
    }


def build_content(
    period: Period,
    issuer: Agency,
    tables: Sequence[RankingTable],
    rows: dict[int, list[RankingRow]],
    missed: list[dict],
) -> dict:
    """The circular's content from the issuer's stored ranking tables (their rows in `rows`) and
    its missed obligations."""
    tables = sorted(tables, key=lambda t: MEMBER_KIND_ORDER.get(t.member_kind, 9))
    named, interviews = [], []
    rankings = []
    for table in tables:
        table_rows = rows.get(table.pk, [])
        rankings.append({"kind": table.member_kind, "rows": [_row_content(r) for r in table_rows]})
        for r in table_rows:
            if r.named:
                named.append(
                    {
                        "agency": r.agency_id,
                        "agency_name": r.agency.name,
                        "kind": table.member_kind,
                        "rank": r.rank,
                        "obligations": r.figures.get("obligations"),
                        "head_attended": r.figures.get("head_attended"),
                        "attendance_rate": r.figures.get("attendance_rate"),
                    }
                )
            if r.interview and period.kind != PeriodKind.MONTH:
                interviews.append({"agency": r.agency_id, "agency_name": r.agency.name, **r.interview_detail})
    computed_at = max((t.computed_at for t in tables), default=None)
    return {
        "version": CONTENT_VERSION,
        "period": str(period),
        "issuer": {"id": issuer.pk, "name": issuer.name},
        "computed_at": computed_at.isoformat() if computed_at else None,
        "stale": any(t.stale for t in tables),
        "summary": tables[0].summary if tables else {},
        "rankings": rankings,
        "named": named,
        "missed": missed,
        "interviews": interviews,
    }


def _stored(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[list[RankingTable], dict]]:
    """The stored tables of each (period, issuer id) and their rows (by table): two queries."""
    pairs = set(pairs)
    if not pairs:
        return {}
    periods, issuer_ids = {p for p, _i in pairs}, {i for _p, i in pairs}
    tables = [
        t
        for t in RankingTable.objects.filter(period__in=periods, issuer_id__in=issuer_ids)
        .select_related("issuer")
        .order_by("period", "issuer_id", "member_kind")
        if (t.period, t.issuer_id) in pairs
    ]
    rows: dict[int, list[RankingRow]] = defaultdict(list)
    if tables:
        for r in (
            RankingRow.objects.filter(table_id__in=[t.pk for t in tables])
            .select_related("agency")
            .only(
                "table_id",
                "agency_id",
                "agency__name",
                "position",
                "rank",
                "named",
                "interview",
                "figures",
                "interview_detail",
            )
            .order_by("table_id", "position")
        ):
            rows[r.table_id].append(r)
    stored: dict[tuple[str, int], tuple[list[RankingTable], dict]] = {}
    for t in tables:
        stored.setdefault((t.period, t.issuer_id), ([], rows))[0].append(t)
    return stored


def _content_for(period: Period, issuer: Agency) -> tuple[dict, list[RankingTable]]:
    """The content publishing freezes: the stored rankings and the live missed obligations."""
    return _contents_for([(period, issuer)])[(str(period), issuer.pk)]


def _contents_for(
    pairs: Sequence[tuple[Period, Agency]],
) -> dict[tuple[str, int], tuple[dict, list[RankingTable]]]:
    """_content_for of several (period, issuer) pairs in five queries."""
    stored = _stored((str(p), a.pk) for p, a in pairs)
    missed = _missed_by_issuer([(p, a) for p, a in pairs if (str(p), a.pk) in stored])
    contents = {}
    for period, issuer in pairs:
        key = (str(period), issuer.pk)
        tables, rows = stored.get(key, ([], {}))
        contents[key] = build_content(period, issuer, tables, rows, missed.get(key, [])), tables
    return contents


def circular_contents(circulars: Iterable[Circular]) -> dict[int, dict]:
    """What each circular shows, by id. A published circular shows the content frozen when it was
    published. A draft stores none: it shows what publishing it now would freeze, read when it is
    shown (the stored rankings of its period and issuer, with their named members and interview
    list, and the missed obligations of the live data). Five queries for any number of drafts."""
    circulars = list(circulars)
    drafts = [c for c in circulars if not c.is_published]
    built = _contents_for([(Period.parse(c.period), c.issuer) for c in drafts])
    contents = {c.pk: c.content or {} for c in circulars}
    for c in drafts:
        contents[c.pk] = built[(c.period, c.issuer_id)][0]
    return contents


def circular_content(c: Circular) -> dict:
    return circular_contents([c])[c.pk]


def _computed_at(tables: Sequence[RankingTable]) -> datetime.datetime | None:
    return max((t.computed_at for t in tables), default=None)


# ---- the ranking job's hook -------------------------------------------------------------------


def circulars_refresh(*, period: Period) -> dict[str, int]:
    """Create each issuer's draft circular for `period` once its rankings are stored, and mark the
    existing drafts as refreshed (their computed_at and updated_at, which the API's validators
    read). A draft stores no content: it shows the stored rankings when it is shown
    (circular_contents), so a computation never copies the rankings into the drafts.

    An issuer whose circular for the period is published and not being corrected gets no new
    draft: the published one stands until an officer starts a correction. A first draft whose
    issuer no longer has any ranking in the period is removed. Idempotent; a constant number of
    queries, whatever the number of issuers."""
    # Drafts are locked first: an officer publishing one meanwhile waits for this transaction, and
    # a draft published just before is no longer a draft here (never written again).
    fields = ("id", "issuer_id", "status", "revision", "kind", "computed_at", "updated_at")
    drafts = list(Circular.objects.drafts().filter(period=str(period)).select_for_update().only(*fields))
    existing: dict[int, list[Circular]] = defaultdict(list)
    for c in [*drafts, *Circular.objects.published().filter(period=str(period)).only(*fields)]:
        existing[c.issuer_id].append(c)
    tables: dict[int, list[RankingTable]] = defaultdict(list)
    for t in RankingTable.objects.filter(period=str(period)).select_related("issuer").order_by("member_kind"):
        tables[t.issuer_id].append(t)

    now = timezone.now()
    kind = KIND_OF_PERIOD[period.kind]
    created = []
    for draft in drafts:  # with or without tables now: what each shows has changed
        draft.computed_at, draft.updated_at, draft.kind = (
            _computed_at(tables.get(draft.issuer_id, [])),
            now,
            kind,
        )
    for issuer_id, issuer_tables in tables.items():
        if not existing[issuer_id]:
            issuer = issuer_tables[0].issuer
            created.append(
                Circular(
                    issuer=issuer,
                    period=str(period),
                    period_start=period.start,
                    period_end=period.end,
                    kind=kind,
                    status=CircularStatus.DRAFT,
                    revision=1,
                    computed_at=_computed_at(issuer_tables),
                    **default_texts(issuer, period, (t.member_kind for t in issuer_tables)),
                )
            )
    # The drafts are locked: none of them can have been published meanwhile.
    Circular.objects.bulk_update(drafts, ["computed_at", "updated_at", "kind"])
    Circular.objects.bulk_create(created)
    orphans = [
        c.pk
        for issuer_id, circulars in existing.items()
        if issuer_id not in tables
        for c in circulars
        if c.status == CircularStatus.DRAFT and c.revision == 1
    ]
    if orphans:
        Circular.objects.filter(pk__in=orphans, status=CircularStatus.DRAFT).delete()
    return {
        "drafts_created": len(created),
        "drafts_refreshed": len(drafts) - len(orphans),
        "drafts_removed": len(orphans),
    }


# ---- officers' actions --------------------------------------------------------------------------


def _check_manager(user, circular: Circular) -> None:
    if user is not None and not can_manage_circular(user, circular):
        raise PermissionDenied(_("只有发文机关的司法局工作人员可以编辑、发布或更正通报。"))


def _locked(circular: Circular | int) -> Circular:
    pk = circular.pk if isinstance(circular, Circular) else circular
    return Circular.objects.select_for_update().select_related("issuer").get(pk=pk)


@transaction.atomic
def circular_update_texts(*, circular: Circular | int, user, **texts: str) -> Circular:
    """Edit a draft's covering texts (标志, 标题, 主送, 开头语, 工作要求, 署名). A published circular
    raises CircularImmutable; unknown fields are a programming error."""
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not a covering text: {', '.join(sorted(unknown))}")
    c = _locked(circular)
    _check_manager(user, c)
    if c.is_published:
        raise CircularImmutable()
    for name, value in texts.items():
        setattr(c, name, (value or "").strip())
    c.edited_by = user if getattr(user, "pk", None) else None
    c.full_clean(
        exclude=["issuer", "supersedes", "content", "edited_by", "published_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    c.save(update_fields=[*texts, "edited_by", "updated_at"])
    return c


def _take_sequence(issuer: Agency, year: int) -> int:
    """The next number of the issuer's register for `year`, under a row lock (concurrency-safe)."""
    CircularRegister.objects.get_or_create(issuer=issuer, year=year)
    register = CircularRegister.objects.select_for_update().get(issuer=issuer, year=year)
    used = (
        Circular.objects.filter(issuer=issuer, year=year, sequence__isnull=False).aggregate(
            m=Max("sequence")
        )["m"]
        or 0
    )
    register.last_number = max(register.last_number, used) + 1
    register.save(update_fields=["last_number"])
    return register.last_number


@transaction.atomic
def circular_publish(*, circular: Circular | int, user, today: datetime.date | None = None) -> Circular:
    """Publish a draft: freeze its content from the stored rankings, take its number, record who
    and when, and enqueue delivery after commit.

    Raises AlreadyPublished (409) for a published circular, ValidationError when the period's
    rankings are missing or being recomputed (the figures would not be the live ones), or when the
    circular it corrects was corrected by another revision meanwhile."""
    c = _locked(circular)
    _check_manager(user, c)
    if c.is_published:
        raise AlreadyPublished(c)
    if (
        c.supersedes_id
        and Circular.objects.filter(supersedes_id=c.supersedes_id, status=CircularStatus.PUBLISHED)
        .exclude(pk=c.pk)
        .exists()
    ):
        raise ValidationError(_("所更正的通报已被其他修订版本更正。"))
    period = Period.parse(c.period)
    content, tables = _content_for(period, c.issuer)
    if not tables:
        raise ValidationError(_("本期尚无该机关的排名数据，不能发布通报。请先计算排名。"))
    if content["stale"]:
        raise ValidationError(
            _(
                "本期数据在排名计算后有变更，排名正在重新计算。为保证通报数据与实际一致，请在重新计算完成后再发布。"
            )
        )
    today = today or local_today()
    sequence = _take_sequence(c.issuer, today.year)
    c.prefix = issuer_prefix(c.issuer)
    c.year, c.sequence = today.year, sequence
    c.number = format_number(c.prefix, today.year, sequence)
    c.content, c.computed_at = content, _computed_at(tables)
    c.status = CircularStatus.PUBLISHED
    c.published_at = timezone.now()
    c.published_by = user if getattr(user, "pk", None) else None
    c.document_date = today
    c.save()

    from .delivery import enqueue_delivery

    transaction.on_commit(lambda pk=c.pk: enqueue_delivery(pk))
    logger.info("circular %s published as %s by %s", c.pk, c.number, user)
    return c


@transaction.atomic
def circular_revise(*, circular: Circular | int, user) -> Circular:
    """Start a correction of a published circular: a new draft revision that supersedes it, with
    its covering texts and the current stored figures. Returns the existing correction draft when
    one was started already."""
    c = _locked(circular)
    _check_manager(user, c)
    if not c.is_published:
        raise ValidationError(_("只能更正已发布的通报；草稿可以直接修改。"))
    correction = Circular.objects.filter(supersedes=c).first()
    if correction is not None:
        if correction.is_published:
            raise ValidationError(
                _("该通报已被 %(number)s 更正，请更正最新版本。") % {"number": correction.number}
            )
        return correction
    if Circular.objects.filter(issuer=c.issuer, period=c.period, status=CircularStatus.DRAFT).exists():
        raise ValidationError(_("本期已有一份草稿，请先发布或删除该草稿。"))
    tables = list(RankingTable.objects.filter(period=c.period, issuer_id=c.issuer_id))
    latest = Circular.objects.filter(issuer=c.issuer, period=c.period).aggregate(m=Max("revision"))["m"] or 0
    draft = Circular(
        issuer=c.issuer,
        period=c.period,
        period_start=c.period_start,
        period_end=c.period_end,
        kind=c.kind,
        status=CircularStatus.DRAFT,
        revision=latest + 1,
        supersedes=c,
        computed_at=_computed_at(tables),
        edited_by=user if getattr(user, "pk", None) else None,
        **{name: getattr(c, name) for name in TEXT_FIELDS},
    )
    draft.full_clean(exclude=["content", "edited_by", "published_by"])
    draft.save()
    return draft


@transaction.atomic
def circular_discard(*, circular: Circular | int, user) -> None:
    """Delete a draft (a correction not wanted after all). A first draft comes back at the next
    ranking computation. A published circular raises CircularImmutable."""
    c = _locked(circular)
    _check_manager(user, c)
    if c.is_published:
        raise CircularImmutable()
    c.delete()


# ---- what clients receive -----------------------------------------------------------------------


def circular_payload(c: Circular, content: dict | None = None) -> dict:
    """A circular as the API and the webhooks give it (API.md `circulars/`): rates rounded half to
    even to 4 places; drafts have no number yet (null). `content`: its circular_contents entry."""
    content = circular_content(c) if content is None else content
    return {
        "id": c.pk,
        "number": c.number or None,
        "title": c.title,
        "period": c.period,
        "kind": c.kind,
        "issuer": c.issuer_id,
        "issuer_name": c.issuer.name,
        "status": c.status,
        "published_at": c.published_at.isoformat() if c.published_at else None,
        "document_date": c.document_date.isoformat() if c.document_date else None,
        "revision": c.revision,
        "supersedes": c.supersedes_id,
        "superseded_by": getattr(c, "superseded_by_id", None),
        "computed_at": content.get("computed_at"),
        "stale": bool(content.get("stale")),
        "addressee": c.addressee,
        "opening": c.opening,
        "requirements": c.requirements,
        "summary": figures_for_api(content.get("summary") or {}),
        "rankings": [
            {
                "kind": table["kind"],
                "rows": [
                    {
                        "agency": r["agency"],
                        "agency_name": r["agency_name"],
                        "rank": r["rank"],
                        "named": r["named"],
                        "interview": r["interview"],
                        **figures_for_api(r["figures"]),
                    }
                    for r in table["rows"]
                ],
            }
            for table in content.get("rankings", [])
        ],
        "missed": content.get("missed", []),
        "named": [
            {**n, "attendance_rate": round_rate(figure_value(n.get("attendance_rate")))}
            for n in content.get("named", [])
        ],
        "interviews": content.get("interviews", []),
    }


__all__ = [
    "AlreadyPublished",
    "CircularImmutable",
    "CircularKind",
    "circular_content",
    "circular_contents",
    "circular_discard",
    "circular_payload",
    "circular_publish",
    "circular_revise",
    "circular_update_texts",
    "circulars_refresh",
    "default_prefix",
    "format_number",
]
