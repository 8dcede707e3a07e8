"""Who may see and do what about a person: the one home of that rule.

A viewer stands in some relations to a person (the person themself, their solid-line
manager, a dotted-line manager, a manager further up the solid line, the tech lead of
the person's team, HR, admin; later a reviewer). Each right names the relations that
grant it. Every page, API field, export and health-finding filter asks ``allows``;
nobody re-derives "is this my manager" locally. The database layer works out the
relations (``trellis.web.org.access``); the rules here are plain data.
"""

from trellis.access.rules import (
                                  PERSONAL_ACTS,
                                  RULES,
                                  Relation,
                                  Right,
                                  allows,
                                  explain,
                                  proposal_relations,
                                  relations_to,
                                  scenario_changeable,
                                  scenario_visible,
)

__all__ = ["PERSONAL_ACTS", "RULES", "Relation", "Right", "allows", "explain", "proposal_relations", "relations_to",
           "scenario_changeable", "scenario_visible"]
