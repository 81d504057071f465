"""发文字号 (GB/T 9704-2012 §7.2.5): prefix, the full year in 〔〕, the sequence with no leading zero
and no 第; one register per issuer and year, taken at publication."""

import datetime
import threading

import pytest
from django.db import connection

from agencies.choices import AgencyKind
from agencies.models import Agency
from agencies.services import agency_update
from reports.circular_models import Circular, CircularRegister
from reports.circulars import circular_publish, circular_revise, default_prefix, format_number
from reports.periods import Period
from reports.services import rankings_compute

JAN_2024 = datetime.date(2024, 1, 15)


def test_number_format_has_full_year_in_brackets_and_no_leading_zero():
    assert format_number("聊司通", 2023, 3) == "聊司通〔2023〕3号"
    assert format_number("聊司通", 2023, 10) == "聊司通〔2023〕10号"
    assert "第" not in format_number("聊司通", 2023, 1)
    with pytest.raises(ValueError):
        format_number("聊司通", 2023, 0)


def test_default_prefix_comes_from_the_issuer_name():
    assert default_prefix(Agency(name="聊城市人民政府", kind=AgencyKind.GOVERNMENT)) == "聊政通"
    assert default_prefix(Agency(name="C县人民政府", kind=AgencyKind.GOVERNMENT)) == "C政通"


def test_sequence_per_issuer_and_year_taken_at_publication(computed, draft, publish, users):
    # The county has no configured prefix: the default one; the city has its own.
    agency_update(agency=computed.city, circular_prefix="聊司通")
    city_draft = Circular.objects.get(issuer=computed.city, period="2023-03")
    assert draft.number == "" and draft.sequence is None  # a draft has no number yet

    first = publish(draft, today=JAN_2024)
    assert first.number == "C政通〔2024〕1号"
    city = publish(city_draft, user=users.city_officer, today=JAN_2024)
    assert city.number == "聊司通〔2024〕1号"  # another issuer: its own register

    correction = circular_revise(circular=first, user=users.officer)
    second = publish(correction, today=JAN_2024)
    assert second.number == "C政通〔2024〕2号"

    rankings_compute(period=Period.parse("2023-04"))
    next_year = publish(
        Circular.objects.get(issuer=computed.county, period="2023-04"), today=datetime.date(2025, 1, 2)
    )
    assert next_year.number == "C政通〔2025〕1号"  # a new year starts again at 1
    assert set(
        CircularRegister.objects.filter(issuer=computed.county).values_list("year", "last_number")
    ) == {
        (2024, 2),
        (2025, 1),
    }


def test_register_continues_numbers_used_on_paper_without_padding(computed, draft, publish):
    CircularRegister.objects.create(issuer=computed.county, year=2024, last_number=9)
    assert publish(draft, today=JAN_2024).number == "C政通〔2024〕10号"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_take_distinct_numbers(worked_example, officer):
    for month in ("2023-03", "2023-04", "2023-05"):
        rankings_compute(period=Period.parse(month))
    drafts = list(Circular.objects.filter(issuer=worked_example.county).order_by("period"))
    barrier = threading.Barrier(len(drafts))
    numbers, errors = [], []

    def run(circular):
        try:
            barrier.wait()
            numbers.append(circular_publish(circular=circular.pk, user=officer, today=JAN_2024).sequence)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3]
    assert CircularRegister.objects.get(issuer=worked_example.county, year=2024).last_number == 3
