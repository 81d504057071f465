"""Admin for circulars: a published circular is shown read-only and cannot be deleted; a draft's
covering texts are saved through reports.circulars; the register, subscriptions, notices, webhook
endpoints and the delivery log (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import circulars as services
from .circular_models import (
    Circular,
    CircularRegister,
    CircularStatus,
    CircularSubscription,
    Notice,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(Circular)
class CircularAdmin(admin.ModelAdmin):
    list_display = (
        "period",
        "issuer",
        "kind",
        "revision",
        "status",
        "number",
        "published_at",
        "published_by",
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "number", "period", "issuer__name")
    list_select_related = ("issuer", "published_by")
    fields = (
        "issuer",
        "period",
        "kind",
        "status",
        "revision",
        "supersedes",
        "number",
        *services.TEXT_FIELDS,
        "computed_at",
        "document_date",
        "published_at",
        "published_by",
        "content",
    )

    def has_add_permission(self, request):
        return False  # drafts come from the ranking job; corrections from the circular page

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.fields
        return [f for f in self.fields if f not in services.TEXT_FIELDS]

    def save_model(self, request, obj, form, change):
        texts = {name: form.cleaned_data[name] for name in services.TEXT_FIELDS if name in form.cleaned_data}
        services.circular_update_texts(circular=obj.pk, user=request.user, **texts)

    def delete_model(self, request, obj):
        services.circular_discard(circular=obj.pk, user=request.user)

    def delete_queryset(self, request, queryset):
        published = queryset.filter(status=CircularStatus.PUBLISHED).count()
        queryset.filter(status=CircularStatus.DRAFT).delete()
        if published:
            self.message_user(
                request, _("已发布的通报不能删除，已跳过 %(n)d 份。") % {"n": published}, messages.WARNING
            )


class CircularRegisterForm(forms.ModelForm):
    class Meta:
        model = CircularRegister
        fields = ["issuer", "year", "last_number"]

    def clean(self):
        data = super().clean()
        issuer, year, last = data.get("issuer"), data.get("year"), data.get("last_number")
        if issuer and year and last is not None:
            used = (
                Circular.objects.filter(issuer=issuer, year=year, sequence__isnull=False)
                .order_by("-sequence")
                .values_list("sequence", flat=True)
                .first()
            ) or 0
            if last < used:
                raise ValidationError({"last_number": _("已使用到 %(n)d 号，不能调小。") % {"n": used}})
        return data


@admin.register(CircularRegister)
class CircularRegisterAdmin(admin.ModelAdmin):
    """An officer may set the last number used when numbers were taken on paper this year."""

    form = CircularRegisterForm
    list_display = ("issuer", "year", "last_number")
    list_select_related = ("issuer",)
    search_fields = ("issuer__name",)
    autocomplete_fields = ("issuer",)


@admin.register(CircularSubscription)
class CircularSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "created_at")
    autocomplete_fields = ("user",)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("user", "circular", "text", "created_at", "read_at")
    list_select_related = ("user", "circular")
    readonly_fields = ("user", "circular", "text", "created_at")

    def has_add_permission(self, request):
        return False


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = (
        "created_at",
        "circular",
        "attempt",
        "status_code",
        "succeeded",
        "duration_ms",
        "error",
        "will_retry",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-created_at",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "issuer", "active", "description", "created_at")
    list_filter = ("active",)
    list_select_related = ("issuer",)
    autocomplete_fields = ("issuer",)
    readonly_fields = ("created_by", "created_at")
    inlines = [WebhookDeliveryInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "endpoint",
        "circular",
        "attempt",
        "status_code",
        "succeeded",
        "duration_ms",
    )
    list_filter = ("succeeded",)
    list_select_related = ("endpoint", "circular")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
