"""The drawn org chart: boxes as SVG, made by the server one subtree at a time.

The server writes each box (name, level, team, the roles held with the other half of
each pair, dotted lines) as SVG with its data; the browser's own script
(``static/trellis/chart.js``) only places the boxes, draws the lines between them, and
pans, zooms, expands and searches. A subtree is fetched when it is opened, so the first
paint costs the top of the organisation whatever its size.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from trellis.ladder.model import Ladder
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.org.chart import ChartNode
from trellis.web.org.timeline import ROLE_LABELS

BOX_WIDTH, BOX_HEIGHT = 220, 86  # chart.js places boxes of this size
DEPARTMENT_COLOURS = 10  # palette entries in chart.css (dep-0 … dep-9)
NAME_CHARS = 26
LINE_CHARS = 31
SHORT_ROLE = {TECH_LEAD: "TL", PEOPLE_MANAGER: "PM"}
MISSING_HALF = {TECH_LEAD: "no people manager", PEOPLE_MANAGER: "no tech lead"}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def department_class(department: str) -> str:
    """A colour for a department that stays the same on every page and in every subtree."""
    return f"dep-{zlib.crc32(department.encode('utf-8')) % DEPARTMENT_COLOURS}" if department else "dep-none"


@dataclass
class Box:
    """One person's box, ready for ``org/_boxes.svg``."""

    id: str
    name: str
    label: str  # the full text a screen reader and a tooltip read
    name_line: str
    level_line: str
    role_line: str
    role_gap: bool  # the role line names a missing half of a pair
    more_roles: int
    dotted_line: str
    classes: str
    reports: int
    dotted: str  # ids of dotted-line managers, comma-separated
    pairs: str  # ids of the other halves of this person's pairs
    teams: str  # teams on which the person holds a role, for findings about teams
    department: str
    level: str
    track: str


def box(node: ChartNode, ladder: Ladder) -> Box:
    p = node.person
    department = p.team.department if p.team else ""
    level = ladder.levels_by_id.get(p.level)
    grade = f"lvl-g{level.grade}" if level is not None else "lvl-none"
    roles = []
    for b in node.badges:
        partners = " and ".join(o.name for o in b.partners)
        roles.append((f"{SHORT_ROLE[b.role.role]} {b.role.team.name} ⇄ {partners}" if partners
                      else f"{SHORT_ROLE[b.role.role]} {b.role.team.name} · {MISSING_HALF[b.role.role]}",
                      not partners,
                      f"{ROLE_LABELS.get(b.role.role, b.role.role)} of {b.role.team.name}"
                      + (f", paired with {partners}" if partners else f", {MISSING_HALF[b.role.role]}")))
    dotted = ", ".join(m.name for m in node.dotted_managers)
    level_line = node.level.title + (f" · {p.team.name}" if p.team else "")
    outside = "reports outside the organisation" if p.reports_outside else ""
    label = "; ".join([f"{p.name}, {level_line}", *([outside] if outside else []), *(r[2] for r in roles),
                       *([f"dotted line to {dotted}"] if dotted else []),
                       *([f"{node.report_count} direct reports"] if node.report_count else [])])
    return Box(
        id=p.external_id, name=p.name, label=label, name_line=clip(p.name, NAME_CHARS),
        level_line=clip(level_line, LINE_CHARS), role_line=clip(roles[0][0], LINE_CHARS) if roles else "",
        role_gap=bool(roles) and roles[0][1], more_roles=max(len(roles) - 1, 0),
        dotted_line=clip(f"⋯ {dotted}" if dotted else "↑ manager outside the organisation" if outside else "",
                         LINE_CHARS),
        classes=" ".join([f"trk-{node.level.kind or 'none'}", grade, department_class(department)]),
        reports=node.report_count,
        dotted=",".join(m.external_id for m in node.dotted_managers),
        pairs=",".join(sorted({o.external_id for b in node.badges for o in b.partners})),
        teams="|".join(sorted({b.role.team.name for b in node.badges})),
        department=department, level=node.level.title, track=node.level.track,
    )


def svg(boxes: list[Box], person_url: str) -> str:
    """The SVG of ``boxes``, unplaced. Written here rather than by a template: a subtree of 200
    boxes renders ten times faster. ``person_url`` holds ``ID`` where a person's id goes."""
    return "".join(_box_svg(b, person_url) for b in boxes)


def _box_svg(b: Box, person_url: str) -> str:
    e = escape
    parts = [
        f'<g class="box {e(b.classes)}" id="box-{e(b.id)}" data-id="{e(b.id)}" data-reports="{b.reports}" '
        f'data-dotted="{e(b.dotted)}" data-pairs="{e(b.pairs)}" data-teams="{e(b.teams)}" '
        f'data-department="{e(b.department)}" data-level="{e(b.level)}" data-track="{e(b.track)}" '
        f'role="group" aria-label="{e(b.label)}"><title>{e(b.label)}</title>'
        f'<rect class="card" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6"/>'
        f'<rect class="strip" width="6" height="{BOX_HEIGHT}" rx="3"/>'
        f'<a href="{e(person_url.replace("ID", quote(b.id, safe="/")))}"><text class="name" x="14" y="20">'
        f'{e(b.name_line)}</text></a><text class="sub" x="14" y="37">{e(b.level_line)}</text>'
    ]
    if b.role_line:
        more = f" +{b.more_roles}" if b.more_roles else ""
        parts.append(f'<text class="pair{" gap" if b.role_gap else ""}" x="14" y="54">{e(b.role_line)}{more}</text>')
    if b.dotted_line:
        parts.append(f'<text class="dotted" x="14" y="71">{e(b.dotted_line)}</text>')
    if b.reports:
        reports = f'{b.reports} direct report{"s" if b.reports != 1 else ""}'
        parts.append(f'<g class="toggle" role="button" tabindex="0" aria-expanded="false" '
                     f'aria-label="{reports} of {e(b.name)}"><rect x="150" y="66" width="64" height="16" rx="8"/>'
                     f'<text x="182" y="78"><tspan class="arrow" aria-hidden="true">▸</tspan> {b.reports}</text></g>')
    parts.append(f'<a class="focus-link" href="?root={e(quote(b.id, safe=""))}" '
                 f'aria-label="Only {e(b.name)}&#x27;s part of the organisation"><text x="200" y="19">⤢</text></a>'
                 '<g class="badges"></g></g>')
    return "".join(parts)
