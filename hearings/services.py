"""Every write to hearings, appearances, absence explanations, head filings and events."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency, Official, Position
from cases.models import Case
from litigation.dates import local_today
from litigation.versioning import claim_version

from .choices import ExternalCapacity, HearingStatus
from .models import AbsenceExplanation, Appearance, Event, HeadFiling, Hearing

HEARING_FIELDS = ("date", "time", "courtroom", "status", "head_required", "notes")


def _validate_hearing(hearing: Hearing) -> None:
    errors: dict[str, list[str]] = {}
    try:
        hearing.full_clean(exclude=["version", "case"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if hearing.date and hearing.status == HearingStatus.HELD and hearing.date > local_today():
        errors.setdefault("status", []).append(
            _("开庭日期 %(date)s 尚未到来，不能标记为已开庭。") % {"date": hearing.date.isoformat()}
        )
    if hearing.date and hearing.case_id:
        filed_on = Case.objects.values_list("filed_on", flat=True).get(pk=hearing.case_id)
        if hearing.date < filed_on:
            errors.setdefault("date", []).append(
                _("开庭日期不能早于立案日期 %(filed)s。") % {"filed": filed_on.isoformat()}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hearing_create(
    *,
    case: Case,
    date: datetime.date,
    status: str = HearingStatus.SCHEDULED,
    head_required: bool = False,
    time: datetime.time | None = None,
    courtroom: str = "",
    notes: str = "",
) -> Hearing:
    hearing = Hearing(
        case=case,
        date=date,
        status=status,
        head_required=head_required,
        time=time,
        courtroom=courtroom,
        notes=notes,
    )
    _validate_hearing(hearing)
    hearing.save()
    return hearing


@transaction.atomic
def hearing_update(*, hearing: Hearing, version: int | None, **fields) -> Hearing:
    unknown = set(fields) - set(HEARING_FIELDS)
    if unknown:
        raise ValidationError({"detail": [_("不可修改的字段：%s") % ", ".join(sorted(unknown))]})
    claim_version(hearing, version)
    for name, value in fields.items():
        setattr(hearing, name, value)
    _validate_hearing(hearing)
    hearing.save()
    return hearing


@transaction.atomic
def hearing_delete(*, hearing: Hearing) -> None:
    hearing.delete()


def _validate_appearance(appearance: Appearance) -> None:
    errors: dict[str, list[str]] = {}
    hearing = appearance.hearing
    name = (appearance.person_name or "").strip()
    appearance.person_name = name
    if appearance.official_id and name:
        errors["person_name"] = [_("登记人员与姓名只能填写一项。")]
    elif not appearance.official_id and not name:
        errors["official"] = [_("请选择出庭的登记人员，或填写非登记人员的姓名。")]
    if appearance.official_id:
        appearance.capacity = ""
    elif appearance.capacity not in ExternalCapacity.values:
        errors["capacity"] = [_("请选择非登记人员的身份：工作人员、律师或其他。")]
    if appearance.agency_id and not hearing.case.defendants.filter(agency_id=appearance.agency_id).exists():
        errors["agency"] = [
            _("“%(agency)s”不是案件 %(case)s 的被告。")
            % {"agency": Agency.objects.get(pk=appearance.agency_id).name, "case": hearing.case.number}
        ]
    if appearance.official_id and "agency" not in errors and appearance.agency_id:
        holds_post = (
            Position.objects.filter(official_id=appearance.official_id, agency_id=appearance.agency_id)
            .held_on(hearing.date)
            .exists()
        )
        if not holds_post:
            official = Official.objects.get(pk=appearance.official_id)
            errors["official"] = [
                _(
                    "%(official)s 在 %(date)s 未在“%(agency)s”任职，不能作为该机关负责人出庭；"
                    "请以工作人员、律师或其他身份填写姓名记录。"
                )
                % {
                    "official": official.name,
                    "date": hearing.date.isoformat(),
                    "agency": Agency.objects.get(pk=appearance.agency_id).name,
                }
            ]
    if errors:
        raise ValidationError(errors)
    try:
        appearance.full_clean(exclude=["hearing"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if (
        appearance.official_id
        and Appearance.objects.filter(
            hearing_id=appearance.hearing_id,
            agency_id=appearance.agency_id,
            official_id=appearance.official_id,
        )
        .exclude(pk=appearance.pk)
        .exists()
    ):
        raise ValidationError({"official": [_("该人员已登记为本次庭审该机关的出庭人员。")]})


@transaction.atomic
def appearance_create(
    *,
    hearing: Hearing,
    agency: Agency,
    official: Official | None = None,
    person_name: str = "",
    capacity: str = ExternalCapacity.STAFF,
    spoke: bool = False,
    touch_hearing: bool = True,
) -> Appearance:
    """Record one appearance. Unless part of the hearing sheet, it moves the hearing's version on, so
    that a sheet opened before it cannot silently drop it."""
    appearance = Appearance(
        hearing=hearing,
        agency=agency,
        official=official,
        person_name=person_name,
        capacity=capacity,
        spoke=spoke,
    )
    _validate_appearance(appearance)
    appearance.save()
    if touch_hearing:
        claim_version(hearing, None)
    return appearance


@transaction.atomic
def appearance_update(*, appearance: Appearance, touch_hearing: bool = True, **fields) -> Appearance:
    for name, value in fields.items():
        setattr(appearance, name, value)
    _validate_appearance(appearance)
    appearance.save()
    if touch_hearing:
        claim_version(appearance.hearing, None)
    return appearance


@transaction.atomic
def appearance_delete(*, appearance: Appearance) -> None:
    hearing = appearance.hearing
    appearance.delete()
    claim_version(hearing, None)


@dataclass
class PersonInput:
    official: Official | None = None
    person_name: str = ""
    capacity: str = ExternalCapacity.STAFF
    spoke: bool = False


@dataclass
class AbsenceInput:
    reason: str
    explanation_filed: bool = False
    detail: str = ""


@dataclass
class DefendantSheet:
    """What happened for one defendant agency at the hearing."""

    agency: Agency
    people: list[PersonInput] = field(default_factory=list)
    absence: AbsenceInput | None = None


@transaction.atomic
def hearing_record(
    *,
    hearing: Hearing,
    version: int | None,
    status: str,
    head_required: bool,
    sheets: Iterable[DefendantSheet],
    date: datetime.date | None = None,
) -> Hearing:
    """The hearing sheet: set the hearing's status and, per defendant, exactly who appeared and why a
    head was absent. Replaces what was recorded before; all or nothing."""
    claim_version(hearing, version)
    hearing.status = status
    hearing.head_required = head_required
    if date is not None:
        hearing.date = date
    _validate_hearing(hearing)
    hearing.save()

    defendants = set(hearing.case.defendants.values_list("agency_id", flat=True))
    errors: dict[str, list[str]] = {}
    for sheet in sheets:
        if sheet.agency.pk not in defendants:
            errors.setdefault("agency", []).append(
                _("“%(agency)s”不是本案被告。") % {"agency": sheet.agency.name}
            )
            continue
        existing = list(hearing.appearances.filter(agency=sheet.agency))
        keep: set[int] = set()
        for person in sheet.people:
            match = next(
                (
                    a
                    for a in existing
                    if a.pk not in keep
                    and (
                        (person.official and a.official_id == person.official.pk)
                        or (
                            not person.official
                            and a.official_id is None
                            and a.person_name == person.person_name.strip()
                        )
                    )
                ),
                None,
            )
            try:
                if match:
                    keep.add(match.pk)
                    if match.spoke != person.spoke or (
                        not person.official and match.capacity != person.capacity
                    ):
                        appearance_update(
                            appearance=match,
                            spoke=person.spoke,
                            capacity=person.capacity,
                            touch_hearing=False,
                        )
                else:
                    created = appearance_create(
                        hearing=hearing,
                        agency=sheet.agency,
                        official=person.official,
                        person_name=person.person_name,
                        capacity=person.capacity,
                        spoke=person.spoke,
                        touch_hearing=False,
                    )
                    keep.add(created.pk)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(f"{sheet.agency.name}：{m}" for m in messages)
        for appearance in existing:
            if appearance.pk not in keep:
                appearance.delete()
        current = AbsenceExplanation.objects.filter(hearing=hearing, agency=sheet.agency).first()
        if sheet.absence and sheet.absence.reason:
            absence = current or AbsenceExplanation(hearing=hearing, agency=sheet.agency)
            absence.reason = sheet.absence.reason
            absence.explanation_filed = sheet.absence.explanation_filed
            absence.detail = sheet.absence.detail
            try:
                absence.full_clean(exclude=["hearing", "agency"], validate_unique=False)
                absence.save()
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(f"{sheet.agency.name}：{m}" for m in messages)
        elif current:
            current.delete()
    if errors:
        raise ValidationError(errors)
    return hearing


@transaction.atomic
def absence_set(
    *, hearing: Hearing, agency: Agency, reason: str, explanation_filed: bool = False, detail: str = ""
) -> AbsenceExplanation:
    """An agency explains why its head cannot (or could not) appear."""
    if not hearing.case.defendants.filter(agency=agency).exists():
        raise ValidationError({"agency": [_("“%(agency)s”不是本案被告。") % {"agency": agency.name}]})
    absence = AbsenceExplanation.objects.filter(hearing=hearing, agency=agency).first() or AbsenceExplanation(
        hearing=hearing, agency=agency
    )
    absence.reason, absence.explanation_filed, absence.detail = reason, explanation_filed, detail
    absence.full_clean(exclude=["hearing", "agency"], validate_unique=False)
    absence.save()
    claim_version(hearing, None)
    return absence


@transaction.atomic
def head_filing_set(*, hearing: Hearing, agency: Agency, official: Official) -> HeadFiling:
    """备案: the agency files who will appear; that person must be a head of the agency on the day."""
    if not hearing.case.defendants.filter(agency=agency).exists():
        raise ValidationError({"agency": [_("“%(agency)s”不是本案被告。") % {"agency": agency.name}]})
    if not Position.objects.filter(official=official, agency=agency).heads().held_on(hearing.date).exists():
        raise ValidationError(
            {
                "official": [
                    _("%(official)s 在 %(date)s 不是“%(agency)s”的负责人，不能备案为出庭负责人。")
                    % {"official": official.name, "date": hearing.date.isoformat(), "agency": agency.name}
                ]
            }
        )
    filing = HeadFiling.objects.filter(hearing=hearing, agency=agency).first() or HeadFiling(
        hearing=hearing, agency=agency
    )
    filing.official = official
    filing.save()
    claim_version(hearing, None)
    return filing


EVENT_FIELDS = ("kind", "date", "title", "location", "hearing")


@transaction.atomic
def event_create(
    *,
    kind: str,
    date: datetime.date,
    title: str,
    agencies: Iterable[Agency] = (),
    officials: Iterable[Official] = (),
    location: str = "",
    hearing: Hearing | None = None,
) -> Event:
    event = Event(kind=kind, date=date, title=title, location=location, hearing=hearing)
    event.full_clean()
    event.save()
    event.agencies.set(agencies)
    event.officials.set(officials)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    agencies: Iterable[Agency] | None = None,
    officials: Iterable[Official] | None = None,
    **fields,
) -> Event:
    for name, value in fields.items():
        if name in EVENT_FIELDS:
            setattr(event, name, value)
    event.full_clean()
    event.save()
    if agencies is not None:
        event.agencies.set(agencies)
    if officials is not None:
        event.officials.set(officials)
    return event
