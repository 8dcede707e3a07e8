"""Growth in the database: evidence logged all year, review cycles and what is written in them.

Written only by ``trellis.web.growth.services``. Anonymous peer feedback keeps no readable link
to its author: ``PeerResponse.author_key`` is a keyed hash of the author and the request (enough
to refuse a second response and to let the author find their own), the key is random, rows carry
no timestamp, and their primary key is random so that no order of insertion can be read back.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from trellis.growth.evidence import KINDS
from trellis.org.model import ROLES
from trellis.web.ladders.models import LadderVersion
from trellis.web.moments import Moment
from trellis.web.org.models import Person

ROLE_CHOICES = [(r, r.replace("_", " ").capitalize()) for r in ROLES]


class Evidence(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=40, choices=KINDS)
    date = models.DateField()
    title = models.CharField(max_length=300)
    link = models.CharField(max_length=1000, blank=True)
    notes = models.TextField(blank=True)
    competencies = models.JSONField(default=list)  # competency ids of the ladder
    signals = models.JSONField(default=list)  # force-multiplier signal ids
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = Moment()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"])]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.date} {self.kind}: {self.title}"


class Cycle(models.Model):
    DRAFT, OPEN, CALIBRATION, CLOSED = "draft", "open", "calibration", "closed"
    STATES = [(DRAFT, "Draft"), (OPEN, "Open"), (CALIBRATION, "Calibration"), (CLOSED, "Closed")]

    name = models.CharField(max_length=200, unique=True)
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.CharField(max_length=20, choices=STATES, default=DRAFT)
    # Who takes part: {"teams": [...], "departments": [...], "levels": [...], "tracks": [...]}; empty: everyone.
    participants_rule = models.JSONField(default=dict)
    self_due = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    peer_due = models.DateField(null=True, blank=True)
    anonymous_peers = models.BooleanField(default=True)
    peer_limit = models.PositiveIntegerField(null=True, blank=True)  # None: the policy's peer_nominations_max
    # The ladder every review in the cycle is made against, fixed when the cycle opens.
    ladder_version = models.ForeignKey(LadderVersion, null=True, blank=True, on_delete=models.PROTECT)
    results_released = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)  # calibration locked: no more adjustments
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The policy's readiness thresholds when the cycle closed: a later policy change never rewrites its verdicts.
    readiness_policy = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "name"]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cycles")
    level = models.CharField(max_length=100)  # the person's level when the cycle opened
    # Written when the cycle closes: the pair's ratings after calibration and readiness per target,
    # so a later ladder or review change never rewrites a closed review.
    frozen = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "person"], name="one_participation_per_cycle")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cycle_id}"


class SelfEvaluation(models.Model):
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="self_evaluation")
    ratings = models.JSONField(default=dict)  # competency -> step
    evidence_text = models.JSONField(default=dict)  # competency -> evidence written in
    evidence_ids = models.JSONField(default=list)  # Evidence ids linked from the log
    signals = models.JSONField(default=list)  # force-multiplier signals the person shows
    focus = models.JSONField(default=dict)  # focus-area competency -> what they will focus on next
    success = models.TextField(blank=True)  # what success will look like by the next review
    preferred_track = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = Moment(on_save=True)

    def __str__(self) -> str:
        return f"self-evaluation of {self.participant_id}"


class Review(models.Model):
    """One half of the pair's review of a participant."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reviews")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    reviewer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reviews_given")
    substitute = models.BooleanField(default=False)  # put in by HR for a team with no tech lead
    ratings = models.JSONField(default=dict)  # competency -> step, for the competencies this role rates
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = Moment(on_save=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "role"], name="one_review_per_role")]
        indexes = [models.Index(fields=["reviewer"])]

    def __str__(self) -> str:
        return f"{self.role} review of {self.participant_id}"


class Nomination(models.Model):
    PROPOSED, APPROVED, DECLINED = "proposed", "approved", "declined"
    STATES = [(PROPOSED, "Proposed"), (APPROVED, "Approved"), (DECLINED, "Declined")]

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="nominations")
    peer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations")
    state = models.CharField(max_length=20, choices=STATES, default=PROPOSED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "peer"], name="one_nomination_per_peer")]
        indexes = [models.Index(fields=["peer", "state"])]

    def __str__(self) -> str:
        return f"peer {self.peer_id} for {self.participant_id} ({self.state})"


class PeerResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="peer_responses")
    author_key = models.CharField(max_length=64)  # keyed hash of author and request; see the module docstring
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")  # attributed feedback only; always None when anonymous
    anonymous = models.BooleanField()
    ratings = models.JSONField(default=dict)  # competency -> step
    comments = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "author_key"], name="one_response_per_peer")]

    def __str__(self) -> str:
        return f"peer response for {self.participant_id}"


class Adjustment(models.Model):
    """A calibration change to the rating that counts: who, when and why."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="adjustments")
    competency = models.CharField(max_length=100)
    old_step = models.CharField(max_length=100, blank=True)
    new_step = models.CharField(max_length=100)
    why = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = Moment()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.competency}: {self.old_step} -> {self.new_step}"


class CalibratorView(models.Model):
    """A calibrator's own view of a rating, recorded before the meeting."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="calibrator_views")
    calibrator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    competency = models.CharField(max_length=100)
    step = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "calibrator", "competency"],
                                               name="one_view_per_calibrator")]

    def __str__(self) -> str:
        return f"{self.competency}: {self.step}"


class NotificationSetting(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="growth_notifications")
    email = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"e-mail {'on' if self.email else 'off'} for {self.user_id}"


class Reminder(models.Model):
    """A reminder sent that a form is due: once per person, form and deadline (``trellis cycle remind``).

    ``form`` names the form by its kind and row (``self:12``, ``review:40``, ``feedback:7``, the last a
    nomination: it says nothing of whether or what the peer answered). A changed deadline is a new one."""

    form = models.CharField(max_length=40)
    due = models.DateField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "due"], name="one_reminder_per_form_and_deadline")]

    def __str__(self) -> str:
        return f"{self.form} due {self.due}"
