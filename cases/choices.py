from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    FIRST = "first", _("一审")
    SECOND = "second", _("二审")
    RETRIAL = "retrial", _("再审")


class CaseType(models.TextChoices):
    FIRST = "行初", _("行初（行政一审）")
    COMPENSATION_FIRST = "行赔初", _("行赔初（行政赔偿一审）")
    SECOND = "行终", _("行终（行政二审）")
    COMPENSATION_SECOND = "行赔终", _("行赔终（行政赔偿二审）")
    RETRIAL = "行再", _("行再（行政再审）")
    RETRIAL_REVIEW = "行申", _("行申（行政申请再审审查）")


STAGE_OF_TYPE = {
    CaseType.FIRST: Stage.FIRST,
    CaseType.COMPENSATION_FIRST: Stage.FIRST,
    CaseType.SECOND: Stage.SECOND,
    CaseType.COMPENSATION_SECOND: Stage.SECOND,
    CaseType.RETRIAL: Stage.RETRIAL,
    CaseType.RETRIAL_REVIEW: Stage.RETRIAL,
}


class PlaintiffKind(models.TextChoices):
    PERSON = "person", _("公民")
    ENTERPRISE = "enterprise", _("法人（企业）")
    ORGANIZATION = "organization", _("其他组织")


class DefendantCapacity(models.TextChoices):
    ACTED = "acted", _("作出行政行为的机关")
    RECONSIDERATION = "reconsideration", _("复议机关（共同被告）")


class Outcome(models.TextChoices):
    REVOKED = "revoked", _("撤销")
    UNLAWFUL = "unlawful", _("确认违法")
    VOID = "void", _("确认无效")
    ORDERED_TO_PERFORM = "ordered_to_perform", _("责令履行")
    ORDERED_TO_PAY = "ordered_to_pay", _("给付")
    MODIFIED = "modified", _("变更")
    COMPENSATION = "compensation", _("赔偿/补偿")
    CLAIMS_DISMISSED = "claims_dismissed", _("驳回诉讼请求")
    SUIT_DISMISSED = "suit_dismissed", _("驳回起诉")
    WITHDRAWN = "withdrawn", _("撤诉")
    WITHDRAWN_AFTER_CHANGE = "withdrawn_after_change", _("被告改变行为后撤诉")
    SETTLED = "settled", _("和解撤诉")
    MEDIATED = "mediated", _("调解")
    TERMINATED = "terminated", _("终结")
    TRANSFERRED = "transferred", _("移送")


LOSS_OUTCOMES = (
    Outcome.REVOKED,
    Outcome.UNLAWFUL,
    Outcome.VOID,
    Outcome.ORDERED_TO_PERFORM,
    Outcome.ORDERED_TO_PAY,
    Outcome.MODIFIED,
    Outcome.COMPENSATION,
)
WIN_OUTCOMES = (Outcome.CLAIMS_DISMISSED, Outcome.SUIT_DISMISSED)


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    RESOLVED = "resolved", _("已化解")
    LITIGATED = "litigated", _("已进入诉讼")
