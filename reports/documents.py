"""A circular as a document: HTML (the preview), PDF laid out after GB/T 9704-2012 (WeasyPrint),
and XLSX of its tables (openpyxl).

Layout (GB/T 9704-2012): A4; margins 37 mm top, 35 mm bottom, 28 mm left (订口), 26 mm right, so the
版心 is 156 × 225 mm; the issuer mark (发文机关标志) in red, centred, 35 mm below the top of the
版心; the number (发文字号) two lines below it, centred; a red separator line 4 mm below the number;
the title in 2号 (22 pt) bold two lines below the line; the body in 3号 (16 pt), 22 lines a page;
page numbers "— 1 —" in 4号 (14 pt) 7 mm below the 版心, odd pages right, even pages left.
The fonts are those fontconfig has (reports.fonts); WeasyPrint embeds the subsets it uses.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from fractions import Fraction

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from agencies.choices import AgencyKind, PositionRole
from hearings.choices import AbsenceReason, ExternalCapacity

from .circular_models import Circular, CircularKind
from .circulars import circular_content, issuer_level, issuer_prefix, period_phrase
from .fonts import cjk_font_families
from .periods import Period

# ---- fonts --------------------------------------------------------------------------------------

# Preferred faces, most official first; whichever are installed come first in each stack.
_BODY = ["FangSong", "FangSong_GB2312", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"]
_HEADING = [
    "SimHei",
    "黑体",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
]
_TITLE = [
    "FZXiaoBiaoSong-B05S",
    "方正小标宋简体",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "宋体",
]


def _stack(preferred: list[str], generic: str, *, installed_only: bool) -> str:
    installed = [f for f in cjk_font_families() if "Mono" not in f]
    first = [f for f in preferred if f in installed]
    rest = [f for f in installed if f not in first]
    names = first + ([] if installed_only else [f for f in preferred if f not in first]) + rest
    # The names go into a <style> block unescaped: keep only what a family name needs.
    clean = [re.sub(r"[^\w \-\u2e80-\uffff]", "", n) for n in names]
    return ", ".join([*(f'"{n}"' for n in clean if n), generic])


def font_stacks(*, for_pdf: bool) -> dict[str, str]:
    return {
        "body": _stack(_BODY, "serif", installed_only=for_pdf),
        "heading": _stack(_HEADING, "sans-serif", installed_only=for_pdf),
        "title": _stack(_TITLE, "serif", installed_only=for_pdf),
    }


# ---- formatting ---------------------------------------------------------------------------------


def _fraction(value) -> Fraction | None:
    if value is None:
        return None
    return Fraction(value) if isinstance(value, str) else Fraction(value)


def percent(value, places: int = 2) -> str:
    """A rate as a circular writes it: 2/3 → 66.67%, 1 → 100%, 1/2 → 50%; null → —."""
    frac = _fraction(value)
    if frac is None:
        return "—"
    scaled = round(frac * 100, places)  # half to even, on the exact fraction
    text = f"{float(scaled):.{places}f}".rstrip("0").rstrip(".")
    return f"{text}%"


def rate_float(value) -> float | None:
    """A rate as a spreadsheet number (formatted as a percentage), rounded to 4 places."""
    frac = _fraction(value)
    return None if frac is None else float(round(frac, 4))


def text_width(text: str) -> float:
    """Approximate width in ems: CJK characters 1, others about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def date_text(date) -> str:
    """成文日期 (GB/T 9704-2012 §7.3.5.1): Arabic numerals, full year, no padding: 2023年4月3日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _month_day(iso: str) -> str:
    _year, month, day = (int(part) for part in iso.split("-"))
    return f"{month}月{day}日"


_TITLE_BREAKS = ("人民政府", "司法局", "办公室", "关于", "月份", "季度", "年度", "负责人", "情况", "工作")
TITLE_LINE_EMS = 19.5  # 156 mm at 22 pt
TITLE_LINE_HEIGHT = 32.0  # pt


def title_lines(title: str, max_width: float = TITLE_LINE_EMS) -> list[str]:
    """Break a long title where a reader would (after the issuer, 关于…, 负责人…), into the fewest
    lines that fit, as even as possible, longer lines below (梯形, GB/T 9704-2012 §7.3.1)."""
    if text_width(title) <= max_width:
        return [title]
    cuts = sorted(
        {
            m.end()
            for word in _TITLE_BREAKS
            for m in re.finditer(re.escape(word), title)
            if 0 < m.end() < len(title)
        }
    )
    for n in range(2, 5):
        best, best_score = None, None
        for combo in itertools.combinations(cuts, n - 1):
            bounds = [0, *combo, len(title)]
            parts = [title[a:b] for a, b in itertools.pairwise(bounds)]
            widths = [text_width(p) for p in parts]
            if max(widths) > max_width:
                continue
            score = (max(widths) - min(widths), widths != sorted(widths))
            if best_score is None or score < best_score:
                best, best_score = parts, score
        if best:
            return best
    return [title]


def _signature_block(signature: str, date: str) -> dict[str, float]:
    """Right paddings (ems) of 署名 and 成文日期 (GB/T 9704-2012 §7.3.5.2, unsealed): the signature
    2 characters from the right, the date starting 2 characters right of the signature's start; a
    longer date stays 2 characters from the right and moves the signature left."""
    sw, dw = text_width(signature), text_width(date)
    sig_pad = 2 + max(0.0, dw + 2 - sw)
    return {"signature_pad": round(sig_pad, 2), "date_pad": round(sig_pad + sw - 2 - dw, 2)}


_CN_NUMERALS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    return _CN_NUMERALS[n - 1] if 1 <= n <= 10 else str(n)


def member_kind_label(kind: str) -> str:
    return {
        AgencyKind.GOVERNMENT: _("县（市、区）人民政府"),
        AgencyKind.TOWNSHIP: _("乡镇人民政府（街道办事处）"),
        AgencyKind.DEPARTMENT: _("政府工作部门"),
    }.get(kind, str(kind))


def _person_label(person: dict) -> str:
    name = person.get("name") or "—"
    role = person.get("role")
    if role and role != "external":
        label = {
            PositionRole.PRINCIPAL: _("主要负责人"),
            PositionRole.DEPUTY: _("副职负责人"),
            PositionRole.OTHER_HEAD: _("分管负责人"),
            PositionRole.STAFF: _("工作人员"),
        }.get(role, "")
    else:
        label = (
            ExternalCapacity(person["capacity"]).label
            if person.get("capacity") in ExternalCapacity.values
            else ""
        )
    return f"{name}（{label}）" if label else name


def _absence_label(absence: dict | None) -> str:
    if not absence:
        return _("未提交情况说明")
    reason = AbsenceReason(absence["reason"]).label if absence.get("reason") in AbsenceReason.values else ""
    filed = _("，已提交书面说明") if absence.get("explanation_filed") else _("，未提交书面说明")
    return f"{reason}{filed}"


# ---- the document's context --------------------------------------------------------------------

RANKING_COLUMNS = (
    ("obligations", gettext_lazy("应出庭应诉案件数"), "count"),
    ("head_attended", gettext_lazy("负责人出庭数"), "count"),
    ("attendance_rate", gettext_lazy("出庭应诉率"), "rate"),
    ("principal_share", gettext_lazy("主要负责人出庭占比"), "rate"),
    ("spoke_rate", gettext_lazy("出庭出声率"), "rate"),
    ("loss_rate", gettext_lazy("败诉率"), "rate"),
)

SUMMARY_ROWS = (
    ("obligations", gettext_lazy("应出庭应诉案件数"), "count"),
    ("head_attended", gettext_lazy("负责人出庭应诉数"), "count"),
    ("attendance_rate", gettext_lazy("出庭应诉率"), "rate"),
    ("principal_attended", gettext_lazy("主要负责人出庭数"), "count"),
    ("principal_share", gettext_lazy("主要负责人出庭占比"), "rate"),
    ("spoke_rate", gettext_lazy("出庭出声率"), "rate"),
    ("principal_coverage", gettext_lazy("主要负责人出庭全覆盖率"), "rate"),
    ("streak_months", gettext_lazy("连续100%月数"), "count"),
    ("active_agencies", gettext_lazy("单位数"), "count"),
    ("observation_coverage", gettext_lazy("庭审观摩覆盖率"), "rate"),
    ("training_coverage", gettext_lazy("法治培训覆盖率"), "rate"),
    ("cases_filed", gettext_lazy("新收行政诉讼案件数"), "count"),
    ("cases_filed_prev_year", gettext_lazy("上年同期新收案件数"), "count"),
    ("case_volume_change", gettext_lazy("案件量同比变化"), "rate"),
    ("concluded", gettext_lazy("审结数"), "count"),
    ("lost", gettext_lazy("败诉数"), "count"),
    ("loss_rate", gettext_lazy("败诉率"), "rate"),
    ("withdrawn_after_change", gettext_lazy("被告改变行为后撤诉数"), "count"),
    ("disputes_resolved", gettext_lazy("化解行政争议数"), "count"),
    ("disputes_head_share", gettext_lazy("负责人参与化解占比"), "rate"),
)


def _overview(c: Circular, period: Period, s: dict) -> list[str]:
    scope = _("全%(level)s") % {"level": issuer_level(c.issuer)} if issuer_level(c.issuer) else ""
    when = period_phrase(period)
    if not s.get("obligations"):
        first = _("%(when)s，%(scope)s无应出庭应诉案件。") % {"when": when, "scope": scope}
    else:
        first = _(
            "%(when)s，%(scope)s共有应出庭应诉案件%(n)s件（按案件和被告机关计算，下同），"
            "行政机关负责人出庭应诉%(ha)s件，出庭应诉率为%(rate)s；其中主要负责人出庭%(pa)s件，"
            "占负责人出庭应诉案件的%(share)s；负责人出庭出声率为%(spoke)s。"
            "有应诉案件的%(ob)s个单位中，%(cov)s个单位主要负责人出庭应诉，主要负责人出庭全覆盖率为%(coverage)s。"
        ) % {
            "when": when,
            "scope": scope,
            "n": s.get("obligations", 0),
            "ha": s.get("head_attended", 0),
            "rate": percent(s.get("attendance_rate")),
            "pa": s.get("principal_attended", 0),
            "share": percent(s.get("principal_share")),
            "spoke": percent(s.get("spoke_rate")),
            "ob": s.get("obligated_agencies", 0),
            "cov": s.get("covered_agencies", 0),
            "coverage": percent(s.get("principal_coverage")),
        }
        if s.get("streak_months"):
            first += _("出庭应诉率已连续%(n)s个月保持100%%。") % {"n": s["streak_months"]}
    change = _fraction(s.get("case_volume_change"))
    if change is None:
        volume = _("新收行政诉讼案件%(n)s件") % {"n": s.get("cases_filed", 0)}
    else:
        volume = _("新收行政诉讼案件%(n)s件，同比%(dir)s%(pct)s") % {
            "n": s.get("cases_filed", 0),
            "dir": _("上升") if change > 0 else (_("下降") if change < 0 else _("持平")),
            "pct": percent(abs(change)) if change else "",
        }
    parts = [
        _("庭审观摩覆盖率为%(obs)s，法治培训覆盖率为%(tr)s。")
        % {"obs": percent(s.get("observation_coverage")), "tr": percent(s.get("training_coverage"))},
        volume + ("；" if s.get("concluded") else "，"),
    ]
    if s.get("concluded"):
        parts.append(
            _("审结%(concluded)s件，其中败诉%(lost)s件，败诉率为%(loss)s。")
            % {"concluded": s["concluded"], "lost": s.get("lost", 0), "loss": percent(s.get("loss_rate"))}
        )
    else:
        parts.append(_("本期无审结案件。"))
    if s.get("disputes_resolved"):
        parts.append(
            _("化解行政争议%(n)s件，其中负责人参与化解的占%(share)s。")
            % {"n": s["disputes_resolved"], "share": percent(s.get("disputes_head_share"))}
        )
    second = "".join(parts)
    return [first, second]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


DOCUMENT_LANGUAGE = "zh-hans"  # an official document is Chinese whatever the reader's UI language


def document_context(c: Circular, *, for_pdf: bool = False) -> dict:
    """Everything the document template shows, from the circular's texts and content
    (circular_content: frozen once published, read when shown while a draft)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _document_context(c, for_pdf=for_pdf)


