"""A hearing sheet opened before someone else recorded something for that hearing cannot drop it."""

import datetime

import pytest

from hearings.choices import AbsenceReason, HearingStatus
from hearings.models import AbsenceExplanation, Appearance
from hearings.services import DefendantSheet, absence_set, appearance_create, hearing_create, hearing_record
from litigation.errors import StaleVersion


@pytest.mark.django_db
def test_an_absence_filed_after_the_sheet_was_opened_is_not_silently_deleted(worked_example):
    ex = worked_example
    hearing = hearing_create(case=ex.k3, date=datetime.date(2023, 4, 3), status=HearingStatus.SCHEDULED)
    opened_version = hearing.version
    absence_set(hearing=hearing, agency=ex.d2, reason=AbsenceReason.OFFICIAL_DUTY, explanation_filed=True)

    with pytest.raises(StaleVersion):
        hearing_record(
            hearing=hearing,
            version=opened_version,
            status=HearingStatus.HELD,
            head_required=False,
            sheets=[DefendantSheet(agency=ex.d2)],
        )
    assert AbsenceExplanation.objects.filter(hearing=hearing, agency=ex.d2).exists()


@pytest.mark.django_db
def test_an_appearance_added_over_the_api_moves_the_version_on(worked_example):
    ex = worked_example
    before = ex.h3.version
    appearance_create(hearing=ex.h3, agency=ex.d1, person_name="孙律师", capacity="lawyer")
    ex.h3.refresh_from_db()
    assert ex.h3.version == before + 1
    # The sheet itself records many appearances as one change.
    hearing_record(
        hearing=ex.h3,
        version=ex.h3.version,
        status=HearingStatus.HELD,
        head_required=False,
        sheets=[DefendantSheet(agency=ex.d1)],
    )
    ex.h3.refresh_from_db()
    assert ex.h3.version == before + 2
    assert not Appearance.objects.filter(hearing=ex.h3).exists()
