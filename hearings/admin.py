"""Admin (configuration) for hearings. Hearings carry a `version`, and appearances, absence
explanations and filings follow rules that only hearings.services checks (a head must hold a post in
the defendant agency on the hearing date …), so they are shown read-only here, with their history;
they are recorded in the portal. Events are edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.admin import ReadOnlyHistoryAdmin, ReadOnlyInline

from .models import AbsenceExplanation, Appearance, Event, HeadFiling, Hearing


class AppearanceInline(ReadOnlyInline):
    model = Appearance
    fields = ("agency", "official", "person_name", "capacity", "spoke")
    readonly_fields = fields


class AbsenceInline(ReadOnlyInline):
    model = AbsenceExplanation
    fields = ("agency", "reason", "explanation_filed", "detail")
    readonly_fields = fields


class HeadFilingInline(ReadOnlyInline):
    model = HeadFiling
    fields = ("agency", "official", "filed_at")
    readonly_fields = fields


@admin.register(Hearing)
class HearingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("case", "date", "time", "courtroom", "status", "head_required", "version")
    list_filter = ("status", "head_required", "date")
    search_fields = ("case__number", "courtroom")
    list_select_related = ("case",)
    date_hierarchy = "date"
    inlines = [AppearanceInline, AbsenceInline, HeadFilingInline]


@admin.register(Appearance)
class AppearanceAdmin(ReadOnlyHistoryAdmin):
    list_display = ("hearing", "agency", "official", "person_name", "capacity", "spoke")
    list_filter = ("spoke", "capacity")
    search_fields = ("hearing__case__number", "agency__name", "official__name", "person_name")
    list_select_related = ("hearing", "hearing__case", "agency", "official")


@admin.register(AbsenceExplanation)
class AbsenceExplanationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("hearing", "agency", "reason", "explanation_filed")
    list_filter = ("reason", "explanation_filed")
    search_fields = ("hearing__case__number", "agency__name")
    list_select_related = ("hearing", "hearing__case", "agency")


@admin.register(HeadFiling)
class HeadFilingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("hearing", "agency", "official", "filed_at")
    search_fields = ("hearing__case__number", "agency__name", "official__name")
    list_select_related = ("hearing", "hearing__case", "agency", "official")


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "date", "location")
    list_filter = ("kind", "date")
    search_fields = ("title", "location")
    autocomplete_fields = ("hearing", "agencies", "officials")
    date_hierarchy = "date"
