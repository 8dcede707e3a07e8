"""What people record about org health: acknowledgements of findings, and saved what-if scenarios."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trellis.health.acknowledge import Acknowledgement as AcknowledgementData


class Acknowledgement(models.Model):
    """A finding acknowledged as deliberate, with the evidence it held for (see trellis.health.acknowledge)."""

    code = models.CharField(max_length=40)
    team = models.CharField(max_length=200, blank=True)
    person = models.CharField(max_length=100, blank=True)  # the person's id as imported
    level = models.CharField(max_length=100, blank=True)
    evidence = models.TextField()
    message = models.TextField()
    reason = models.TextField()
    until = models.DateField(null=True, blank=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    by = models.CharField(max_length=200)  # who, in words: kept when the account goes
    at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["code", "team", "person"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.team or self.person or self.level} by {self.by}"

    def data(self) -> AcknowledgementData:
        return AcknowledgementData(
            code=self.code, team=self.team or None, person=self.person or None, level=self.level or None,
            evidence=self.evidence, message=self.message, reason=self.reason, until=self.until, by=self.by,
            at=self.at, id=self.pk)
