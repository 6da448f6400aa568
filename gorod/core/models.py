"""The kernel's one table: which node ran which periodic job in which time slot."""

from __future__ import annotations

from django.db import models


class ScheduleRun(models.Model):
    """A claim on one periodic job for one slot of ``GOROD_SCHEDULE_SLOT_SECONDS``: the unique
    constraint lets exactly one node of a cluster run the job in that slot (docs/adr/0007)."""

    job = models.CharField(max_length=100)
    slot_start = models.DateTimeField()
    node = models.CharField(max_length=100)
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot_start"], name="core_schedule_run_once")]
        indexes = [models.Index(fields=["slot_start"], name="core_schedule_run_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot_start:%Y-%m-%d %H:%M:%S} by {self.node}"
