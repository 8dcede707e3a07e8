"""Ladder versions: a ladder file loaded into the database becomes an immutable version."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from trellis.web.moments import Moment


class LadderVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    ladder_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    label = models.CharField(max_length=100, blank=True)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=500, blank=True)
    loaded_at = Moment()
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="one_active_ladder"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The content of a version never changes once stored; only which version is active does.
        if self.pk is not None:
            stored = LadderVersion.objects.filter(pk=self.pk).values_list("content", flat=True).first()
            if stored is not None and stored != self.content:
                raise ValueError("a ladder version is immutable: load a new version instead")
        super().save(*args, **kwargs)
