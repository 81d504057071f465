"""Circulars (通报): the official notice of a period's figures, its number register, and delivery.

A circular is a draft until an officer publishes it; from then on it never changes (GB/T 9704-2012
document, DOMAIN.md "A published circular never changes"). A correction is a new revision that
`supersedes` the published one; the pointer lives on the new row only, so the old row is never
written again. The guard is kept at every level: `save()`/`delete()` here, the queryset's bulk
`update()`/`delete()`, a database trigger (`install_immutability_triggers`, run by the migration),
the services (reports.circulars), the admin and the API.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from .periods import PeriodKind

__all__ = [
    "CircularKind",
    "CircularStatus",
    "CircularImmutable",
    "CircularRegister",
    "Circular",
    "CircularSubscription",
    "Notice",
    "WebhookEndpoint",
    "WebhookDelivery",
]


class CircularKind(models.TextChoices):
    MONTHLY = "monthly", _("月度通报")
    QUARTERLY = "quarterly", _("季度通报")
    ANNUAL = "annual", _("年度通报")


KIND_OF_PERIOD = {
    PeriodKind.MONTH: CircularKind.MONTHLY,
    PeriodKind.QUARTER: CircularKind.QUARTERLY,
    PeriodKind.YEAR: CircularKind.ANNUAL,
}


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class CircularImmutable(Exception):
    """A write to a published circular: refused everywhere (HTTP 409 in the API)."""

    def __init__(self, message=None):
        super().__init__(message or _("已发布的通报不可修改或删除；如需更正，请发起修订。"))


class CircularQuerySet(models.QuerySet):
    def published(self) -> "CircularQuerySet":
        return self.filter(status=CircularStatus.PUBLISHED)

    def drafts(self) -> "CircularQuerySet":
        return self.filter(status=CircularStatus.DRAFT)

    # Bulk writes skip save()/delete(): they refuse published rows too.
    def update(self, **kwargs):
        if self.filter(status=CircularStatus.PUBLISHED).exists():
            raise CircularImmutable()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=CircularStatus.PUBLISHED).exists():
            raise CircularImmutable()
        return super().delete()

    delete.queryset_only = True


class CircularRegister(models.Model):
    """The issuer's register of circular numbers for one year: `last_number` is the last one taken.

    Publication locks this row (select_for_update) and takes the next number, so two officers
    publishing at once never get the same number. An officer may set `last_number` in the admin
    when numbers were already used on paper this year."""

    issuer = models.ForeignKey(
        Agency, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="circular_registers"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    last_number = models.PositiveIntegerField(_("已用最大顺序号"), default=0)

    class Meta:
        verbose_name = _("通报发文登记簿")
        verbose_name_plural = _("通报发文登记簿")
        ordering = ["issuer_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="circular_register_unique_issuer_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last_number}"


class Circular(models.Model):
    """One revision of an issuer's circular for a period.

    `content` holds everything a published circular shows besides the covering texts (the issuer's
    figures, the ranking tables, the named members, the missed obligations, the interview list),
    frozen at publication from the stored rankings and the live missed obligations. A draft's is
    empty: it shows the same, read when it is shown (reports.circulars.circular_contents). Rates in
    `content` are exact fractions "n/d" (METRICS.md)."""

    issuer = models.ForeignKey(
        Agency, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="circulars"
    )
    period = models.CharField(_("期间"), max_length=10, db_index=True)
    period_start = models.DateField(_("期间起始日"))
    period_end = models.DateField(_("期间截止日"))
    kind = models.CharField(_("类型"), max_length=10, choices=CircularKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=CircularStatus.choices, default=CircularStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("版次"), default=1)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("更正的通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    # The number (发文字号), taken from the register at publication.
    prefix = models.CharField(_("发文机关代字"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("发文年份"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("发文顺序号"), null=True, blank=True)
    number = models.CharField(_("发文字号"), max_length=50, blank=True)

    # The covering texts: editable while a draft.
    mark = models.CharField(_("发文机关标志"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.TextField(_("主送机关"))
    opening = models.TextField(_("开头语"))
    requirements = models.TextField(_("工作要求"), blank=True)
    signature = models.CharField(_("发文机关署名"), max_length=60)

    content = models.JSONField(_("通报内容"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("数据计算时间"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后编辑人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_date = models.DateField(_("成文日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-period_end", "-period_start", "issuer_id", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "period", "revision"], name="circular_unique_issuer_period_revision"
            ),
            # At most one draft per issuer and period: the one the ranking job refreshes.
            models.UniqueConstraint(
                fields=["issuer", "period"],
                condition=Q(status="draft"),
                name="circular_one_draft_per_issuer_period",
            ),
            # A circular is corrected once; a further correction corrects the correction.
            models.UniqueConstraint(fields=["supersedes"], name="circular_one_correction"),
            models.UniqueConstraint(
                fields=["issuer", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="circular_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(published_at__isnull=False)
                    & Q(sequence__isnull=False)
                    & Q(year__isnull=False)
                    & ~Q(number="")
                ),
                name="circular_published_has_number",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "status", "period"])]

    def __str__(self) -> str:
        return self.number or f"{self.title}（{self.get_status_display()}）"

    @property
    def is_published(self) -> bool:
        return self.status == CircularStatus.PUBLISHED

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args, **kwargs) -> None:
        # Publication is the last save of a row: a row that is published in the database is final.
        if self._stored_status() == CircularStatus.PUBLISHED:
            raise CircularImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published or self._stored_status() == CircularStatus.PUBLISHED:
            raise CircularImmutable()
        return super().delete(*args, **kwargs)


class CircularSubscription(models.Model):
    """A user who wants every circular they may see by email (the in-app notice comes anyway)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="circular_subscription",
    )
    email = models.BooleanField(_("邮件接收通报"), default=True)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通报订阅")
        verbose_name_plural = _("通报订阅")

    def __str__(self) -> str:
        return str(self.user)


