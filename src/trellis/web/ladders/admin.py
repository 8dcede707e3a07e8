from django.contrib import admin

from trellis.web.ladders.models import LadderVersion


@admin.register(LadderVersion)
class LadderVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "label", "is_active", "loaded_at", "source")
    readonly_fields = ("number", "ladder_id", "name", "label", "content", "sha256", "source", "loaded_at",
                       "loaded_by", "is_active")

    def has_add_permission(self, request):
        return False  # Versions come from validated files (trellis ladder load), never typed in.

    def has_delete_permission(self, request, obj=None):
        return False
