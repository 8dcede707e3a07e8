"""What people record about org health: acknowledgements of findings, and saved what-if scenarios."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

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


class Scenario(models.Model):
    """A what-if simulation saved with a name and a note (``trellis.web.health.scenarios``).

    It holds the changes, never their effect: each time it is opened it is run again against
    the organisation of that day, and it never changes the organisation itself."""

    name = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    changes = models.TextField()  # one change per line, as applied when saved: people by id
    # The ids of the people the changes name: who may see the scenario depends on them (trellis.access).
    touches = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    by = models.CharField(max_length=200)  # who saved it, in words: kept when the account goes
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(Lower("name"), "author", name="one_scenario_name_per_author")]

    def __str__(self) -> str:
        return f"scenario {self.name} by {self.by}"


class JudgedReport(models.Model):
    """A report of the organisation as it stands (today's, or as of a past day), judged once by the
    writer that changed it (``trellis.web.health.services.keep_report``), so that no page pays for
    judging 100,000 people.

    ``key`` is a digest of everything the report depends on (the day judged, the organisation's
    state, the active ladder, the policy, the bench readiness); ``report`` is the text of
    ``trellis.health.report.stored_report``. Only the latest few are kept."""

    key = models.CharField(max_length=64, unique=True)
    as_of = models.DateField()  # the day judged
    policy = models.CharField(max_length=64)  # a digest of the policy judged by (its file and its thresholds)
    report = models.TextField()
    judged_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["as_of", "policy", "-judged_at"])]

    def __str__(self) -> str:
        return f"report {self.key[:12]} judged at {self.judged_at}"
