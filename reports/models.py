"""Stored computations: the run records of the jobs and the rankings they store.

Figures are live (reports.metrics); what is stored here is the last computation of each period,
served by `rankings/` and read by the circulars. A late fact marks the stored tables of its periods
`stale` until the debounced recomputation replaces them (reports.signals).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.choices import AgencyKind
from agencies.models import Agency

from .periods import PeriodKind

# The kinds of member a ranking ranks (METRICS.md: counties among counties, departments among
# departments); `other` agencies are not ranked.
MEMBER_KINDS = (AgencyKind.GOVERNMENT, AgencyKind.TOWNSHIP, AgencyKind.DEPARTMENT)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class RunKind(models.TextChoices):
    RANKINGS = "rankings", _("排名计算")


class ComputationRun(models.Model):
    """One run of a computation job (like NetBox's Job): what, for which periods, how it went."""

    kind = models.CharField(_("类型"), max_length=20, choices=RunKind.choices, default=RunKind.RANKINGS)
    periods = models.JSONField(_("期间"), default=list)
    status = models.CharField(
        _("状态"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    triggered_by = models.CharField(
        _("触发方式"), max_length=100, blank=True, help_text=_("beat、command、late_data 或用户名")
    )
    task_id = models.CharField(_("任务 ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    duration = models.DurationField(_("耗时"), null=True, blank=True)
    counts = models.JSONField(_("计数"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("计算任务记录")
        verbose_name_plural = _("计算任务记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {', '.join(self.periods)} {self.get_status_display()}"


class RankingTable(models.Model):
    """One ranking: a period, an issuing government and a member kind; its rows are the members.

    `summary` holds the issuer's own figures for the period (the circular's headline figures).
    `stale` is true from the moment a late fact changed the period until the recomputation.
    """

    period = models.CharField(_("期间"), max_length=10)
    period_kind = models.CharField(
        _("期间类型"), max_length=10, choices=[(k.value, k.value) for k in PeriodKind]
    )
    period_start = models.DateField(_("期间起始日"))
    period_end = models.DateField(_("期间截止日"))
    issuer = models.ForeignKey(
        Agency, verbose_name=_("发文机关"), on_delete=models.CASCADE, related_name="ranking_tables"
    )
    member_kind = models.CharField(_("排名对象类型"), max_length=20, choices=AgencyKind.choices)
    computed_at = models.DateTimeField(_("计算时间"))
    run = models.ForeignKey(
        ComputationRun,
        verbose_name=_("计算任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tables",
    )
    stale = models.BooleanField(_("待重新计算"), default=False)
    stale_since = models.DateTimeField(_("过期时间"), null=True, blank=True)
    summary = models.JSONField(_("发文机关汇总指标"), default=dict)

    class Meta:
        verbose_name = _("排名")
        verbose_name_plural = _("排名")
        ordering = ["period_start", "period_kind", "issuer_id", "member_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "issuer", "member_kind"], name="ranking_table_unique_period_issuer_kind"
            )
        ]
        indexes = [models.Index(fields=["period_start", "period_end"]), models.Index(fields=["stale"])]

    def __str__(self) -> str:
        return f"{self.period} {self.issuer} {self.get_member_kind_display()}"


class RankingRow(models.Model):
    """A member's place in a ranking, with all its figures (`figures`: every metric of METRICS.md;
    counts as integers, rates as exact fractions "n/d" or null)."""

    table = models.ForeignKey(
        RankingTable, verbose_name=_("排名"), on_delete=models.CASCADE, related_name="rows"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.CASCADE, related_name="ranking_rows"
    )
    position = models.PositiveIntegerField(_("序号"))
    rank = models.PositiveIntegerField(
        _("名次"), null=True, blank=True, help_text=_("空：本期无应诉义务，不参与排名")
    )
    obligations = models.PositiveIntegerField(_("应出庭案件数"), default=0)
    attendance_rate = models.DecimalField(
        _("出庭应诉率"), max_digits=11, decimal_places=10, null=True, blank=True
    )
    named = models.BooleanField(_("通报点名"), default=False)
    interview = models.BooleanField(_("约谈"), default=False)
    figures = models.JSONField(_("指标"), default=dict)
    interview_detail = models.JSONField(
        _("约谈名单"), default=dict, blank=True, help_text=_("主要负责人及每件未出庭案件的责任负责人")
    )

    class Meta:
        verbose_name = _("排名行")
        verbose_name_plural = _("排名行")
        ordering = ["table_id", "position"]
        constraints = [models.UniqueConstraint(fields=["table", "agency"], name="ranking_row_unique_member")]
        indexes = [models.Index(fields=["table", "rank"]), models.Index(fields=["agency", "table"])]

    def __str__(self) -> str:
        return f"{self.table} {self.position}. {self.agency}"


from .circular_models import *  # noqa: E402,F401,F403


class DefendantFact(models.Model):
    """What the figures need of one defendant of a case, stored so that figures over years of
    history read one indexed row per defendant instead of evaluating again the hearings,
    appearances and posts behind it.

    The obligation columns are `hearings.obligations.annotate_obligations` (the single definition):
    `obligation_date` NULL (and the flags false) while the case has no held hearing. The others are
    copied from the case and the defendant.
    Rows are rewritten in the same transaction as any write that changes them (reports.facts);
    `manage.py defendant_facts rebuild` rewrites them all, `check` compares them with the live data."""

    defendant = models.OneToOneField(
        "cases.Defendant", on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    filed_on = models.DateField()
    concluded_on = models.DateField(null=True)
    outcome = models.CharField(max_length=30, null=True)
    sole_defendant = models.BooleanField()  # the case has no other defendant
    obligation_date = models.DateField(null=True)
    waived = models.BooleanField()
    head_attended = models.BooleanField()
    principal_attended = models.BooleanField()
    spoke = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(
                fields=["obligation_date", "agency"],
                name="fact_obligation_date",
                condition=models.Q(obligation_date__isnull=False, waived=False),
                include=["head_attended", "principal_attended", "spoke"],
            ),
            models.Index(
                fields=["agency", "obligation_date"],
                name="fact_obligation_agency",
                condition=models.Q(obligation_date__isnull=False, waived=False),
            ),
            models.Index(
                fields=["obligation_date"],
                name="fact_missed_date",
                condition=models.Q(obligation_date__isnull=False, waived=False, head_attended=False),
                include=["agency", "case"],
            ),
            models.Index(
                fields=["agency", "obligation_date"],
                name="fact_obligation_missed",
                condition=models.Q(obligation_date__isnull=False, waived=False, head_attended=False),
            ),
            # PostgreSQL reads the figures from these indexes alone (the included columns).
            models.Index(
                fields=["filed_on", "agency"], name="fact_filed", include=["case", "sole_defendant"]
            ),
            models.Index(fields=["concluded_on", "agency"], name="fact_concluded", include=["outcome"]),
        ]

    def __str__(self) -> str:
        return f"{self.defendant_id} {self.obligation_date or '-'}"
