"""The circular as documents: the PDF after GB/T 9704-2012 checked with poppler-utils (and page 1
kept as a PNG in artifacts/ for a person to look at), and the XLSX of its tables."""

import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.circular_models import Circular
from reports.circulars import circular_content, circular_revise
from reports.documents import circular_pdf, circular_xlsx, percent, title_lines
from reports.fonts import cjk_font_families
from reports.periods import Period
from reports.services import rankings_compute

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))
# CI installs poppler-utils and a CJK font (.ci/run), so there these tests run, never skip.
needs_tools = pytest.mark.skipif(
    not (POPPLER and cjk_font_families()) and not os.environ.get("CI"),
    reason="needs poppler-utils and a CJK font (apt-get install poppler-utils fonts-wqy-microhei)",
)


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture
def pdf_file(draft, publish, tmp_path):
    published = publish(draft, today=datetime.date(2023, 4, 3))
    path = tmp_path / "circular.pdf"
    path.write_bytes(circular_pdf(published))
    return published, path


def test_rates_read_as_a_circular_writes_them():
    assert percent("2/3") == "66.67%" and percent("1/1") == "100%" and percent("1/2") == "50%"
    assert percent("4046/10000") == "40.46%" and percent(None) == "—"


def test_long_titles_break_between_phrases():
    lines = title_lines("聊城市人民政府关于2023年3月份行政机关负责人出庭应诉情况的通报")
    assert lines == ["聊城市人民政府关于2023年3月份", "行政机关负责人出庭应诉情况的通报"]


@needs_tools
def test_pdf_has_title_number_and_an_embedded_cjk_font(pdf_file):
    published, path = pdf_file
    text = re.sub(r"\s+", "", _run("pdftotext", str(path), "-"))
    assert "C县人民政府文件" in text
    assert published.number == "C政通〔2023〕1号" and published.number in text
    assert re.sub(r"\s+", "", published.title) in text
    assert "D2局出庭应诉率未达到100%，予以通报批评" in text
    assert "2023年4月3日" in text and "—1—" in text  # 成文日期 and the page number
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    cjk = [
        line
        for line in fonts
        if any(f.replace(" ", "") in line.replace("-", "") for f in cjk_font_families())
    ]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), "emb column"  # embedded
    assert "A4" in _run("pdfinfo", str(path)) or "595.28 x 841.89" in _run("pdfinfo", str(path))


@needs_tools
def test_pdf_page_one_rendered_for_a_person_to_look_at(pdf_file):
    _published, path = pdf_file
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "circular-page"
    _run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(prefix))
    png = next(ARTIFACTS.glob("circular-page*1.png"))
    assert png.stat().st_size > 5000  # a page with a red mark, a title and text, not a blank one


@needs_tools
def test_a_draft_pdf_says_draft_and_has_no_number_yet(draft, tmp_path):
    path = tmp_path / "draft.pdf"
    path.write_bytes(circular_pdf(draft))
    text = _run("pdftotext", str(path), "-")
    assert "草" in text and "稿" in text  # the watermark, drawn at an angle on every page
    assert re.search(r"C政通〔\d{4}〕\s*号", text)  # the number is left blank until publication


@needs_tools
def test_quarterly_circular_has_the_interview_list(computed, officer, publish, tmp_path):
    rankings_compute(period=Period.parse("2023-Q1"))
    quarterly = Circular.objects.get(issuer=computed.county, period="2023-Q1")
    assert quarterly.kind == "quarterly"
    (entry,) = circular_content(quarterly)["interviews"]
    assert entry["agency_name"] == "D2局" and entry["principal"]["name"] == "王局长"
    path = tmp_path / "q.pdf"
    path.write_bytes(circular_pdf(publish(quarterly)))
    text = re.sub(r"\s+", "", _run("pdftotext", str(path), "-"))
    assert "约谈" in text and "王局长" in text and "2023年第一季度" in text


@needs_tools
def test_a_correction_names_the_circular_it_corrects(draft, publish, officer, tmp_path):
    published = publish(draft)
    path = tmp_path / "c.pdf"
    path.write_bytes(circular_pdf(circular_revise(circular=published, user=officer)))
    text = re.sub(r"\s+", "", _run("pdftotext", str(path), "-"))
    assert f"本通报更正{published.number}" in text


def test_xlsx_opens_with_chinese_headers_and_percentages(draft, publish):
    published = publish(draft)
    wb = load_workbook(io.BytesIO(circular_xlsx(published)))
    assert wb.sheetnames[:3] == ["通报", "汇总指标", "排名-政府工作部门"]
    ranking = wb["排名-政府工作部门"]
    headers = [c.value for c in ranking[1]]
    assert headers[:5] == ["名次", "单位", "应出庭应诉案件数", "负责人出庭数", "出庭应诉率"]
    rows = [[c.value for c in row] for row in ranking.iter_rows(min_row=2)]
    assert [r[:5] for r in rows] == [[1, "D1局", 2, 2, 1.0], [2, "D2局", 1, 0, 0.0]]
    assert ranking.cell(row=2, column=5).number_format == "0.00%"
    summary = {row[0].value: row[1] for row in wb["汇总指标"].iter_rows(min_row=2)}
    assert summary["出庭应诉率"].value == 0.6667 and summary["出庭应诉率"].number_format == "0.00%"
    missed = wb["负责人未出庭案件"]
    assert [c.value for c in missed[1]][:2] == ["被告机关", "案号"]
    assert missed.cell(row=2, column=2).value == "（2023）鲁1502行初1号"
    assert wb["通报"]["B1"].value == published.number
