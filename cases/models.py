"""Cases (one per instance and 案号), their defendants with per-defendant outcomes, and disputes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Court, Official

from .case_numbers import parse_case_number
from .choices import CaseType, DefendantCapacity, DisputeStatus, Outcome, PlaintiffKind, Stage


class Domain(models.Model):
    """An administrative domain (行政管理领域: 公安, 自然资源 …), a list officers maintain."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("行政管理领域")
        verbose_name_plural = _("行政管理领域")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One instance of an administrative suit, identified by its 案号."""

    number = models.CharField(_("案号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("年份"), editable=False)
    court_code = models.CharField(_("法院代字"), max_length=20, editable=False)
    case_type = models.CharField(_("案件类型"), max_length=10, choices=CaseType.choices, editable=False)
    sequence = models.PositiveIntegerField(_("序号"), editable=False)
    stage = models.CharField(_("审级"), max_length=10, choices=Stage.choices, editable=False)
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="cases")
    filed_on = models.DateField(_("立案日期"))
    plaintiff_name = models.CharField(_("原告"), max_length=200)
    plaintiff_kind = models.CharField(_("原告类型"), max_length=20, choices=PlaintiffKind.choices)
    cause = models.CharField(_("案由"), max_length=200)
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("行政管理领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    compensation_claimed = models.BooleanField(_("一并提起行政赔偿"), default=False)
    challenged_act = models.TextField(_("被诉行政行为"), blank=True)
    previous_case = models.ForeignKey(
        "self",
        verbose_name=_("原审案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_instances",
    )
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["court", "filed_on"]), models.Index(fields=["filed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("filed_on")),
                name="case_concluded_after_filed",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors = {}
        try:
            parsed = parse_case_number(self.number)
        except ValidationError as exc:
            errors["number"] = exc.messages
        else:
            self.number = str(parsed)
            self.year, self.court_code, self.case_type = parsed.year, parsed.court_code, parsed.case_type
            self.sequence, self.stage = parsed.sequence, parsed.stage
            if self.previous_case_id and parsed.stage == Stage.FIRST:
                errors["previous_case"] = [_("一审案件不能关联原审案件。")]
        if self.concluded_on and self.filed_on and self.concluded_on < self.filed_on:
            errors["concluded_on"] = [_("结案日期不能早于立案日期。")]
        if self.previous_case_id and self.pk and self.previous_case_id == self.pk:
            errors["previous_case"] = [_("原审案件不能是本案。")]
        if errors:
            raise ValidationError(errors)


class Defendant(models.Model):
    """A sued agency in a case, with its own outcome; one (case, defendant) is one METRICS obligation unit."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="defendants"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("被告机关"), on_delete=models.PROTECT, related_name="defendancies"
    )
    capacity = models.CharField(
        _("被告身份"), max_length=20, choices=DefendantCapacity.choices, default=DefendantCapacity.ACTED
    )
    outcome = models.CharField(_("裁判结果"), max_length=30, choices=Outcome.choices, null=True, blank=True)
    head_waived = models.BooleanField(
        _("法院指定共同被告负责人出庭"),
        default=False,
        help_text=_("法院指定其他共同被告的负责人代表全部被告出庭（司法解释第三条）。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("被告")
        verbose_name_plural = _("被告")
        ordering = ["case_id", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="defendant_unique_per_case")]

    def __str__(self) -> str:
        return f"{self.case} — {self.agency}"


class Dispute(models.Model):
    """A dispute handled by the pre-trial settlement centre or the heads' mediation room."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("被申请机关"), on_delete=models.PROTECT, related_name="disputes"
    )
    received_on = models.DateField(_("受理日期"))
    resolved_on = models.DateField(_("化解日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    head_participated = models.BooleanField(_("负责人参与化解"), default=False)
    heads = models.ManyToManyField(
        Official, verbose_name=_("参与的负责人"), blank=True, related_name="disputes"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("关联案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
    )
    summary = models.TextField(_("争议概要"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政争议")
        verbose_name_plural = _("行政争议")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("received_on")),
                name="dispute_resolved_after_received",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.received_on}"

    def clean(self) -> None:
        errors = {}
        if self.resolved_on and self.received_on and self.resolved_on < self.received_on:
            errors["resolved_on"] = [_("化解日期不能早于受理日期。")]
        if self.status == DisputeStatus.RESOLVED and not self.resolved_on:
            errors["resolved_on"] = [_("已化解的争议须填写化解日期。")]
        if errors:
            raise ValidationError(errors)
