"""Agencies (a tree kept as a materialized path), officials, their dated posts, courts and users."""

import datetime
import functools

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import HEAD_ROLES, AgencyKind, CourtLevel, PositionRole, UserRole

PATH_SEPARATOR = "/"


@functools.lru_cache(maxsize=8192)
def path_ids(path: str) -> tuple[int, ...]:
    """The ids in a materialized path, root first (the agency itself last)."""
    return tuple(int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part)


class AgencyQuerySet(models.QuerySet):
    def in_scope_of(self, agency: "Agency") -> "AgencyQuerySet":
        """The agency and all its descendants (METRICS.md "scope")."""
        return self.filter(path__startswith=agency.path)

    def active_between(self, start: datetime.date, end: datetime.date) -> "AgencyQuerySet":
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=end)).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=start)
        )

    def governments(self) -> "AgencyQuerySet":
        return self.filter(kind=AgencyKind.GOVERNMENT)


class Agency(models.Model):
    """A government body that can be sued. `path` holds the ids from the root, e.g. "/1/5/17/"."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    active_from = models.DateField(_("设立日期"), null=True, blank=True)
    active_until = models.DateField(_("撤销日期"), null=True, blank=True)
    circular_prefix = models.CharField(
        _("通报发文字号前缀"), max_length=20, blank=True, help_text=_("如：聊司通")
    )
    email = models.EmailField(_("联系邮箱"), blank=True)

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政机关")
        verbose_name_plural = _("行政机关")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="agency_active_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("撤销日期不能早于设立日期。")})
        if self.parent_id and self.pk:
            parent = Agency.objects.only("path").get(pk=self.parent_id)
            if self.path and parent.path.startswith(self.path):
                raise ValidationError({"parent": _("上级机关不能是本机关或其下级机关。")})

    def save(self, *args, **kwargs) -> None:
        # The path is part of the row's identity: kept here so that every writer keeps it right.
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = (
            Agency.objects.values_list("path", flat=True).get(pk=self.parent_id)
            if self.parent_id
            else PATH_SEPARATOR
        )
        new_path = f"{parent_path}{self.pk}{PATH_SEPARATOR}"
        if new_path != old_path:
            self.path = new_path
            self.depth = new_path.count(PATH_SEPARATOR) - 2
            Agency.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old_path:
                for child in Agency.objects.filter(parent_id=self.pk):
                    child.save()

    def is_in_scope_of(self, other: "Agency") -> bool:
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        return list(path_ids(self.path))


class Official(models.Model):
    """A real person who may hold posts in agencies."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PositionQuerySet(models.QuerySet):
    def held_on(self, date: datetime.date) -> "PositionQuerySet":
        """Posts held on that day (`end_date` is the last day, inclusive)."""
        return self.filter(start_date__lte=date).filter(Q(end_date__isnull=True) | Q(end_date__gte=date))

    def overlapping(self, start: datetime.date, end: datetime.date | None) -> "PositionQuerySet":
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs if end is None else qs.filter(start_date__lte=end)

    def heads(self) -> "PositionQuerySet":
        return self.filter(role__in=HEAD_ROLES)


class Position(models.Model):
    """An official's role in one agency from `start_date` to `end_date` (inclusive; null = current)."""

    official = models.ForeignKey(
        Official, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="positions"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("角色"), max_length=20, choices=PositionRole.choices)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["agency_id", "start_date", "id"]
        indexes = [models.Index(fields=["official", "agency", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="position_date_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.title or self.get_role_display()} {self.official}"

    @property
    def is_head(self) -> bool:
        return self.role in HEAD_ROLES

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("离任日期不能早于任职日期。")})
        if self.role == PositionRole.PRINCIPAL and self.agency_id and self.start_date:
            clash = (
                Position.objects.filter(agency_id=self.agency_id, role=PositionRole.PRINCIPAL)
                .overlapping(self.start_date, self.end_date)
                .exclude(pk=self.pk)
                .select_related("official")
                .first()
            )
            if clash:
                raise ValidationError(
                    {
                        "role": _(
                            "同一机关同一天只能有一名主要负责人：%(name)s 自 %(start)s 起已任主要负责人。"
                        )
                        % {"name": clash.official.name, "start": clash.start_date.isoformat()}
                    }
                )


class Court(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    level = models.CharField(_("级别"), max_length=20, choices=CourtLevel.choices)
    code = models.CharField(
        _("法院代字"), max_length=20, blank=True, help_text=_("案号中的法院代字，如：鲁1502")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A portal user. What they see follows from `role` and `agency` (or `courts` for liaison staff)."""

    role = models.CharField(_("角色"), max_length=20, choices=UserRole.choices, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("司法局工作人员：本级政府；机关用户：本机关；接口客户端：发文机关。"),
    )
    courts = models.ManyToManyField(Court, verbose_name=_("负责法院"), blank=True, related_name="liaisons")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def clean(self) -> None:
        super().clean()
        if self.role in (UserRole.OFFICER, UserRole.AGENCY, UserRole.API_CLIENT) and not self.agency_id:
            raise ValidationError({"agency": _("该角色必须指定所属机关。")})

    @property
    def is_officer(self) -> bool:
        return self.role == UserRole.OFFICER

    @property
    def is_liaison(self) -> bool:
        return self.role == UserRole.LIAISON

    @property
    def is_agency_user(self) -> bool:
        return self.role == UserRole.AGENCY

    @property
    def is_api_client(self) -> bool:
        return self.role == UserRole.API_CLIENT
