from django.db import models
from django.utils.translation import gettext_lazy as _


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待开庭")
    HELD = "held", _("已开庭")
    CANCELLED = "cancelled", _("已取消")
    POSTPONED = "postponed", _("已延期")


class ExternalCapacity(models.TextChoices):
    STAFF = "staff", _("工作人员")
    LAWYER = "lawyer", _("律师")
    OTHER = "other", _("其他")


class AbsenceReason(models.TextChoices):
    """The four reasons the SPC 2020 rules (art. 8) allow."""

    FORCE_MAJEURE = "force_majeure", _("不可抗力")
    ACCIDENT = "accident", _("意外事件")
    OFFICIAL_DUTY = "official_duty", _("需要履行他人不能代替的公务")
    OTHER_LEGITIMATE = "other_legitimate", _("无法出庭的其他正当事由")


class EventKind(models.TextChoices):
    TRIAL_OBSERVATION = "trial_observation", _("庭审观摩")
    TRAINING = "training", _("法治培训")


APPEARANCE_EXTERNAL_ROLE = "external"
