"""The two formulations of the obligation status in hearings.obligations give the same answer.

`annotate_obligations(..., row_by_row=True)` (scalar subqueries, used to rewrite a case's stored facts) must
equal the default (EXISTS) on every (case, defendant) row: on the worked example, with the court
requiring the head at a later hearing, and on the random cities of the property test, where both
also equal, row by row, the literal reading of METRICS.md in tests/reports/reference.py
(principal-attended and spoke are "head-attended and ...").
"""

import pytest
from django.db import transaction
from hypothesis import given

from cases.models import Defendant
from hearings.obligations import annotate_obligations
from hearings.services import hearing_update

from .reference import load_city, obligation
from .test_metrics_property import build, cities, city_examples

COLUMNS = ("id", "obligation_date", "waived", "head_attended", "principal_attended", "spoke")


def both_forms():
    default = list(annotate_obligations(Defendant.objects.all()).values_list(*COLUMNS).order_by("id"))
    row_by_row = list(
        annotate_obligations(Defendant.objects.all(), row_by_row=True).values_list(*COLUMNS).order_by("id")
    )
    return default, row_by_row


@pytest.mark.django_db
def test_both_forms_on_the_worked_example(worked_example):
    default, row_by_row = both_forms()
    assert row_by_row == default
    assert [row[3] for row in default].count(True) == 2, "k1/D1 and k2/D1 are head-attended"

    ex = worked_example
    hearing_update(hearing=ex.h2, version=ex.h2.version, head_required=True)
    default, row_by_row = both_forms()
    assert row_by_row == default
    assert [row[3] for row in default].count(True) == 1, "art. 7: no head at h2, so k2/D1 is missed"


@pytest.mark.property
@pytest.mark.django_db
@city_examples(100)
@given(plan=cities())
def test_both_forms_on_random_cities(plan):
    with transaction.atomic():
        build(plan)
        default, row_by_row = both_forms()
        assert row_by_row == default
        city = load_city()
        expected = []
        for defendant in sorted(city.defendants, key=lambda d: d["id"]):
            ob = obligation(city, defendant)
            expected.append(
                (defendant["id"], None, defendant["head_waived"], False, False, False)
                if ob is None
                else (
                    defendant["id"],
                    ob["date"],
                    ob["waived"],
                    ob["head_attended"],
                    ob["principal_attended"],
                    ob["spoke"],
                )
            )
        assert default == expected
        transaction.set_rollback(True)
