"""manage.py compute_rankings: the same service as the jobs, for any periods, idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.models import ComputationRun, RankingRow, RankingTable, RunStatus

pytestmark = pytest.mark.django_db


def test_compute_rankings_for_several_periods(worked_example):
    out = StringIO()
    call_command("compute_rankings", "2023-03", "2023-Q1", "2023", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["2023-03", "2023-Q1", "2023"]
    assert "2 rankings, 3 rows, 2 named" in lines[0]
    assert set(RankingTable.objects.values_list("period", flat=True)) == {"2023-03", "2023-Q1", "2023"}
    runs = ComputationRun.objects.all()
    assert {r.triggered_by for r in runs} == {"command"} and {r.status for r in runs} == {RunStatus.SUCCEEDED}

    call_command("compute_rankings", "2023-03", stdout=StringIO())
    assert RankingRow.objects.filter(table__period="2023-03").count() == 3, "a rerun replaces, never adds"


@pytest.mark.parametrize("bad", ["2023-13", "2023-Q5", "23", "March"])
def test_a_malformed_period_is_refused_with_the_reason_and_nothing_runs(worked_example, bad):
    with pytest.raises(CommandError) as excinfo:
        call_command("compute_rankings", "2023-03", bad, stdout=StringIO())
    assert bad in str(excinfo.value) and "2023-Q1" in str(excinfo.value)
    assert not ComputationRun.objects.exists()