def _document_context(c: Circular, *, for_pdf: bool) -> dict:
    content = circular_content(c)
    period = Period.parse(c.period)
    summary = content.get("summary") or {}
    sections = []

    sections.append({"heading": _("总体情况"), "paragraphs": _overview(c, period, summary)})

    tables = []
    for i, table in enumerate(content.get("rankings", []), start=1):
        rows = [
            {
                "rank": r["rank"] if r["rank"] is not None else "—",
                "name": r["agency_name"],
                "named": r["named"],
                "cells": [
                    (percent(r["figures"].get(key)) if kind == "rate" else r["figures"].get(key, 0))
                    for key, _label, kind in RANKING_COLUMNS
                ],
            }
            for r in table["rows"]
        ]
        tables.append({"heading": f"（{_cn(i)}）{member_kind_label(table['kind'])}", "rows": rows})
    sections.append(
        {
            "heading": _("排名情况"),
            "paragraphs": [
                _(
                    "按出庭应诉率、主要负责人出庭占比由高到低，败诉率由低到高排序；本期无应出庭应诉案件的单位列于表末，不参与排名。"
                )
            ],
            "tables": tables,
        }
    )

    named = content.get("named", [])
    if named:
        names = "、".join(n["agency_name"] for n in named)
        named_text = _(
            "%(names)s出庭应诉率未达到100%%，予以通报批评。请被通报单位认真分析原因，切实整改。"
        ) % {"names": names}
    else:
        named_text = _("本期各单位出庭应诉率均达到100%，无被通报批评单位。")
    sections.append({"heading": _("通报批评"), "paragraphs": [named_text]})

    missed = [
        {
            "agency": m["agency_name"],
            "case_number": m["case_number"],
            "court": m.get("court_name", ""),
            "date": _month_day(m["date"]),
            "appeared": "、".join(_person_label(p) for p in m.get("appeared", [])) or _("无人出庭"),
            "absence": _absence_label(m.get("absence")),
        }
        for m in content.get("missed", [])
    ]
    sections.append(
        {
            "heading": _("负责人未出庭应诉案件"),
            "paragraphs": [
                _("本期负责人未出庭应诉案件%(n)s件，具体如下：") % {"n": len(missed)}
                if missed
                else _("本期无负责人未出庭应诉案件。")
            ],
            "missed": missed,
        }
    )

    if c.kind != CircularKind.MONTHLY:
        interviews = []
        no_head = _("无负责人")
        for entry in content.get("interviews", []):
            principal = entry.get("principal") or {}
            interviews.append(
                {
                    "agency": entry["agency_name"],
                    "principal": principal.get("name") or _("（空缺）"),
                    "missed": [
                        f"{m['case_number']}（{m['agency_name']}，{(m.get('head') or {}).get('name') or no_head}）"
                        for m in entry.get("missed", [])
                    ],
                }
            )
        sections.append(
            {
                "heading": _("约谈"),
                "paragraphs": [
                    _("对被通报批评单位的主要负责人进行约谈，未出庭应诉案件的责任负责人一并参加：")
                    if interviews
                    else _("本期无约谈单位。")
                ],
                "interviews": interviews,
            }
        )

    if not content.get("rankings"):
        # A draft whose issuer has no stored ranking (yet, or any more): no figures to state.
        sections = [{"heading": _("总体情况"), "paragraphs": [_("本期尚无排名数据。")]}]
    sections.append({"heading": _("工作要求"), "paragraphs": _paragraphs(c.requirements)})
    for i, section in enumerate(sections, start=1):
        section["number"] = f"{_cn(i)}、"

    if c.is_published:
        number = c.number
        date = c.document_date
    else:
        date = timezone.localdate()
        number = f"{issuer_prefix(c.issuer)}〔{date.year}〕　号"
    dtext = date_text(date)
    mark_size = round(min(44.0, 420.0 / (text_width(c.mark) or 1)), 1)
    lines = title_lines(c.title)
    return {
        "c": c,
        "for_pdf": for_pdf,
        "fonts": font_stacks(for_pdf=for_pdf),
        # The mark and the title are drawn as SVG text with a stroke: a bold 小标宋-like weight even
        # from a font that has no bold face (WeasyPrint does not embolden); still text in the PDF.
        "mark_size": mark_size,
        "mark_box": round(mark_size * 1.2, 1),
        "mark_baseline": round(mark_size * 0.95, 1),
        "mark_stroke": round(mark_size / 36, 2),
        "number": number,
        "title_svg": (
            {
                "box": round(len(lines) * TITLE_LINE_HEIGHT + 6, 1),
                "lines": [
                    {"text": line, "y": round(22 + i * TITLE_LINE_HEIGHT, 1)} for i, line in enumerate(lines)
                ],
            }
            if all(text_width(line) <= TITLE_LINE_EMS for line in lines)
            else None
        ),
        "supersedes": c.supersedes if c.supersedes_id else None,
        "addressee": c.addressee,
        "opening": _paragraphs(c.opening),
        "sections": sections,
        "ranking_columns": [str(label) for _key, label, _kind in RANKING_COLUMNS],
        "signature": c.signature,
        "date_text": dtext,
        **_signature_block(c.signature, dtext),
        "draft": not c.is_published,
        "has_tables": bool(content.get("rankings")),
    }


