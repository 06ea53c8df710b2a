"""Admin inlines any app may use."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """A history shown under an object: listed, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False
