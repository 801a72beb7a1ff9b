"""The back office: Django admin, filtered by the same scope as every other page."""

from django.contrib import admin
from django.db import transaction

from dangjian.accounts.scope import is_protected, visible_to
from dangjian.core.audit import record_event, save_tracked
from dangjian.core.models import AuditEvent, Rule


class ScopedAdminMixin:
    """Lists, look-ups, drop-downs and inlines read through visible_to; saves are audited."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return visible_to(request.user, queryset) if is_protected(queryset.model) else queryset

    def _scoped_choices(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        if is_protected(model):
            kwargs["queryset"] = visible_to(
                request.user, kwargs.get("queryset") or model._default_manager.all()
            )
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._scoped_choices(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._scoped_choices(db_field, request, kwargs)
        )

    # Writes: the forms already validated; save_tracked writes the audit event in the same
    # transaction, for the record and for every inline row, so no admin edit escapes the timeline.
    def save_model(self, request, obj, form, change):
        save_tracked(obj, actor=request.user, validate=False)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            for obj in formset.save(commit=False):
                save_tracked(obj, actor=request.user, validate=False)
            for obj in formset.deleted_objects:
                self.delete_model(request, obj)
            formset.save_m2m()

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_event(actor=request.user, action="deleted", obj=obj)
            obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0


@admin.register(Rule)
class RuleAdmin(ScopedAdmin):
    list_display = ["key", "name", "value", "national_default", "unit", "enabled"]
    list_editable = ["value", "enabled"]
    readonly_fields = ["key", "national_default", "source"]


class LogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Logs are written by the system and never edited or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(LogAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr"]
