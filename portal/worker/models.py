from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per task worker process, touched every few seconds while it lives."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
