"""Every write to agencies, officials, posts, courts and users."""

import datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import PositionRole, UserRole
from .models import Agency, Court, Official, Position, User
from .roles import apply_role_access


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


@transaction.atomic
def position_end(*, position: Position, end_date: datetime.date) -> Position:
    """End a post: `end_date` is its last day (inclusive)."""
    position.end_date = end_date
    return _save_position(position)


@transaction.atomic
def principal_change(*, agency: Agency, official: Official, date: datetime.date, title: str = "") -> Position:
    """The agency's principal head changes on `date`.

    The sitting principal's post ends the day before and `official` becomes principal from `date`
    (open-ended). A blank `title` takes the sitting principal's title. Refused, with nothing saved,
    when the official already is the principal, when the sitting principal started on or after
    `date`, or when another principal post starts after `date`.
    """
    # Lock the agency first: concurrent changes of the same agency's principal run one after the other.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    principals = Position.objects.filter(agency=agency, role=PositionRole.PRINCIPAL).select_related(
        "official"
    )
    sitting = principals.held_on(date).first()
    errors: dict[str, list[str]] = {}
    if agency.active_from and date < agency.active_from:
        errors["date"] = [
            _("%(agency)s 设立于 %(from)s，任职日期不能早于该日。")
            % {"agency": agency.name, "from": agency.active_from.isoformat()}
        ]
    if agency.active_until and date > agency.active_until:
        errors["date"] = [
            _("%(agency)s 已于 %(until)s 撤销，任职日期不能晚于该日。")
            % {"agency": agency.name, "until": agency.active_until.isoformat()}
        ]
    if sitting and sitting.official_id == official.pk:
        errors["official"] = [
            _("%(name)s 在 %(date)s 已是%(agency)s主要负责人。")
            % {"name": official.name, "date": date.isoformat(), "agency": agency.name}
        ]
    elif sitting and sitting.start_date >= date:
        errors.setdefault("date", []).append(
            _("现任主要负责人 %(name)s 自 %(start)s 起任职，新任日期须晚于该日。")
            % {"name": sitting.official.name, "start": sitting.start_date.isoformat()}
        )
    later = principals.filter(start_date__gt=date).order_by("start_date").first()
    if later:
        errors.setdefault("date", []).append(
            _(
                "同一机关同一天只能有一名主要负责人：%(name)s 自 %(start)s 起已任主要负责人，"
                "请先修改或删除该任职。"
            )
            % {"name": later.official.name, "start": later.start_date.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    if sitting:
        sitting.end_date = date - datetime.timedelta(days=1)
        _save_position(sitting)
    new = Position(
        official=official,
        agency=agency,
        role=PositionRole.PRINCIPAL,
        start_date=date,
        title=title or (sitting.title if sitting else ""),
    )
    try:
        return _save_position(new)
    except ValidationError as exc:
        # The form asks for a date, not a role: a clash left over is about the date.
        raise ValidationError(
            {("date" if key == "role" else key): value for key, value in exc.message_dict.items()}
        ) from exc


def _validate_user(user: User, courts: list[Court], password: str | None) -> None:
    errors: dict[str, list[str]] = {}
    if password is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if user.role == UserRole.LIAISON and not courts:
        errors["courts"] = [_("法院联络员须至少指定一个负责法院。")]
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    agency: Agency | None = None,
    courts=(),
    first_name: str = "",
    email: str = "",
    is_active: bool = True,
) -> User:
    """A portal user (not staff, not superuser); liaison staff are assigned their courts.
    The whole name (姓名) is kept in `first_name`."""
    courts = list(courts) if role == UserRole.LIAISON else []
    user = User(
        username=username, first_name=first_name, email=email, role=role, agency=agency, is_active=is_active
    )
    _validate_user(user, courts, password)
    user.set_password(password)
    user.save()
    user.courts.set(courts)
    apply_role_access(user)
    return user


USER_FIELDS = ("username", "first_name", "email", "role", "agency", "is_active")


@transaction.atomic
def user_update(*, user: User, password: str | None = None, courts=None, **fields) -> User:
    """Change a user; a non-empty `password` replaces theirs; `courts` only count for liaison staff."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError({"detail": [_("不可修改的字段：%s") % ", ".join(sorted(unknown))]})
    for name, value in fields.items():
        setattr(user, name, value)
    courts = list(user.courts.all() if courts is None else courts) if user.role == UserRole.LIAISON else []
    _validate_user(user, courts, password or None)
    if password:
        user.set_password(password)
    user.save()
    user.courts.set(courts)
    apply_role_access(user)
    return user
