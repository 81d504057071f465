"""Reads behind the reports pages and API, scoped to what the user may see."""

import datetime

from django.shortcuts import get_object_or_404

from agencies.models import Agency
from agencies.scope import agencies_visible_to

from .metrics import Metrics, metrics_for_scope
from .periods import Period


def metrics_agency(*, user, agency_id: int) -> Agency:
    """The agency whose figures the user asks for: unknown or outside their scope is a 404.

    Officers see their government's scope, agency users their agency's, API clients their issuer's;
    liaison staff and superusers see every agency (agencies.scope)."""
    return get_object_or_404(agencies_visible_to(user), pk=agency_id)


def metrics_for_user(
    *, user, period: Period, agency_id: int, today: datetime.date | None = None
) -> tuple[Agency, Metrics]:
    agency = metrics_agency(user=user, agency_id=agency_id)
    return agency, metrics_for_scope(period, agency, today=today)
