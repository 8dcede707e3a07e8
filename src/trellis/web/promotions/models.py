"""Promotion and track-change proposals as stored: the proposal, its handovers, its reviewers,
every step it took (who, when, why), the committee's comments and votes; and the demographic
group a person may choose to record about themself.

Only ``services`` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trellis.promotions.rules import KINDS, State
from trellis.web.org.models import Person, Team


class Proposal(models.Model):
    STATE_CHOICES = [(s.value, s.label) for s in State]
    KIND_CHOICES = [(k, k) for k in KINDS]

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proposals")
    from_level = models.CharField(max_length=100)  # the level when proposed
    target_level = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    proposer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="proposals_made")
    rationale = models.TextField()
    evidence = models.JSONField(default=list)  # lines of evidence: a short text, often with a link
    # Entries of the person's evidence log (growth) the proposer picked; shown to all who see the proposal.
    evidence_entries = models.ManyToManyField("growth.Evidence", blank=True, related_name="proposals")
    # The attached entries as they were submitted: what the committee judged, kept if the log loses one.
    evidence_submitted = models.JSONField(null=True, blank=True)
    effective = models.DateField(null=True, blank=True)
    reviewers = models.ManyToManyField(Person, blank=True, related_name="proposals_reviewed")
    # The Peter-Principle guard: set when the move into management needed the person's own word.
    guarded = models.BooleanField(default=False)
    consented_at = models.DateTimeField(null=True, blank=True)
    readiness = models.JSONField(null=True, blank=True)  # frozen on submission
    impact_submitted = models.JSONField(null=True, blank=True)  # the what-if when submitted
    impact_decided = models.JSONField(null=True, blank=True)  # and again when decided
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_on = models.DateField(null=True, blank=True)  # when the organisation took the change
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "effective"]), models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        return f"proposal {self.pk}: {self.person_id} to {self.target_level} ({self.state})"

    @property
    def state_label(self) -> str:
        return State(self.state).label


class Handover(models.Model):
    """``person`` takes ``role`` on ``team`` with the proposal; whoever holds it gives it up.
    No person: the role ends and nobody takes it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="handovers")
    role = models.CharField(max_length=20)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.role}@{self.team_id}={self.person_id}"


class Step(models.Model):
    """One thing that happened to a proposal: created, consented, submitted, reviewed, decided,
    withdrawn, applied; with who, when and why. Never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    state = models.CharField(max_length=20)  # the state after the step
    at = models.DateTimeField()
    by = models.CharField(max_length=300)  # the account or person, in words, as they were then
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.by} at {self.at}"


class Comment(models.Model):
    """A committee member's comment, with a vote or without one."""

    VOTES = [("approve", "approve"), ("decline", "decline"), ("", "no vote")]

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    by = models.CharField(max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(blank=True)
    vote = models.CharField(max_length=10, choices=VOTES, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"comment by {self.by} ({self.vote or 'no vote'})"


class GroupRecord(models.Model):
    """A demographic group a person chose to record about themself (any words they like)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="group_record")
    group = models.CharField(max_length=100)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"group of {self.person_id}"
