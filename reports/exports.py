"""Excel downloads of the dashboards' tables (openpyxl): Chinese headers, rates as percentages.

Each table is a `Sheet` of typed columns; rates are written as numbers (the exact fraction as a
float) formatted as percentages, so a spreadsheet can sum and sort them; null rates stay empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .dashboards import (
    Headline,
    MissedLine,
    RankingBlock,
    TrendMonth,
)
from .rankings import figure_value

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT, INT, RATE, CHANGE, DATE = "text", "int", "rate", "change", "date"
FORMATS = {INT: "0", RATE: "0.00%", CHANGE: "+0.00%;-0.00%;0.00%", DATE: "yyyy-mm-dd"}
HEADER_FILL = PatternFill("solid", fgColor="1F3D7A")
NAMED_FILL = PatternFill("solid", fgColor="FDECEC")
THIN = Side(style="thin", color="D9DEE7")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int = 12
    value: Callable[[Any], Any] = lambda row: row


@dataclass
class Sheet:
    title: str  # the sheet's tab (at most 31 characters)
    heading: str  # the first row: what the table is
    columns: Sequence[Column]
    rows: Sequence[Any]
    highlight: Callable[[Any], bool] = field(default=lambda row: False)


def _cell_value(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind in (RATE, CHANGE):
        return float(Fraction(figure_value(value)))
    return value


def workbook(sheets: Sequence[Sheet]) -> Workbook:
    """Row 1: the heading; row 2: the Chinese column headers; data from row 3 (frozen above)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.cell(row=1, column=1, value=sheet.heading).font = Font(bold=True, size=14)
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=2, column=index, value=column.header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(index)].width = column.width
        for offset, row in enumerate(sheet.rows):
            marked = sheet.highlight(row)
            for index, column in enumerate(sheet.columns, start=1):
                cell = ws.cell(
                    row=3 + offset, column=index, value=_cell_value(column.kind, column.value(row))
                )
                cell.border = Border(bottom=THIN)
                if column.kind in FORMATS:
                    cell.number_format = FORMATS[column.kind]
                if column.kind == TEXT:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if marked:
                    cell.fill = NAMED_FILL
        ws.freeze_panes = "A3"
        if sheet.rows:
            ws.auto_filter.ref = f"A2:{get_column_letter(len(sheet.columns))}{2 + len(sheet.rows)}"
    book.properties.creator = _("行政应诉工作平台")
    return book


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    buffer = BytesIO()
    workbook(sheets).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _generated() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


# ---- the tables ---------------------------------------------------------------------------------


def headline_sheets(head: Headline) -> list[Sheet]:
    """The 1+3 headline: one figure a row, with the counts it is made of."""
    rows = [*head.targets, *head.others]
    columns = [
        Column(_("指标"), width=28, value=lambda f: str(f.label)),
        Column(_("数值"), RATE, 12, lambda f: f.value),
        Column(_("目标"), RATE, 10, lambda f: Fraction(1) if f.spec.target else None),
        Column(_("分子"), INT, 10, lambda f: f.numerator),
        Column(_("分母"), INT, 10, lambda f: f.denominator),
        Column(_("说明"), width=48, value=lambda f: f.parts_text if f.value is not None else f.null_reason),
    ]
    extra = [
        (_("连续 100% 月数"), head.metrics.streak_months, _("个月")),
        (_("应出庭案件数"), head.metrics.obligations, _("件")),
        (_("新收案件数"), head.metrics.cases_filed, _("件")),
        (_("审结案件数"), head.metrics.concluded, _("件")),
        (_("改变行政行为后撤诉"), head.metrics.withdrawn_after_change, _("件")),
        (_("化解行政争议"), head.metrics.disputes_resolved, _("件")),
    ]
    counts = Sheet(
        title=_("数量"),
        heading=_("%(agency)s %(period)s 数量指标")
        % {"agency": head.agency.name, "period": head.period.label()},
        columns=[
            Column(_("指标"), width=28, value=lambda r: str(r[0])),
            Column(_("数量"), INT, 12, lambda r: r[1]),
            Column(_("单位"), width=8, value=lambda r: str(r[2])),
        ],
        rows=extra,
    )
    return [
        Sheet(
            title=_("1+3 指标"),
            heading=_("%(agency)s %(period)s 行政机关负责人出庭应诉“1+3”指标（导出于 %(at)s）")
            % {"agency": head.agency.name, "period": head.period.label(), "at": _generated()},
            columns=columns,
            rows=rows,
            highlight=lambda f: f.state == "bad",
        ),
        counts,
    ]


