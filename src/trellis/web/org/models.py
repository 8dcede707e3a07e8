"""The organisation in the database: current state plus an append-only history.

The current state (people, teams, role assignments, dotted lines) serves the pages;
``HistoryEvent`` records every change with its effective date, so the organisation
as it was on any past date is the current state with later events rewound
(``trellis.org.history``). People are never deleted: they are marked as left.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.lib.collation import name_sort_key
from trellis.web.moments import Moment


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    department = models.CharField(max_length=200, blank=True)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    TRACK_CHOICES = [("technical", "Technical"), ("management", "Management"), ("undecided", "Undecided")]

    external_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    # Language-aware order of ``name`` (trellis.lib.collation): the people directory pages by it.
    # Set by ``save`` and by the import's own bulk writes (trellis.web.org.services).
    sort_key = models.CharField(max_length=1000, blank=True, default="")
    email = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=100)
    preferred_track = models.CharField(max_length=20, choices=TRACK_CHOICES, default="undecided")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    active = models.BooleanField(default=True)
    level_since = models.DateField(null=True, blank=True)
    # No manager here because the manager is outside the organisation (another division).
    reports_outside = models.BooleanField(default=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="person")
    # The digest of the person's row as the last import read it (``trellis.org.csvio``), when the row says
    # exactly what was stored: the next import takes an unchanged row from here instead of checking it
    # again. Empty: read the row (it says more than the stored person, an e-mail for a manager, say).
    import_digest = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["active", "manager"]), models.Index(fields=["name"]),
                   # The directory's order (trellis.web.org.directory.ORDER): a page of it is read
                   # from the index, with no sort of the whole table.
                   models.Index(fields=["-active", "sort_key", "external_id"], name="person_directory_order")]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = name_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


class DottedLine(models.Model):
    """A dotted reporting line: ``person`` also works for ``manager``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dotted_lines")
    manager = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dotted_reports")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "manager"], name="one_dotted_line_per_pair")]

    def __str__(self) -> str:
        return f"{self.person_id} ··> {self.manager_id}"


class RoleAssignment(models.Model):
    ROLE_CHOICES = [("tech_lead", "Tech lead"), ("people_manager", "People manager")]

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)  # exclusive; null while held

    class Meta:
        indexes = [models.Index(fields=["team", "end"]), models.Index(fields=["person", "end"])]

    def __str__(self) -> str:
        return f"{self.role} of team {self.team_id} from {self.start} to {self.end}"


class ImportBatch(models.Model):
    """One applied import: who, when, from which file, with what effect."""

    created_at = Moment()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=500, blank=True)
    as_of = models.DateField()
    summary = models.JSONField(default=dict)
    # The newest edit made inside Trellis when the import was written (an ``OrgEdit`` key): people
    # edited after it are read from the next file again, whatever their digest says.
    last_edit = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"import {self.pk} of {self.source} as of {self.as_of}"


class OrgEdit(models.Model):
    """One edit made inside Trellis: who, when, why, effective when, and what it changed."""

    created_at = Moment()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField()
    as_of = models.DateField()  # the effective date of every change it made
    subject = models.CharField(max_length=300)  # a person's id, or team:NAME
    # Where it came from besides a person's hand: "" for an edit on a page, the API or the command
    # line; "proposal 12" for an approved promotion.
    origin = models.CharField(max_length=200, blank=True)
    summary = models.JSONField(default=list)  # the changes, described

    def __str__(self) -> str:
        return f"edit {self.pk} of {self.subject} as of {self.as_of}"


