"""Users and hearings around METRICS.md's worked example for the page tests."""

import datetime

import pytest

from agencies.choices import UserRole
from agencies.services import court_create
from hearings.choices import HearingStatus
from hearings.services import hearing_create
from litigation.dates import local_today
from tests.factories import UserFactory


@pytest.fixture
def other_liaison(worked_example):
    """A liaison officer at another court: the worked example's cases are outside their scope."""
    court = court_create(name="D县人民法院", level="basic", code="鲁1503")
    return UserFactory(role=UserRole.LIAISON, username="liaison2", courts=[court])


@pytest.fixture
def d1_user(worked_example):
    """An agency user of D1 (a defendant in k1 and k2, not in k3)."""
    return UserFactory(role=UserRole.AGENCY, agency=worked_example.d1, username="d1user")


@pytest.fixture
def today_hearing(worked_example):
    """A hearing of k1 (defendants D1 and D2) scheduled for today: the one the sheet records."""
    return hearing_create(case=worked_example.k1, date=local_today(), status=HearingStatus.SCHEDULED)


@pytest.fixture
def next_week_hearing(worked_example):
    return hearing_create(
        case=worked_example.k1,
        date=local_today() + datetime.timedelta(days=7),
        time=datetime.time(9, 30),
        courtroom="第三法庭",
    )


def sheet_post(hearing, *, status=HearingStatus.HELD, head_required=False, version=None, blocks=None):
    """The POST a browser sends from the hearing sheet: `blocks` maps an agency to its inputs
    (present / spoke official ids, people as (name, capacity, spoke), absence fields)."""
    data = {
        "version": hearing.version if version is None else version,
        "status": status,
    }
    if head_required:
        data["head_required"] = "on"
    for defendant in hearing.case.defendants.all():
        block = (blocks or {}).get(defendant.agency, {})
        prefix = f"d{defendant.agency_id}"
        data[f"{prefix}-present"] = [str(o.pk) for o in block.get("present", ())]
        data[f"{prefix}-spoke"] = [str(o.pk) for o in block.get("spoke", ())]
        data[f"{prefix}-absence_reason"] = block.get("absence_reason", "")
        if block.get("explanation_filed"):
            data[f"{prefix}-explanation_filed"] = "on"
        data[f"{prefix}-absence_detail"] = block.get("absence_detail", "")
        people = list(block.get("people", ())) or [("", "staff", False)]
        data[f"{prefix}-p-TOTAL_FORMS"] = str(len(people))
        data[f"{prefix}-p-INITIAL_FORMS"] = str(block.get("initial_people", 0))
        for i, (name, capacity, spoke) in enumerate(people):
            data[f"{prefix}-p-{i}-person_name"] = name
            data[f"{prefix}-p-{i}-capacity"] = capacity
            if spoke:
                data[f"{prefix}-p-{i}-spoke"] = "on"
    return data
