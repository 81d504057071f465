"""The obligation status of METRICS.md on the worked example, read from hearings.obligations."""

import datetime

import pytest

from agencies.choices import PositionRole
from agencies.services import position_create, position_update
from cases.models import Defendant
from hearings.obligations import annotate_obligations, obligations_of_case
from hearings.services import hearing_update


def status(case, agency):
    row = obligations_of_case(case.pk).get(agency=agency)
    return {
        "date": row.obligation_date,
        "head_attended": row.head_attended,
        "principal_attended": row.principal_attended,
        "spoke": row.spoke,
        "waived": row.waived,
    }


@pytest.mark.django_db
def test_worked_example_obligations(worked_example):
    ex = worked_example
    assert status(ex.k1, ex.d1) == {
        "date": datetime.date(2023, 3, 10),
        "head_attended": True,
        "principal_attended": True,
        "spoke": True,
        "waived": False,
    }
    assert status(ex.k1, ex.d2)["head_attended"] is False
    k2 = status(ex.k2, ex.d1)
    assert k2["date"] == datetime.date(2023, 3, 15)
    assert (k2["head_attended"], k2["principal_attended"], k2["spoke"]) == (True, False, False)
    assert status(ex.k3, ex.d2)["date"] is None, "a case with only a cancelled hearing has no obligation"
    held = annotate_obligations(Defendant.objects.all()).filter(obligation_date__isnull=False)
    assert held.count() == 3


@pytest.mark.django_db
def test_required_head_at_h2_makes_k2_not_head_attended(worked_example):
    ex = worked_example
    hearing_update(hearing=ex.h2, version=ex.h2.version, head_required=True)
    assert status(ex.k2, ex.d1)["head_attended"] is False


@pytest.mark.django_db
def test_head_post_must_be_held_on_the_hearing_date(worked_example):
    ex = worked_example
    deputy_post = ex.d1_deputy.positions.get()
    position_update(position=deputy_post, end_date=datetime.date(2023, 3, 27))
    assert status(ex.k2, ex.d1)["head_attended"] is False
    position_update(position=deputy_post, end_date=datetime.date(2023, 3, 28))
    assert status(ex.k2, ex.d1)["head_attended"] is True, "end_date is the last day of the post, inclusive"


@pytest.mark.django_db
def test_a_head_post_in_another_agency_does_not_count(worked_example):
    ex = worked_example
    # D2's staff member is also a deputy of D1: still only staff when appearing for D2.
    position_create(
        official=ex.d2_staff, agency=ex.d1, role=PositionRole.DEPUTY, start_date=datetime.date(2020, 1, 1)
    )
    assert status(ex.k1, ex.d2)["head_attended"] is False