class PendingValue(models.Model):
    """A value an edit set that the HR system's file has not confirmed yet (``trellis.org.edit.Pending``).

    An import whose file agrees confirms it; one whose file differs is refused unless told which
    side wins (the file reverts it; Trellis keeps it pending)."""

    PENDING, CONFIRMED, REVERTED, SUPERSEDED = "pending", "confirmed", "reverted", "superseded"
    STATES = [(PENDING, "pending"), (CONFIRMED, "confirmed by an import"), (REVERTED, "reverted by an import"),
              (SUPERSEDED, "replaced by a later edit")]

    edit = models.ForeignKey(OrgEdit, on_delete=models.CASCADE, related_name="values")
    subject = models.CharField(max_length=300)
    field = models.CharField(max_length=300)
    value = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=STATES, default=PENDING)
    resolved_by = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["state", "subject"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.field} = {self.value} ({self.state})"


class HistoryEvent(models.Model):
    """One change (``trellis.org.model.Change``) as stored: kind, subject, old and new, effective date."""

    kind = models.CharField(max_length=40)
    effective = models.DateField()
    person_id_ext = models.CharField(max_length=100, blank=True)
    team_name = models.CharField(max_length=200, blank=True)
    # None and "" differ here (no manager vs an empty value), hence null on text fields.
    old = models.TextField(null=True, blank=True)  # noqa: DJ001
    new = models.TextField(null=True, blank=True)  # noqa: DJ001
    old_since = models.DateField(null=True, blank=True)  # level-changed: when the previous level had started
    # Not indexed: nothing looks events up by batch, and an import of 100,000 people writes
    # 150,000 events, where every index costs.
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, db_index=False)
    seq = models.BigIntegerField(default=0)  # order of events with the same effective date
    # The source of a change that no import made: an edit inside Trellis (who, when, why).
    edit = models.ForeignKey(OrgEdit, null=True, blank=True, on_delete=models.SET_NULL, db_index=False)
    note = models.TextField(blank=True)  # e.g. which pending edit an import reverted

    class Meta:
        ordering = ["effective", "seq", "id"]
        # Declared here rather than with db_index: on PostgreSQL a db_index text field gets a
        # second index for LIKE searches, which nothing here does and every import pays for.
        # A team's history also holds the people who moved out of it and into it: looked up by
        # ``old`` and ``new`` of team-changed events only, so the indexes stay small and an
        # import's other events pay nothing for them.
        indexes = [models.Index(fields=["effective"]), models.Index(fields=["person_id_ext"]),
                   models.Index(fields=["team_name"]),
                   models.Index(fields=["old"], condition=Q(kind="team-changed"), name="history_moved_out"),
                   models.Index(fields=["new"], condition=Q(kind="team-changed"), name="history_moved_in"),
                   # Every team page asks for the renames (the names a team has had): a handful of
                   # rows among hundreds of thousands, found without reading the others.
                   models.Index(fields=["effective"], condition=Q(kind="team-renamed"), name="history_renames")]

    def __str__(self) -> str:
        return f"{self.effective} {self.kind} {self.person_id_ext or self.team_name}"


class PendingUpload(models.Model):
    """An uploaded file waiting between its preview and its confirmation, with how to read it.

    Kept in the database, so that every web instance behind a proxy can confirm what another
    previewed; only the user who uploaded it can confirm it, and it expires
    (``TRELLIS_PENDING_UPLOAD_HOURS``). Never shown in the admin: it may hold a whole organisation."""

    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = Moment()
    expires_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=500)
    data = models.BinaryField()
    options = models.JSONField(default=dict)  # as typed into the form: as_of, mapping, where, ...

    def __str__(self) -> str:
        return f"upload of {self.source} waiting until {self.expires_at}"


class RunningImport(models.Model):
    """The import being written now, if any: one row at most, so a second import is refused
    at once ("an import is running since ...") instead of waiting on the database's lock."""

    key = models.CharField(max_length=20, unique=True, default="import")
    started_at = models.DateTimeField()
    source = models.CharField(max_length=500, blank=True)
    started_by = models.CharField(max_length=150, blank=True)
    # Committed: the import has written the organisation and is judging its health (pages then show the
    # latest report kept for the day rather than judge beside it; before, they read the organisation as it was).
    written = models.BooleanField(default=False, db_default=False)

    def __str__(self) -> str:
        return f"import of {self.source} running since {self.started_at}"
