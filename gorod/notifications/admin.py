from django.contrib import admin

from gorod.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "resident", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["event_key", "title"]
    list_select_related = ["resident"]
    show_full_result_count = False
