"""The appearance obligation of METRICS.md, as annotations on (case, defendant) rows.

This is the single definition of head-attended / principal-attended / spoke / waived; the hearing
pages, the API and every figure in `reports` read it from here.

A defendant row is an obligation when its case has at least one held hearing; it is dated by the
case's first held hearing. An appearance is a head appearance when the official held a head post
in *that* defendant agency on the hearing date (`end_date` inclusive).
"""

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import IsNull

from agencies.choices import HEAD_ROLES, ROLE_PRECEDENCE, PositionRole
from agencies.models import Position
from cases.models import Defendant

from .choices import APPEARANCE_EXTERNAL_ROLE, HearingStatus
from .models import Appearance, Hearing


def _post_held_on_hearing_date(roles) -> Exists:
    """For an Appearance row: the official held one of `roles` in the appearance's agency that day."""
    return Exists(
        Position.objects.filter(
            official_id=OuterRef("official_id"),
            agency_id=OuterRef("agency_id"),
            role__in=roles,
            start_date__lte=OuterRef("hearing__date"),
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("hearing__date")))
    )


def head_appearances() -> QuerySet[Appearance]:
    """Appearances by a person who held a head post in the appearing agency on the hearing date."""
    return Appearance.objects.filter(official__isnull=False).filter(_post_held_on_hearing_date(HEAD_ROLES))


def _held_head_appearances_of_defendant() -> QuerySet[Appearance]:
    return head_appearances().filter(
        hearing__case_id=OuterRef("case_id"),
        agency_id=OuterRef("agency_id"),
        hearing__status=HearingStatus.HELD,
    )


def _required_hearings_without_head() -> QuerySet[Hearing]:
    head_there = head_appearances().filter(
        hearing_id=OuterRef("pk"), agency_id=OuterRef(OuterRef("agency_id"))
    )
    return Hearing.objects.filter(
        case_id=OuterRef("case_id"), status=HearingStatus.HELD, head_required=True
    ).exclude(Exists(head_there))


def first_held_on() -> Subquery:
    """For a row with `case_id`: the date of the case's first held hearing, or NULL."""
    return Subquery(
        Hearing.objects.filter(case_id=OuterRef("case_id"), status=HearingStatus.HELD)
        .order_by("date")
        .values("date")[:1]
    )


def _row_exists(queryset: QuerySet, *, present: bool = True) -> Expression:
    """EXISTS(queryset) (or NOT, `present=False`) as a scalar subquery: PostgreSQL never turns one
    into a hashed subplan, which reads every row of the subquery's tables once, whatever the number
    of outer rows; it evaluates it for each outer row, through the indexes."""
    return IsNull(Subquery(queryset.values(marker=Value(1))[:1]), not present)


def annotate_obligations(defendants: QuerySet[Defendant], *, row_by_row: bool = False) -> QuerySet[Defendant]:
    """Annotate defendant rows with `obligation_date` (NULL: no obligation yet), `waived`,
    `head_attended`, `principal_attended` and `spoke`, exactly as METRICS.md defines them.

    `row_by_row`: the same conditions, written as scalar subqueries (see `_row_exists`), for a few
    rows picked among many (one case's, rewritten by reports.facts on every write): the default
    EXISTS may be planned as a hashed subplan over every head appearance in the database."""
    held_heads = _held_head_appearances_of_defendant()
    principal_heads = held_heads.filter(_post_held_on_hearing_date((PositionRole.PRINCIPAL,)))
    spoke_heads = held_heads.filter(spoke=True)
    if row_by_row:
        head_there, principal_there, spoke_there = (
            _row_exists(held_heads),
            _row_exists(principal_heads),
            _row_exists(spoke_heads),
        )
        every_required_attended = _row_exists(_required_hearings_without_head(), present=False)
    else:
        head_there, principal_there, spoke_there = (
            Exists(held_heads),
            Exists(principal_heads),
            Exists(spoke_heads),
        )
        every_required_attended = ~Exists(_required_hearings_without_head())
    # The principal's appearance and a head's speaking are head appearances themselves, so
    # "head-attended and principal there" is "principal there and every required hearing attended":
    # head_there is not evaluated again for each of them.
    return defendants.annotate(
        obligation_date=first_held_on(),
        waived=ExpressionWrapper(Q(head_waived=True), output_field=BooleanField()),
        head_attended=ExpressionWrapper(head_there & every_required_attended, output_field=BooleanField()),
        principal_attended=ExpressionWrapper(
            principal_there & every_required_attended, output_field=BooleanField()
        ),
        spoke=ExpressionWrapper(spoke_there & every_required_attended, output_field=BooleanField()),
    )


def obligations_of_case(case_id: int) -> QuerySet[Defendant]:
    return annotate_obligations(Defendant.objects.filter(case_id=case_id).select_related("agency")).order_by(
        "id"
    )


def annotate_appearance_role(appearances: QuerySet[Appearance]) -> QuerySet[Appearance]:
    """`role`: the official's highest post in that agency on the hearing date, or `external`."""
    precedence = Case(
        *[When(role=role, then=Value(rank)) for role, rank in ROLE_PRECEDENCE.items()],
        output_field=IntegerField(),
    )
    post_role = Subquery(
        Position.objects.filter(
            official_id=OuterRef("official_id"),
            agency_id=OuterRef("agency_id"),
            start_date__lte=OuterRef("hearing__date"),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("hearing__date")))
        .annotate(precedence=precedence)
        .order_by("precedence")
        .values("role")[:1]
    )
    return appearances.annotate(
        role=Case(
            When(official__isnull=True, then=Value(APPEARANCE_EXTERNAL_ROLE)),
            default=post_role,
        )
    )
