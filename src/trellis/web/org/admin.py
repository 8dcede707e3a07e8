from django.contrib import admin

from trellis.web.org.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Admins link a person to their sign-in account here; the organisation itself changes only by import.

    Every other field is read-only: an import records each change in the history, an edit here
    would not, and "since when" answers would silently go wrong.
    """

    list_display = ("name", "external_id", "level", "team", "active", "user")
    list_filter = ("active",)
    search_fields = ("name", "external_id", "email")
    raw_id_fields = ("user",)
    readonly_fields = ("external_id", "name", "email", "level", "preferred_track", "manager", "team", "active",
                       "level_since", "reports_outside", "import_digest", "sort_key")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # people are never deleted: an import marks them as left
