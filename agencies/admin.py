"""Admin (configuration) for the directory. Model clean() runs in every admin form; posts are saved
through agencies.services so that the one-principal-per-day rule holds under concurrent writes."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Agency, Court, Official, Position, User

admin.site.site_header = _("行政应诉工作平台 · 系统配置")
admin.site.site_title = _("系统配置")
admin.site.index_title = _("系统配置")


class PositionReadOnlyInline(admin.TabularInline):
    """Posts are listed here and edited on their own page, where the principal rule is checked."""

    model = Position
    fields = ("official", "agency", "role", "title", "start_date", "end_date")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "parent", "active_from", "active_until", "circular_prefix", "email")
    list_filter = ("kind",)
    search_fields = ("name", "circular_prefix")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    list_select_related = ("parent",)
    ordering = ("path",)
    inlines = [PositionReadOnlyInline]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        # Validated and saved by the service, new or changed; Agency.save() keeps the paths right.
        services.agency_update(agency=obj)


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    list_display = ("name", "phone", "email")
    search_fields = ("name", "phone", "email")
    inlines = [PositionReadOnlyInline]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("official", "agency", "role", "title", "start_date", "end_date")
    list_filter = ("role", "start_date", "end_date")
    search_fields = ("official__name", "agency__name", "title")
    autocomplete_fields = ("official", "agency")
    list_select_related = ("official", "agency")
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        # The service locks the agency and validates again, for a new post as for a changed one.
        services.position_update(position=obj)


@admin.register(Court)
class CourtAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "code")
    list_filter = ("level",)
    search_fields = ("name", "code")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("行政应诉"), {"fields": ("role", "agency", "courts")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("行政应诉"), {"fields": ("role", "agency", "courts")}),
    )
    list_display = ("username", "first_name", "role", "agency", "is_active", "is_staff", "is_superuser")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "agency__name")
    autocomplete_fields = ("agency",)
    filter_horizontal = ("groups", "user_permissions", "courts")
    list_select_related = ("agency",)
