"""Every write to agencies, officials, posts and courts."""

import datetime

from django.db import transaction

from .models import Agency, Court, Official, Position


@transaction.atomic
def agency_create(*, name: str, kind: str, parent: Agency | None = None, **fields) -> Agency:
    agency = Agency(name=name, kind=kind, parent=parent, **fields)
    agency.full_clean(exclude=["path"])
    agency.save()
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, **fields) -> Agency:
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.full_clean(exclude=["path"])
    agency.save()
    return agency


@transaction.atomic
def official_create(*, name: str, **fields) -> Official:
    official = Official(name=name, **fields)
    official.full_clean()
    official.save()
    return official


@transaction.atomic
def official_update(*, official: Official, **fields) -> Official:
    for name, value in fields.items():
        setattr(official, name, value)
    official.full_clean()
    official.save()
    return official


def _save_position(position: Position) -> Position:
    # Lock the agency so that two concurrent writers cannot both add a principal for the same days.
    Agency.objects.select_for_update().filter(pk=position.agency_id).first()
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_create(
    *,
    official: Official,
    agency: Agency,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    title: str = "",
) -> Position:
    return _save_position(
        Position(
            official=official, agency=agency, role=role, start_date=start_date, end_date=end_date, title=title
        )
    )


@transaction.atomic
def position_update(*, position: Position, **fields) -> Position:
    for name, value in fields.items():
        setattr(position, name, value)
    return _save_position(position)


@transaction.atomic
def court_create(*, name: str, level: str, code: str = "") -> Court:
    court = Court(name=name, level=level, code=code)
    court.full_clean()
    court.save()
    return court


@transaction.atomic
def court_update(*, court: Court, **fields) -> Court:
    for name, value in fields.items():
        setattr(court, name, value)
    court.full_clean()
    court.save()
    return court
