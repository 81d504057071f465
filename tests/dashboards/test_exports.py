"""Every dashboard table downloads as Excel with Chinese headers, rates as percentages."""

from fractions import Fraction
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.periods import Period
from reports.services import rankings_compute

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, name, **params):
    response = client.get(reverse(name), {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    return load_workbook(BytesIO(response.content))


def table(ws) -> tuple[list, list[list]]:
    """Row 1 is the heading, row 2 the headers, data below."""
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    return rows[0], rows[1:]


def cell(ws, row_index: int, header: str):
    headers = [c.value for c in ws[2]]
    return ws.cell(row=3 + row_index, column=headers.index(header) + 1)


def test_headline_export(client, officer):
    client.force_login(officer)
    book = download(client, "home", period="2023-03")
    ws = book["1+3 指标"]
    assert "C县人民政府" in ws["A1"].value and "2023年3月" in ws["A1"].value
    headers, rows = table(ws)
    assert headers == ["指标", "数值", "目标", "分子", "分母", "说明"]
    by_name = {r[0]: r for r in rows}
    attendance = by_name["出庭应诉率"]
    assert attendance[1] == pytest.approx(2 / 3) and attendance[2] == 1 and attendance[3:5] == [2, 3]
    assert cell(ws, [r[0] for r in rows].index("出庭应诉率"), "数值").number_format == "0.00%"
    assert by_name["主要负责人出庭全覆盖"][1] == pytest.approx(0.5)
    assert by_name["败诉率"][1] is None and "没有审结" in by_name["败诉率"][5]
    counts = {r[0]: r[1] for r in table(book["数量"])[1]}
    assert counts["应出庭案件数"] == 3


def test_rankings_export(client, officer, worked_example):
    rankings_compute(period=Period.parse("2023-03"))
    client.force_login(officer)
    ws = download(client, "dashboard-rankings", period="2023-03")["部门排名"]
    headers, rows = table(ws)
    assert headers[:6] == ["名次", "名次变化", "单位", "应出庭案件数", "负责人出庭数", "出庭应诉率"]
    assert "通报" in headers and "主要负责人出庭占比" in headers and "败诉率" in headers
    named = headers.index("通报")
    assert [(r[0], r[2], r[5], r[named]) for r in rows] == [(1, "D1局", 1, None), (2, "D2局", 0, "通报")]
    assert cell(ws, 0, "出庭应诉率").number_format == "0.00%"
    assert cell(ws, 0, "主要负责人出庭占比").value == pytest.approx(float(Fraction(1, 2)))


def test_rankings_export_before_any_computation_explains(client, officer):
    client.force_login(officer)
    response = client.get(reverse("dashboard-rankings"), {"period": "2023-03", "format": "xlsx"}, follow=True)
    assert "本期排名尚未计算，没有可导出的表格" in response.content.decode()


def test_missed_export(client, officer, worked_example):
    client.force_login(officer)
    ws = download(client, "dashboard-missed", period="2023-03")["未出庭清单"]
    headers, rows = table(ws)
    assert headers[:6] == ["序号", "被告机关", "上级机关", "案号", "法院", "应出庭日期"]
    assert "实际出庭人员" in headers and "未出庭事由" in headers
    assert len(rows) == 1
    row = dict(zip(headers, rows[0], strict=True))
    assert row["被告机关"] == "D2局" and row["上级机关"] == "C县人民政府"
    assert row["案号"] == worked_example.k1.number and row["实际出庭人员"] == "赵科员（工作人员）"
    assert row["应出庭日期"].date().isoformat() == "2023-03-10"
    assert row["各次开庭出庭情况"] == "2023-03-10：赵科员（工作人员）"


def test_trends_export(client, officer):
    client.force_login(officer)
    ws = download(client, "dashboard-trends", period="2023-06")["月度趋势"]
    headers, rows = table(ws)
    assert headers[:4] == ["月份", "应出庭案件数", "负责人出庭数", "出庭应诉率"]
    assert len(rows) == 36 and rows[0][0] == "2023-06"
    march = next(r for r in rows if r[0] == "2023-03")
    assert march[1:4] == [3, 2, pytest.approx(2 / 3)]
    assert march[headers.index("主要负责人出庭占比")] == pytest.approx(0.5)