def circular_html(c: Circular, *, for_pdf: bool = False) -> str:
    """The standalone HTML document (what the PDF is made from)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("reports/circulars/document.html", document_context(c, for_pdf=for_pdf))


def circular_pdf(c: Circular) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per step
    from weasyprint import HTML  # heavy: loaded only when a PDF is made

    return HTML(string=circular_html(c, for_pdf=True), base_url=None).write_pdf()


def document_filename(c: Circular, extension: str) -> str:
    stem = c.number or f"{c.title}（草稿）"
    return f"{stem}.{extension}"


# ---- XLSX ---------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F7")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
PERCENT_FORMAT = "0.00%"


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list], rate_columns=()) -> None:
    ws = wb.create_sheet(title=str(title)[:31])
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.border = _BORDER
            if cell.column - 1 in rate_columns:
                cell.number_format = PERCENT_FORMAT
    for index, header in enumerate(headers, start=1):
        values = [header] + [str(r[index - 1]) for r in rows if r[index - 1] is not None]
        ws.column_dimensions[get_column_letter(index)].width = min(
            60, max(8, *(text_width(v) * 2 + 2 for v in values))
        )
    ws.freeze_panes = "A2"


def circular_xlsx(c: Circular) -> bytes:
    """The circular's tables: 汇总 (the issuer's figures), one sheet per ranking, 通报批评,
    未出庭案件 and, in quarterly and annual circulars, 约谈名单. Rates are numbers shown as %."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _circular_xlsx(c)


