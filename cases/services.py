"""Every write to cases, their defendants and disputes. A case is saved whole or not at all."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from agencies.models import Agency, Court, Official
from litigation.versioning import claim_version

from .case_numbers import parse_case_number
from .choices import DefendantCapacity, Outcome
from .models import Case, Defendant, Dispute, Domain


@dataclass
class DefendantInput:
    agency: Agency
    outcome: str | None = None
    head_waived: bool = False
    capacity: str = DefendantCapacity.ACTED


CASE_FIELDS = (
    "number",
    "court",
    "filed_on",
    "plaintiff_name",
    "plaintiff_kind",
    "cause",
    "domain",
    "compensation_claimed",
    "challenged_act",
    "previous_case",
    "concluded_on",
)


def _as_input(item) -> DefendantInput:
    return item if isinstance(item, DefendantInput) else DefendantInput(**item)


def _validate_defendants(case: Case, defendants: list[DefendantInput]) -> None:
    if not defendants:
        raise ValidationError({"defendants": [_("至少须有一个被告机关。")]})
    seen: set[int] = set()
    messages = []
    for index, item in enumerate(defendants, start=1):
        if item.agency.pk in seen:
            messages.append(_("第%(n)d个被告“%(agency)s”重复。") % {"n": index, "agency": item.agency})
        seen.add(item.agency.pk)
        if item.outcome not in (None, "") and item.outcome not in Outcome.values:
            messages.append(
                _("第%(n)d个被告的裁判结果“%(value)s”无效。") % {"n": index, "value": item.outcome}
            )
        if item.capacity not in DefendantCapacity.values:
            messages.append(_("第%(n)d个被告的被告身份无效。") % {"n": index})
        if item.outcome and not case.concluded_on:
            messages.append(_("第%(n)d个被告已填写裁判结果，须同时填写结案日期。") % {"n": index})
    if messages:
        raise ValidationError({"defendants": messages})


def _validate_case(case: Case) -> None:
    errors: dict[str, list[str]] = {}
    try:
        case.full_clean(exclude=["year", "court_code", "case_type", "sequence", "stage", "version"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if "number" not in errors and case.court_id:
        parsed = parse_case_number(case.number)
        court = Court.objects.only("code", "name").get(pk=case.court_id)
        if court.code and court.code != parsed.court_code:
            errors.setdefault("number", []).append(
                _("案号中的法院代字“%(code)s”与所选法院“%(court)s”（%(expected)s）不符。")
                % {"code": parsed.court_code, "court": court.name, "expected": court.code}
            )
    if case.filed_on and case.filed_on.year > 0 and "number" not in errors:
        parsed = parse_case_number(case.number)
        if case.filed_on.year < parsed.year:
            errors.setdefault("filed_on", []).append(
                _("立案日期早于案号年份 %(year)d 年。") % {"year": parsed.year}
            )
    if errors:
        raise ValidationError(errors)


def _replace_defendants(case: Case, defendants: list[DefendantInput]) -> None:
    existing = {d.agency_id: d for d in case.defendants.all()}
    wanted = {item.agency.pk: item for item in defendants}
    for agency_id, row in existing.items():
        if agency_id not in wanted:
            row.delete()
    for agency_id, item in wanted.items():
        row = existing.get(agency_id) or Defendant(case=case, agency=item.agency)
        changed = (
            row.pk is None
            or row.outcome != (item.outcome or None)
            or row.head_waived != item.head_waived
            or row.capacity != item.capacity
        )
        row.outcome = item.outcome or None
        row.head_waived = item.head_waived
        row.capacity = item.capacity
        if changed:
            row.full_clean(exclude=["case"])
            row.save()


@transaction.atomic
def case_create(
    *,
    number: str,
    court: Court,
    filed_on: datetime.date,
    plaintiff_name: str,
    plaintiff_kind: str,
    cause: str,
    defendants: Iterable,
    domain: Domain | None = None,
    compensation_claimed: bool = False,
    challenged_act: str = "",
    previous_case: Case | None = None,
    concluded_on: datetime.date | None = None,
) -> Case:
    """Create a case with its defendants; the 案号 is normalised and gives year, type and stage."""
    case = Case(
        number=number,
        court=court,
        filed_on=filed_on,
        plaintiff_name=plaintiff_name,
        plaintiff_kind=plaintiff_kind,
        cause=cause,
        domain=domain,
        compensation_claimed=compensation_claimed,
        challenged_act=challenged_act,
        previous_case=previous_case,
        concluded_on=concluded_on,
    )
    items = [_as_input(d) for d in defendants]
    _validate_case(case)
    _validate_defendants(case, items)
    case.save()
    _replace_defendants(case, items)
    return case


def hold_defendant_agencies(case_ids: Iterable[int], also: Iterable[int] = ()) -> None:
    """PostgreSQL: lock the defendant agencies of `case_ids` (and the agencies `also`), shared and in
    id order, in one statement. Every writer takes them before its case rows: the stored facts of a
    case are rewritten under that order (reports.facts), and a post change holds its agency before
    the cases it covers, so that no two writers wait for each other for ever."""
    if connection.vendor != "postgresql":
        return
    agency, defendant = Agency._meta.db_table, Defendant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {agency} WHERE id IN (SELECT agency_id FROM {defendant} WHERE case_id = ANY(%s))"
            " OR id = ANY(%s) ORDER BY id FOR SHARE",
            [list(case_ids), list(also)],
        )


@transaction.atomic
def case_update(*, case: Case, version: int | None, defendants: Iterable | None = None, **fields) -> Case:
    """Change a case (and, when given, its whole defendant list); a stale `version` changes nothing."""
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError({"detail": [_("不可修改的字段：%s") % ", ".join(sorted(unknown))]})
    if defendants is not None:
        defendants = [_as_input(d) for d in defendants]
    hold_defendant_agencies(
        [case.pk], [d.agency.pk for d in defendants or () if getattr(d.agency, "pk", None)]
    )
    claim_version(case, version)
    for name, value in fields.items():
        setattr(case, name, value)
    _validate_case(case)
    items = (
        [_as_input(d) for d in defendants]
        if defendants is not None
        else [
            DefendantInput(agency=d.agency, outcome=d.outcome, head_waived=d.head_waived, capacity=d.capacity)
            for d in case.defendants.select_related("agency")
        ]
    )
    _validate_defendants(case, items)
    case.save()
    if defendants is not None:
        _replace_defendants(case, items)
    return case


@transaction.atomic
def case_delete(*, case: Case) -> None:
    hold_defendant_agencies([case.pk])
    case.delete()


DISPUTE_FIELDS = ("agency", "received_on", "resolved_on", "status", "head_participated", "case", "summary")


@transaction.atomic
def dispute_create(*, heads: Iterable[Official] = (), **fields) -> Dispute:
    dispute = Dispute(**{k: v for k, v in fields.items() if k in DISPUTE_FIELDS})
    dispute.full_clean()
    dispute.save()
    if heads:
        dispute.heads.set(heads)
    return dispute


@transaction.atomic
def dispute_update(*, dispute: Dispute, heads: Iterable[Official] | None = None, **fields) -> Dispute:
    for name, value in fields.items():
        if name in DISPUTE_FIELDS:
            setattr(dispute, name, value)
    dispute.full_clean()
    dispute.save()
    if heads is not None:
        dispute.heads.set(heads)
    return dispute
