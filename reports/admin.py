"""Admin: the run records and the stored rankings (read-only: only the jobs write them). The beat
schedule itself is edited under django-celery-beat's "Periodic tasks"."""

from django.contrib import admin

from .models import ComputationRun, RankingRow, RankingTable


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ComputationRun)
class ComputationRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "periods", "status", "triggered_by", "started_at", "duration", "counts")
    list_filter = ("kind", "status", "triggered_by")
    readonly_fields = [f.name for f in ComputationRun._meta.fields]


class RankingRowInline(admin.TabularInline):
    model = RankingRow
    fields = ("position", "rank", "agency", "obligations", "attendance_rate", "named", "interview")
    readonly_fields = fields
    ordering = ("position",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RankingTable)
class RankingTableAdmin(ReadOnlyAdmin):
    list_display = ("period", "issuer", "member_kind", "computed_at", "stale")
    list_filter = ("period_kind", "member_kind", "stale")
    search_fields = ("period", "issuer__name")
    list_select_related = ("issuer",)
    readonly_fields = [f.name for f in RankingTable._meta.fields]
    inlines = [RankingRowInline]


from . import circular_admin  # noqa: E402,F401  (circulars, their register and delivery)
