"""Admin (configuration) for cases. Cases and defendants carry a `version` and rules that only
cases.services checks (案号 against the court, defendants saved whole), so the admin shows them and
their history read-only; they are edited in the portal. Domains and disputes are edited here."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from agencies.choices import UserRole

from .models import Case, Defendant, Dispute, Domain


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """View and history only: no add, change, delete, nor revert from a history record."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history would save a POSTed revert with view permission alone.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DefendantInline(ReadOnlyInline):
    model = Defendant
    fields = ("agency", "capacity", "outcome", "head_waived")
    readonly_fields = fields


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    """行政管理领域: a list the justice bureau's officers maintain."""

    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name",)
    list_filter = ("is_active",)

    def _officer(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.role == UserRole.OFFICER

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._officer(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._officer(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._officer(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._officer(request)


@admin.register(Case)
class CaseAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "number",
        "court",
        "filed_on",
        "stage",
        "plaintiff_name",
        "cause",
        "concluded_on",
        "version",
    )
    list_filter = ("stage", "case_type", "plaintiff_kind", "court", "domain")
    search_fields = ("number", "plaintiff_name", "cause")
    list_select_related = ("court",)
    date_hierarchy = "filed_on"
    inlines = [DefendantInline]


@admin.register(Defendant)
class DefendantAdmin(ReadOnlyHistoryAdmin):
    list_display = ("case", "agency", "capacity", "outcome", "head_waived")
    list_filter = ("capacity", "outcome", "head_waived")
    search_fields = ("case__number", "agency__name")
    list_select_related = ("case", "agency")


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "received_on", "resolved_on", "status", "head_participated", "case")
    list_filter = ("status", "head_participated", "received_on")
    search_fields = ("agency__name", "summary", "case__number")
    autocomplete_fields = ("agency", "case", "heads")
    list_select_related = ("agency", "case")
    date_hierarchy = "received_on"
