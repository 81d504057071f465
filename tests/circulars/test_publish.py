"""Publication freezes the figures; a correction is a new revision that supersedes the published
circular, and both stay visible."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearings.services import appearance_create
from reports.circular_models import Circular, CircularStatus
from reports.circular_selectors import circulars_visible_to
from reports.circulars import AlreadyPublished, circular_content, circular_publish, circular_revise
from reports.models import RankingTable
from reports.services import rankings_compute

from .conftest import MARCH


def test_publish_records_number_who_when_and_freezes_the_content(draft, publish, officer):
    published = publish(draft, today=datetime.date(2023, 4, 3))
    published.refresh_from_db()
    assert published.status == CircularStatus.PUBLISHED
    assert published.number == "C政通〔2023〕1号"
    assert published.published_by == officer
    assert published.published_at is not None and published.document_date == datetime.date(2023, 4, 3)
    assert Fraction(published.content["summary"]["attendance_rate"]) == Fraction(2, 3)


def test_live_data_changed_after_publishing_leaves_the_published_figures(computed, draft, publish, officer):
    published = publish(draft)
    frozen = published.content

    appearance_create(hearing=computed.h1, agency=computed.d2, official=computed.d2_principal, spoke=True)
    rankings_compute(period=MARCH)

    published.refresh_from_db()
    assert published.content == frozen
    assert [n["agency_name"] for n in published.content["named"]] == ["D2局"]

    # A correction shows the new figures; both revisions stay visible.
    correction = circular_revise(circular=published, user=officer)
    assert correction.status == CircularStatus.DRAFT
    assert (correction.revision, correction.supersedes_id) == (2, published.pk)
    shown = circular_content(correction)
    assert Fraction(shown["summary"]["attendance_rate"]) == 1 and shown["named"] == []
    assert correction.opening == published.opening  # the texts carry over

    corrected = publish(correction)
    assert corrected.number == f"C政通〔{timezone.localdate().year}〕2号"
    both = circulars_visible_to(officer).filter(period="2023-03", issuer=computed.county).order_by("revision")
    assert [(c.revision, c.superseded_by_id) for c in both] == [(1, corrected.pk), (2, None)]


def test_publishing_twice_is_refused(draft, publish):
    published = publish(draft)
    with pytest.raises(AlreadyPublished, match="不能重复发布"):
        publish(published)
    assert Circular.objects.get(pk=draft.pk).number == published.number


def test_stale_rankings_cannot_be_published(draft, publish):
    RankingTable.objects.filter(period="2023-03").update(stale=True, stale_since=timezone.now())
    with pytest.raises(ValidationError, match="重新计算"):
        publish(draft)
    assert Circular.objects.get(pk=draft.pk).status == CircularStatus.DRAFT


def test_only_the_issuers_officers_publish(draft, users):
    with pytest.raises(PermissionDenied):
        circular_publish(circular=draft, user=users.city_officer)
    with pytest.raises(PermissionDenied):
        circular_publish(circular=draft, user=users.d1_user)


def test_a_corrected_circular_cannot_be_corrected_again(computed, draft, publish, officer, users):
    published = publish(draft)
    started = circular_revise(circular=published, user=officer)
    assert circular_revise(circular=published, user=officer) == started  # the same correction draft
    publish(started)
    with pytest.raises(ValidationError, match="更正最新版本"):
        circular_revise(circular=published, user=officer)
    city_draft = Circular.objects.get(issuer=computed.city, period="2023-03")
    with pytest.raises(ValidationError, match="只能更正已发布"):
        circular_revise(circular=city_draft, user=users.superuser)
