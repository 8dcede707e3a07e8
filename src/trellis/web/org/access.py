"""Who may see what about the organisation.

Everyone signed in sees the chart, names, teams, levels and roles. A person's
preferred track is personal: it is shown only to the person themself, to their
direct managers (the solid-line manager and every dotted-line manager), and to HR
and admin. Managers further up the solid chain do not see it: a skip-level manager
asks the direct manager, who knows the context, and the rule stays one hop wide so
it can be checked from the person's own row without walking the tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trellis.web.accounts.roles import is_hr_or_admin


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in user looking at a page or calling the API."""

    user_id: int | None
    privileged: bool  # HR or admin: may import, export and see every preferred track

    @classmethod
    def of(cls, user: Any) -> Viewer:
        signed_in = bool(getattr(user, "is_authenticated", False))
        return cls(user_id=user.pk if signed_in else None, privileged=signed_in and is_hr_or_admin(user))

    def may_see_preferred_track(self, person_user_id: int | None, manager_user_ids: Iterable[int | None]) -> bool:
        """``manager_user_ids``: the accounts of the person's solid and dotted managers."""
        if self.privileged:
            return True
        if self.user_id is None:
            return False
        return person_user_id == self.user_id or self.user_id in set(manager_user_ids)
