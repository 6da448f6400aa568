from django.db import models


class Row(models.Model):
    """What the insert endpoint writes: one row, a small payload."""

    payload = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