def _circular_xlsx(c: Circular) -> bytes:
    content = circular_content(c)
    wb = Workbook()
    info = wb.active
    info.title = _("通报")
    for label, value in (
        (_("发文字号"), c.number or _("（草稿，未编号）")),
        (_("标题"), c.title),
        (_("期间"), c.period),
        (_("发文机关"), c.signature),
        (_("成文日期"), date_text(c.document_date) if c.document_date else ""),
        (_("版次"), c.revision),
    ):
        info.append([label, value])
    for cell in info["A"]:
        cell.font = _HEADER_FONT
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 70

    summary = content.get("summary") or {}
    _sheet(
        wb,
        _("汇总指标"),
        [_("指标"), _("数值")],
        [
            [str(label), rate_float(summary.get(key)) if kind == "rate" else summary.get(key, 0)]
            for key, label, kind in SUMMARY_ROWS
        ],
    )
    ws = wb[_("汇总指标")]
    for (_key, _label, kind), row in zip(SUMMARY_ROWS, ws.iter_rows(min_row=2), strict=True):
        if kind == "rate":
            row[1].number_format = PERCENT_FORMAT

    rate_indexes = {i + 2 for i, (_k, _l, kind) in enumerate(RANKING_COLUMNS) if kind == "rate"}
    for table in content.get("rankings", []):
        _sheet(
            wb,
            _("排名-%(kind)s") % {"kind": member_kind_label(table["kind"])},
            [
                _("名次"),
                _("单位"),
                *[str(label) for _k, label, _kind in RANKING_COLUMNS],
                _("通报批评"),
                _("约谈"),
            ],
            [
                [
                    r["rank"],
                    r["agency_name"],
                    *[
                        rate_float(r["figures"].get(key)) if kind == "rate" else r["figures"].get(key, 0)
                        for key, _label, kind in RANKING_COLUMNS
                    ],
                    _("是") if r["named"] else "",
                    _("是") if r["interview"] else "",
                ]
                for r in table["rows"]
            ],
            rate_columns=rate_indexes,
        )
    _sheet(
        wb,
        _("通报批评"),
        [_("单位"), _("应出庭应诉案件数"), _("负责人出庭数"), _("出庭应诉率")],
        [
            [
                n["agency_name"],
                n.get("obligations"),
                n.get("head_attended"),
                rate_float(n.get("attendance_rate")),
            ]
            for n in content.get("named", [])
        ],
        rate_columns={3},
    )
    _sheet(
        wb,
        _("负责人未出庭案件"),
        [_("被告机关"), _("案号"), _("审理法院"), _("首次开庭日期"), _("出庭人员"), _("未出庭说明")],
        [
            [
                m["agency_name"],
                m["case_number"],
                m.get("court_name", ""),
                m["date"],
                "、".join(_person_label(p) for p in m.get("appeared", [])) or _("无人出庭"),
                _absence_label(m.get("absence")),
            ]
            for m in content.get("missed", [])
        ],
    )
    if c.kind != CircularKind.MONTHLY:
        rows = []
        for entry in content.get("interviews", []):
            principal = (entry.get("principal") or {}).get("name") or ""
            for m in entry.get("missed") or [{}]:
                rows.append(
                    [
                        entry["agency_name"],
                        principal,
                        m.get("case_number", ""),
                        m.get("agency_name", ""),
                        (m.get("head") or {}).get("name", ""),
                    ]
                )
        _sheet(
            wb,
            _("约谈名单"),
            [_("单位"), _("主要负责人"), _("未出庭案件"), _("被告机关"), _("责任负责人")],
            rows,
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