def trends_sheet(agency, series: Sequence[TrendMonth]) -> Sheet:
    m = lambda name: lambda t: getattr(t.metrics, name)  # noqa: E731
    return Sheet(
        title=_("月度趋势"),
        heading=_("%(agency)s 月度趋势 %(first)s 至 %(last)s")
        % {"agency": agency.name, "first": series[0].month, "last": series[-1].month}
        if series
        else agency.name,
        columns=[
            Column(_("月份"), width=10, value=lambda t: str(t.month)),
            Column(_("应出庭案件数"), INT, 12, m("obligations")),
            Column(_("负责人出庭数"), INT, 12, m("head_attended")),
            Column(_("出庭应诉率"), RATE, 12, m("attendance_rate")),
            Column(_("主要负责人出庭数"), INT, 14, m("principal_attended")),
            Column(_("主要负责人出庭占比"), RATE, 14, m("principal_share")),
            Column(_("出庭出声率"), RATE, 12, m("spoke_rate")),
            Column(_("新收案件数"), INT, 12, m("cases_filed")),
            Column(_("审结"), INT, 10, m("concluded")),
            Column(_("败诉"), INT, 10, m("lost")),
            Column(_("败诉率"), RATE, 10, m("loss_rate")),
        ],
        rows=list(reversed(series)),
        highlight=lambda t: t.metrics.attendance_rate is not None and t.metrics.attendance_rate < 1,
    )


def ranking_sheets(issuer, period, blocks: Sequence[RankingBlock]) -> list[Sheet]:
    sheets = []
    for block in blocks:
        f = lambda name: lambda line: line.figure(name)  # noqa: E731
        columns = [
            Column(_("名次"), INT, 8, lambda line: line.row.rank),
            Column(_("名次变化"), width=10, value=lambda line: line.change.symbol),
            Column(_("单位"), width=30, value=lambda line: line.agency.name),
            Column(_("应出庭案件数"), INT, 12, f("obligations")),
            Column(_("负责人出庭数"), INT, 12, f("head_attended")),
            Column(_("出庭应诉率"), RATE, 12, f("attendance_rate")),
            Column(_("主要负责人出庭数"), INT, 14, f("principal_attended")),
            Column(_("主要负责人出庭占比"), RATE, 14, f("principal_share")),
            Column(_("出庭出声率"), RATE, 12, f("spoke_rate")),
            Column(_("主要负责人出庭全覆盖"), RATE, 14, f("principal_coverage")),
            Column(_("审结"), INT, 8, f("concluded")),
            Column(_("败诉"), INT, 8, f("lost")),
            Column(_("败诉率"), RATE, 10, f("loss_rate")),
            Column(_("通报"), width=8, value=lambda line: _("通报") if line.row.named else ""),
        ]
        if block.with_interviews:
            columns.append(
                Column(_("约谈"), width=8, value=lambda line: _("约谈") if line.row.interview else "")
            )
        stale = _("（待重新计算）") if block.table.stale else ""
        sheets.append(
            Sheet(
                title=str(block.title),
                heading=_("%(issuer)s %(period)s %(title)s（计算于 %(at)s）%(stale)s")
                % {
                    "issuer": issuer.name,
                    "period": period.label(),
                    "title": block.title,
                    "at": timezone.localtime(block.table.computed_at).strftime("%Y-%m-%d %H:%M"),
                    "stale": stale,
                },
                columns=columns,
                rows=block.lines,
                highlight=lambda line: line.row.named,
            )
        )
    return sheets


def missed_sheet(agency, period, lines: Sequence[MissedLine]) -> Sheet:
    filed_label, not_filed_label = _("已提交书面说明"), _("未提交书面说明")
    head_required_label = _("（要求负责人出庭）")

    def absence_text(line):
        return "；".join(
            f"{a.get_reason_display()}（{filed_label if a.explanation_filed else not_filed_label}）"
            + (f"：{a.detail}" if a.detail else "")
            for a in line.absences
        )

    def held_text(line):
        return "\n".join(
            f"{h.hearing.date.isoformat()}{head_required_label if h.hearing.head_required else ''}："
            + ("、".join(h.people) or _("无人出庭"))
            for h in line.hearings
        )

    numbers = {id(line): index for index, line in enumerate(lines, start=1)}
    return Sheet(
        title=_("未出庭清单"),
        heading=_("%(agency)s %(period)s 负责人未出庭案件清单（共 %(n)s 件）")
        % {"agency": agency.name, "period": period.label(), "n": len(lines)},
        columns=[
            Column(_("序号"), INT, 6, lambda line: numbers[id(line)]),
            Column(_("被告机关"), width=26, value=lambda line: line.agency.name),
            Column(
                _("上级机关"),
                width=20,
                value=lambda line: line.agency.parent.name if line.agency.parent_id else "",
            ),
            Column(_("案号"), width=26, value=lambda line: line.case.number),
            Column(_("法院"), width=22, value=lambda line: line.case.court.name),
            Column(_("应出庭日期"), DATE, 12, lambda line: line.date),
            Column(
                _("开庭日期"),
                width=22,
                value=lambda line: "、".join(h.hearing.date.isoformat() for h in line.hearings),
            ),
            Column(_("各次开庭出庭情况"), width=48, value=held_text),
            Column(
                _("实际出庭人员"), width=32, value=lambda line: "、".join(line.stand_ins) or _("无人出庭")
            ),
            Column(_("备案出庭负责人"), width=14, value=lambda line: "、".join(line.filed)),
            Column(_("未出庭事由"), width=40, value=absence_text),
        ],
        rows=list(lines),
    )