class Notice(models.Model):
    """An in-app notice of a published circular to one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notices"
    )
    circular = models.ForeignKey(
        Circular, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "circular"], name="notice_unique_user_circular")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """A REST client's URL that receives every circular published in the issuer's scope, signed with
    `secret`: header `X-Signature: sha256=<HMAC-SHA256 hex of the raw body>`."""

    issuer = models.ForeignKey(
        Agency, verbose_name=_("所属机关"), on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=128, default=new_webhook_secret)
    active = models.BooleanField(_("启用"), default=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送地址")
        verbose_name_plural = _("推送地址")
        ordering = ["issuer_id", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One attempt to deliver a circular to an endpoint (every retry is its own row)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("推送地址"), on_delete=models.CASCADE, related_name="deliveries"
    )
    circular = models.ForeignKey(
        Circular, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    delivery_id = models.CharField(_("推送编号"), max_length=40, db_index=True)
    attempt = models.PositiveSmallIntegerField(_("第几次尝试"))
    status_code = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"), default=False)
    error = models.TextField(_("错误"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    will_retry = models.BooleanField(_("将重试"), default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.endpoint} #{self.attempt} {self.status_code or self.error[:40]}"


# ---- the database guard (run by the migration that creates the table) -------------------------

_TRIGGER_SQL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS reports_circular_published_immutable
        BEFORE UPDATE ON reports_circular WHEN OLD.status = 'published'
        BEGIN SELECT RAISE(ABORT, 'a published circular is immutable'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION reports_circular_published_immutable() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'a published circular is immutable' USING ERRCODE = 'integrity_constraint_violation';
        END $$ LANGUAGE plpgsql""",
        """DROP TRIGGER IF EXISTS reports_circular_published_immutable ON reports_circular""",
        """CREATE TRIGGER reports_circular_published_immutable
        BEFORE UPDATE ON reports_circular FOR EACH ROW WHEN (OLD.status = 'published')
        EXECUTE FUNCTION reports_circular_published_immutable()""",
    ],
}
_DROP_SQL = {
    "sqlite": ["DROP TRIGGER IF EXISTS reports_circular_published_immutable"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS reports_circular_published_immutable ON reports_circular",
        "DROP FUNCTION IF EXISTS reports_circular_published_immutable()",
    ],
}


def install_immutability_triggers(apps, schema_editor) -> None:
    """An UPDATE of a published row fails in the database itself (raw SQL included). Deletion is
    refused by the ORM only, so that test databases can still be flushed."""
    for sql in _TRIGGER_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def remove_immutability_triggers(apps, schema_editor) -> None:
    for sql in _DROP_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)
