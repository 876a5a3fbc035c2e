"""Shared plumbing models: the record of changes to who may do what in a platform."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleChange(models.Model):
    """Who gave or took which role or right, when. Append-only: it cannot be edited or deleted."""

    platform = models.ForeignKey("orgs.Platform", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)  # platform.role.added / .changed / .removed
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("役割の変更記録")
        verbose_name_plural = _("役割の変更記録")
        ordering = ["-at", "-id"]
        indexes = [
            # the team page's recent changes of one platform
            models.Index(fields=["platform", "-at"], name="rolechange_platform_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_id} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("RoleChange rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("RoleChange rows cannot be deleted")
