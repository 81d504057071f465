"""An officer watches the figures, drills down to a missed hearing and publishes a circular, in a
real browser, and gets a PDF a person can read."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from reports.circulars import Circular
from reports.periods import Period
from reports.services import rankings_compute_many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_drills_down_publishes_and_downloads_the_pdf(
    page, live_server, log_in, screenshot, officer, worked_example, tmp_path
):
    ex = worked_example
    rankings_compute_many(periods=[Period.parse("2023-03"), Period.parse("2023")])

    log_in(officer, next="/")
    page.get_by_label("期间", exact=True).select_option("2023")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("body")).to_contain_text("66.67%")  # C's attendance rate in 2023 (2 of 3)
    screenshot("browser-officer-home-2023")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="排名").click()
    page.get_by_label("期间", exact=True).select_option("2023")
    page.get_by_role("button", name="查看").click()
    row = page.get_by_role("row", name=re.compile(ex.d2.name))
    expect(row).to_contain_text("0%")
    screenshot("browser-officer-rankings-2023")
    row.get_by_role("link", name=re.compile("未出庭")).click()

    expect(page.locator("body")).to_contain_text(ex.k1.number)
    page.get_by_role("link", name="2023-03-10").first.click()
    expect(page.locator("h1")).to_contain_text(ex.k1.number)
    expect(page.locator("body")).to_contain_text(ex.d2_staff.name)  # who came instead of a head

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="通报").click()
    page.get_by_role("link", name=re.compile("2023年3月")).first.click()
    expect(page.locator("body")).to_contain_text("草稿")
    screenshot("browser-officer-circular-draft")
    page.get_by_role("link", name="发布…").click()
    page.get_by_role("button", name="确认发布").click()
    circular = Circular.objects.get(issuer=ex.county, period="2023-03", revision=1)
    assert circular.number, "publication takes the next number of the issuer's register"
    expect(page.locator("body")).to_contain_text(circular.number)
    expect(page.locator("body")).to_contain_text("已发布")
    screenshot("browser-officer-circular-published")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "circular.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert circular.number in text.replace(" ", "")
        assert ex.d2.name in text  # named in the circular
    assert not page.console_errors, page.console_errors
