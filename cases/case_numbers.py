"""案号 parsing: （YYYY）court code + type + sequence + 号, e.g. （2023）鲁1502行初123号."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import STAGE_OF_TYPE, CaseType, Stage

_TYPES = "|".join(sorted((t.value for t in CaseType), key=len, reverse=True))
_PATTERN = re.compile(
    rf"^[（(](?P<year>\d{{4}})[）)](?P<court>[\u4e00-\u9fff]{{1,3}}?\d{{0,4}})(?P<type>{_TYPES})(?P<seq>[1-9]\d*)号$"
)


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    case_type: CaseType
    sequence: int

    @property
    def stage(self) -> Stage:
        return STAGE_OF_TYPE[self.case_type]

    def __str__(self) -> str:
        return f"（{self.year}）{self.court_code}{self.case_type.value}{self.sequence}号"


def parse_case_number(raw: str) -> CaseNumber:
    """Parse and normalise a 案号; raises ValidationError naming what is wrong."""
    text = (raw or "").strip().replace(" ", "")
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            _(
                "案号格式不正确：应为“（年份）法院代字+类型+序号+号”，如（2023）鲁1502行初123号；"
                "类型为行初、行赔初、行终、行赔终、行再或行申，序号不以0开头。"
            ),
            code="invalid_case_number",
        )
    year = int(match["year"])
    if not 1990 <= year <= 2100:
        raise ValidationError(
            _("案号年份 %(year)s 不在合理范围内。") % {"year": year}, code="invalid_case_number"
        )
    return CaseNumber(
        year=year, court_code=match["court"], case_type=CaseType(match["type"]), sequence=int(match["seq"])
    )
