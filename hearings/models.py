"""Hearings, who appeared for which defendant, absence explanations, head filings and 1+3 events."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Official
from cases.models import Case

from .choices import AbsenceReason, EventKind, ExternalCapacity, HearingStatus


class Hearing(models.Model):
    """A court session of a case: scheduled, held, cancelled or postponed."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="hearings")
    date = models.DateField(_("开庭日期"))
    time = models.TimeField(_("开庭时间"), null=True, blank=True)
    courtroom = models.CharField(_("法庭"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    head_required = models.BooleanField(
        _("法院要求负责人本次出庭"),
        default=False,
        help_text=_("法院要求负责人在本次开庭再次出庭（司法解释第七条）。"),
    )
    notes = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("庭审")
        verbose_name_plural = _("庭审")
        ordering = ["date", "time", "id"]
        indexes = [
            models.Index(fields=["case", "status", "date"]),
            models.Index(fields=["status", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"

    @property
    def is_held(self) -> bool:
        return self.status == HearingStatus.HELD


class Appearance(models.Model):
    """A person who appeared for a defendant agency at a hearing: an official, or someone named by text."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("庭审"), on_delete=models.CASCADE, related_name="appearances"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("被告机关"), on_delete=models.PROTECT, related_name="appearances"
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("出庭人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appearances",
    )
    person_name = models.CharField(_("姓名（非登记人员）"), max_length=100, blank=True)
    capacity = models.CharField(
        _("身份"), max_length=20, choices=ExternalCapacity.choices, default=ExternalCapacity.STAFF, blank=True
    )
    spoke = models.BooleanField(_("出庭出声"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出庭记录")
        verbose_name_plural = _("出庭记录")
        ordering = ["hearing_id", "agency_id", "id"]
        indexes = [models.Index(fields=["hearing", "agency"]), models.Index(fields=["official", "agency"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(official__isnull=False) & Q(person_name=""))
                | (Q(official__isnull=True) & ~Q(person_name="")),
                name="appearance_official_xor_person",
            ),
            models.UniqueConstraint(
                fields=["hearing", "agency", "official"],
                condition=Q(official__isnull=False),
                name="appearance_official_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} {self.agency} {self.official or self.person_name}"

    def clean(self) -> None:
        has_official = self.official_id is not None
        has_name = bool((self.person_name or "").strip())
        if has_official == has_name:
            raise ValidationError({"official": _("出庭人员须且只能填写一项：登记人员或姓名。")})


class AbsenceExplanation(models.Model):
    """情况说明: why no head appeared for a defendant agency at a hearing (SPC 2020 arts. 8–9)."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("庭审"), on_delete=models.CASCADE, related_name="absences"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("被告机关"), on_delete=models.PROTECT, related_name="absences"
    )
    reason = models.CharField(_("未出庭事由"), max_length=30, choices=AbsenceReason.choices)
    explanation_filed = models.BooleanField(_("已提交加盖公章的书面情况说明"), default=False)
    detail = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("情况说明")
        verbose_name_plural = _("情况说明")
        constraints = [models.UniqueConstraint(fields=["hearing", "agency"], name="absence_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.hearing} {self.agency} {self.get_reason_display()}"


class HeadFiling(models.Model):
    """备案: the head an agency files, before the hearing, as the one who will appear (SPC 2020 art. 6)."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("庭审"), on_delete=models.CASCADE, related_name="filings"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("被告机关"), on_delete=models.PROTECT, related_name="filings"
    )
    official = models.ForeignKey(
        Official, verbose_name=_("拟出庭负责人"), on_delete=models.PROTECT, related_name="filings"
    )
    filed_at = models.DateTimeField(_("备案时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出庭备案")
        verbose_name_plural = _("出庭备案")
        constraints = [models.UniqueConstraint(fields=["hearing", "agency"], name="filing_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.hearing} {self.agency} {self.official}"


class Event(models.Model):
    """A trial-observation (庭审观摩) or rule-of-law training (法治培训) event."""

    kind = models.CharField(_("类型"), max_length=30, choices=EventKind.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("名称"), max_length=200)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    hearing = models.ForeignKey(
        Hearing,
        verbose_name=_("观摩的庭审"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    agencies = models.ManyToManyField(Agency, verbose_name=_("参加机关"), blank=True, related_name="events")
    officials = models.ManyToManyField(
        Official, verbose_name=_("参加人员"), blank=True, related_name="events"
    )

    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        verbose_name = _("庭审观摩与法治培训")
        verbose_name_plural = _("庭审观摩与法治培训")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return self.title
