from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app message to one user; the same message usually goes out by email too."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True, help_text="Where the reader acts on it.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
