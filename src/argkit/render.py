"""Drawing maps: DOT (a ``graphviz.Digraph``), SVG from a layout engine, and text outlines.

The visual language follows Rationale's conventions, with every distinction made by three cues
that do not depend on each other, so a map reads in colour, in greyscale and to a colour-blind
reader:

=========== ============================ ===================== ==============
kind        colour (Okabe–Ito derived)   edge to its parent    edge label
=========== ============================ ===================== ==============
contention  blue, heavy border           --                    --
reason      bluish green                 solid                 "because"
objection   vermillion                   dashed                "but"
rebuttal    orange                       dashed                "however"
evidence    grey-blue, folded corner     solid, hollow arrow   "as shown by"
=========== ============================ ===================== ==============

Every box starts with a header naming the kind and the author (``REASON · Michael Cox``), then the
claim wrapped to a readable width, then a short citation (``Cox 2022, n. 52``); the full quote is in
the tooltip. Claims a student added say ``✎ added by ana`` and have a dashed border. Linked
co-premises sit side by side in one shared box with one arrow. Cross-relations are dotted extra
edges that do not change the layout.

Map text is untrusted: every string from a map is escaped, and no link, target or other raw
Graphviz attribute is ever taken from it.

In the SVG each claim is a group ``<g id="argkit-node-ID" class="node argkit-node argkit-KIND">``
(ids of claims are restricted to ``[A-Za-z_][A-Za-z0-9_-]*``), so a click handler can find it.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap(title="Tea", nodes=(
    ...     Node("t", "Tea is good."),
    ...     Node("r", "It is tasty.", parent="t", stance="pro"),
    ...     Node("o", "It stains teeth.", parent="t", stance="con", added_by="ana"),
    ... ))
    >>> print(to_outline(m))
    Tea
    1. CONTENTION [t]: Tea is good.
       1.1 REASON [r]: It is tasty.
       1.2 OBJECTION [o]: It stains teeth. ✎ added by ana
    >>> 'id="argkit&#45;node&#45;r"' in to_svg(m)
    True
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import graphviz
from graphviz.quoting import quote as _quote

from argkit.engine import render_dot, resolve_engine
from argkit.errors import ArgkitError, FocusError
from argkit.model import ID_PATTERN, ArgumentMap, Node
from argkit.semantics import Labelling

__all__ = [
    "Drawing", "FocusError", "clear_cache", "draw", "is_cut", "render_dot", "to_dot", "to_graph",
    "to_outline", "to_pdf", "to_png", "to_svg",
]

WRAP = 38  # characters per line of claim text ...
WRAP_LR = 30  # ... and in a left-to-right tree, where every level of the map costs a column
ROW = 2  # leaf claims under one parent per row before they are stacked into more rows ...
ROWS = 3  # ... but never more rows than this
MAX_LINES = 9  # longer claims are cut with "…"; the tooltip keeps the whole text
_PEN = 1.4  # border width of an ordinary claim
FONT = "Helvetica"  # a font list would make Graphviz measure text with Times metrics (too narrow)
RANKDIRS = ("TB", "LR")
# A notebook's output area is about 930 px wide on a 1366-px laptop and 845 px on a 1280-px
# projector (JupyterLab with its file browser open). A map is shown at most this wide ...
SCREEN_WIDTH = 820
# ... and never shrunk below this, so its smallest text (9 pt = 12 px) stays at least 8 px.
MIN_SCALE = 0.7
_BUDGET_PT = SCREEN_WIDTH / MIN_SCALE * 3 / 4  # the widest drawing (in points) that fits so


@dataclass(frozen=True)
class _Style:
    fill: str
    border: str
    word: str  # edge label toward the parent
    edge_style: str  # solid support, dashed attack
    arrow: str


# Light fills and dark borders derived from the Okabe–Ito palette (colour-blind safe); the text
# stays black on every fill (contrast > 12:1).
_STYLES: dict[str, _Style] = {
    "contention": _Style("#D4E6F4", "#0072B2", "", "solid", "normal"),
    "reason": _Style("#D2EFE3", "#00734F", "because", "solid", "normal"),
    "objection": _Style("#F8D0C0", "#B34E00", "but", "dashed", "normal"),
    "rebuttal": _Style("#FFF0BD", "#946300", "however", "dashed", "normal"),
    "evidence": _Style("#E6EAEE", "#56677A", "as shown by", "solid", "empty"),
}
_RELATION_STYLE = {
    "supports": ("#00734F", "supports"),
    "attacks": ("#B34E00", "attacks"),
    "undercuts": ("#6C3F8F", "undercuts the step"),
}
_BADGE = {"IN": "✔ IN", "OUT": "✘ OUT", "UNDEC": "? UNDEC"}


# -- escaping ------------------------------------------------------------------------------------
# Characters XML cannot carry or that would move text around: C0/C1 controls other than the
# whitespace that str.split() already turns into spaces, lone surrogates, U+FFFE and U+FFFF, and
# the bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): validate refuses
# them in a file, but a map built in code reaches here unchecked, and one U+202E would show a
# claim's words in reverse order on the projector.
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
                          "\u202a-\u202e\u2066-\u2069]")


def _clean(text: str) -> str:
    """Map text as one line of characters that XML can carry, in the order it is stored
    (no controls, no bidirectional overrides, no lone surrogates)."""
    return " ".join(_UNPRINTABLE.sub("", str(text)).split())


def _esc(text: str) -> str:
    """One fragment of untrusted text as a DOT escString that Graphviz prints literally.

    ``graphviz.escape`` disables backslash sequences (``\\N``, ``\\l``) and ``<...>`` HTML
    labels; the quoting of ``"`` happens when the ``graphviz`` package writes the attribute.
    Graphviz also reads ``&name;`` entities, so ``&`` itself is written as ``&amp;``.
    """
    # str.replace returns a plain str: wrap it again, or a value like "<b>" would be written
    # unquoted as an HTML-like label (and "<x> URL=..." as live attributes).
    return cast(str, graphviz.nohtml(graphviz.escape(_clean(text)).replace("&", "&amp;")))  # keep nohtml's type


def _escape_lines(lines: list[str], sep: str, *, twice: bool) -> str:
    """Escape cleaned lines (no newlines in them) in one pass and join them with ``sep``.

    Same rules as :func:`_esc`. Pass ``twice`` for tooltips: Graphviz unescapes a tooltip twice
    (an escaped ``\\\\N`` would still become the node's name), so each backslash is escaped twice.
    """
    text = graphviz.escape("\n".join(lines))
    if twice:
        text = graphviz.escape(text)
    return cast(str, graphviz.nohtml(text.replace("&", "&amp;").replace("\n", sep)))  # keep nohtml's type


def _stmt(head: str, attrs: Mapping[str, str], indent: str = "\t") -> str:
    """One DOT statement ``head [k="v" ...]``: the one way argkit writes DOT.

    The ``graphviz`` package's own quoting costs more than Graphviz's layout on a large map, so
    every statement is written here and appended to ``Digraph.body``. It is safe because every
    value is either a constant or comes from :func:`_esc` or :func:`_escape_lines`, where each
    backslash is doubled: a ``"`` in a value is never preceded by an odd run of backslashes, so
    escaping it as ``\\"`` always keeps it inside the string. Node ids are checked
    (:func:`_check_id`) and quoted by ``graphviz.quoting.quote``.
    """
    body = " ".join(f'{k}="{v}"' if '"' not in v else f'{k}="{v.replace(_Q, _ESCAPED_Q)}"'
                    for k, v in attrs.items())
    return f"{indent}{head} [{body}]\n"


_Q = '"'
_ESCAPED_Q = '\\"'


def _edge(g: graphviz.Digraph, tail: str, head: str, attrs: Mapping[str, str]) -> None:
    g.body.append(_stmt(f"{_quote(tail)} -> {_quote(head)}", attrs))


def is_cut(text: str) -> bool:
    """True if a box shows only the start of this claim (the rest is in its tooltip and the file)."""
    return _wrap(text)[-1].endswith("…") and not _clean(text).endswith("…")


def _wrap(text: str, width: int = WRAP, max_lines: int = MAX_LINES) -> list[str]:
    """Greedy word wrap (much quicker than ``textwrap``); words longer than a line are cut."""
    lines: list[str] = []
    cur = ""
    for word in _clean(text).split(" "):
        while len(word) > width:
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(word[:width])
            word = word[width:]
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return lines or [""]


# -- what to draw --------------------------------------------------------------------------------
def _citations(m: ArgumentMap) -> dict[str, str]:
    """Short citations per source id, with a, b, ... when two sources would read the same."""
    plain = {s.id: s.citation() for s in m.sources}
    count: dict[str, int] = {}
    for c in plain.values():
        count[c] = count.get(c, 0) + 1
    seen: dict[str, int] = {}
    out = {}
    for sid, c in plain.items():
        if count[c] > 1 and any(ch.isdigit() for ch in c):
            seen[c] = seen.get(c, 0) + 1
            out[sid] = c + "abcdefghijklmnopqrstuvwxyz"[(seen[c] - 1) % 26]
        else:
            out[sid] = c
    return out


def _cite(n: Node, cites: Mapping[str, str]) -> str:
    """``Cox 2022b, n. 52`` for a node, or ``""`` when it names no source."""
    q = n.quote
    sid = (q.source if q is not None and q.source else None) or n.source
    parts = [cites.get(sid, sid)] if sid else []
    if q is not None and q.endnote:
        parts.append(f"n. {q.endnote}")
    elif q is not None and q.page:
        parts.append(f"p. {q.page}")
    return ", ".join(p for p in parts if p)


def _kind_head(m: ArgumentMap, n: Node) -> str:
    kind = m.kind(n.id)
    head = kind.upper()
    if kind == "evidence" and n.basis:
        head += f" ({n.basis})"
    return head


def _header(m: ArgumentMap, n: Node, label: str | None) -> str:
    parts = [_kind_head(m, n)]
    if n.author:
        parts.append(n.author)
    text = " · ".join(parts)
    if label is not None:
        text = f"{_BADGE.get(label, label)} · {text}"
    return text


def _label_of(labelling: Any, node_id: str, field: str = "labels") -> str | None:
    """``labelling.<field>[node_id]`` as text (``labels``, ``inferences``, ``explanations``)."""
    if labelling is None:
        return None
    table = getattr(labelling, field, labelling if field == "labels" else None)
    value = table.get(node_id) if table is not None and hasattr(table, "get") else None
    return None if value is None else str(getattr(value, "value", value))


def _select(
    m: ArgumentMap, focus: str | None, depth: int | None, collapse: int | None,
    fold: tuple[str, ...] = (), with_parent: bool = False,
) -> tuple[list[tuple[Node, int]], dict[str, int]]:
    """The nodes to draw (with depth below the start) and, per folded node, how many it hides."""
    for name, v in (("depth", depth), ("collapse", collapse)):
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            raise FocusError(f"{name} must be a whole number 0 or more (got {v!r})")
    if focus is not None and focus not in m:
        known = ", ".join(repr(n.id) for n in m.nodes[:12]) + (", ..." if len(m.nodes) > 12 else "")
        raise FocusError(
            f"no claim {focus!r} to focus on in map {m.title!r} (the ids are: {known}; "
            "run 'argkit outline FILE' to see them all)"
        )
    limit = min(x for x in (depth, collapse) if x is not None) if (depth, collapse) != (None, None) else None
    shown: list[tuple[Node, int]] = []
    folded: dict[str, int] = {}
    if with_parent and focus is not None:
        parent = m.node(focus).parent
        if parent is not None and parent in m:
            shown.append((m.node(parent), -1))  # the claim the focus answers, without its siblings
    fold_set = set(fold)
    hidden: set[str] = set()
    for n, d in m.walk(focus):
        if n.parent in hidden or (n.parent in fold_set and n.id != focus):
            hidden.add(n.id)
        elif limit is None or d <= limit:
            shown.append((n, d))
    for n, d in shown:
        at_collapse = d == collapse and (depth is None or collapse < depth)
        if at_collapse or n.id in fold_set:
            count = sum(1 for _, dd in m.walk(n.id) if depth is None or dd + d <= depth) - 1
            if count:
                folded[n.id] = count
    return shown, folded


# -- DOT -----------------------------------------------------------------------------------------
def _check_id(node_id: str) -> str:
    if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
        raise ArgkitError(
            f"cannot draw a claim with id {node_id!r}: ids must start with a letter or '_' and "
            "use only letters, digits, '_' and '-' (run 'argkit validate' to find every problem)"
        )
    return node_id


@functools.cache
def _defaults(rankdir: str = "TB") -> tuple[str, ...]:
    """The graph, node and edge defaults: the same for every map, so written once per process."""
    return (
        _stmt("graph", {"rankdir": rankdir, "nodesep": "0.25", "ranksep": "0.5" if rankdir == "TB" else "0.3",
                        "compound": "true", "newrank": "true", "fontname": FONT, "bgcolor": "white",
                        "outputorder": "edgesfirst"}),
        _stmt("node", {"shape": "box", "style": "rounded,filled", "fontname": FONT, "fontsize": "11",
                       "margin": "0.16,0.08", "penwidth": str(_PEN)}),
        _stmt("edge", {"fontname": FONT, "fontsize": "10", "dir": "back", "penwidth": "1.4", "arrowsize": "0.9"}),
    )


def to_graph(
    m: ArgumentMap,
    *,
    focus: str | None = None,
    depth: int | None = None,
    collapse: int | None = None,
    labelling: Any = None,
    fold: tuple[str, ...] = (),
    with_parent: bool = False,
    rankdir: str | None = None,
) -> graphviz.Digraph:
    """The map as a ``graphviz.Digraph`` (see :func:`to_dot` for the options)."""
    shown, folded = _select(m, focus, depth, collapse, tuple(fold), with_parent)
    visible = {n.id for n, _ in shown}
    cites = _citations(m)
    estimate = None
    if rankdir is None:
        estimate = _estimate(m, shown, visible, folded)
        rankdir = _auto_rankdir(m, shown, visible, folded, estimate)
    elif rankdir not in RANKDIRS:
        raise FocusError(f"rankdir must be one of 'TB', 'LR' or None (got {rankdir!r})")
    g = graphviz.Digraph("argkit")
    g.body.extend(_defaults(rankdir))
    if m.title:
        g.body.append(_stmt("graph", {"label": _esc(m.title), "labelloc": "t", "fontsize": "16"}))

    wrap = WRAP if rankdir == "TB" else WRAP_LR
    for n, _ in shown:
        _node(g, m, n, cites, _label_of(labelling, n.id),
              _label_of(labelling, n.id, "explanations"), wrap)

    # Linked co-premises share one box: a cluster around the siblings, with one arrow from it.
    grouped: dict[str, str] = {}  # node id -> cluster name
    drawn_groups: set[tuple[str | None, str, str | None]] = set()
    for n, _ in shown:
        if n.link is None or n.parent not in visible:
            continue
        key = (n.parent, n.link, n.stance)
        if key in drawn_groups:
            continue
        members = [c for c in m.co_premises(n.id) if c.id in visible]
        if len(members) < 2:
            continue
        drawn_groups.add(key)
        name = f"cluster_link_{len(drawn_groups)}"
        g.body.append(f"\tsubgraph {name} {{\n")
        g.body.append(_stmt("graph", {
            "label": "linked: these count only together", "labelloc": "b", "fontsize": "9",
            "fontcolor": "#333333", "style": "rounded,dashed", "color": "#555555", "penwidth": "1.2",
            "margin": "10", "id": f"argkit-link-{_check_id(n.id)}", "class": "argkit-link"}, "\t\t"))
        for member in members:
            g.body.append(f"\t\t{_quote(member.id)}\n")
            grouped[member.id] = name
        g.body.append("\t}\n")
    # Side by side leaves are what makes a top-down tree wide; a left-to-right one stacks them anyway.
    stagger = _stagger(m, shown, visible, {**grouped, **folded}) if rankdir == "TB" else {}
    # Left to right, a word laid out on the edge widens every gap between two columns; an external
    # label takes no width but may sit under a box, so it is used only when the map needs the room.
    word = "label"
    if rankdir == "LR" and (estimate or _estimate(m, shown, visible, folded))[1] + 16 * _levels(shown) > _BUDGET_PT:
        word = "xlabel"
    done_groups: set[str] = set()
    # Left to right, Graphviz centres a parent on its children: the contention of a long overview
    # would sit half a screen down, beside its fifth reason. A heavy edge to the first child
    # keeps that edge straight instead, so each claim is level with its first child and the
    # contention is at the top left, where a reader starts.
    level_with: set[str] = set()
    for n, _ in shown:
        if n.parent is None or n.parent not in visible:
            continue
        cluster = grouped.get(n.id)
        if cluster is not None:
            if cluster in done_groups:
                # keep siblings in the box side by side without a second arrow
                _edge(g, n.parent, n.id, {"style": "invis", "dir": "none"})
                continue
            done_groups.add(cluster)
        st = _STYLES[m.kind(n.id)]
        attrs = {word: f" {st.word}", "style": st.edge_style, "color": st.border,
                 "fontcolor": st.border, "arrowtail": st.arrow}
        if cluster is not None:
            attrs["lhead"] = cluster
        if n.id in stagger:
            attrs["minlen"] = str(stagger[n.id])
        if rankdir == "LR" and n.parent not in level_with:
            level_with.add(n.parent)
            if cluster is None:  # an edge into a linked box bends anyway, and a weight hides its word
                attrs["weight"] = "100"
        if _label_of(labelling, n.id, "inferences") == "OUT":
            # the step to the parent is undercut: say so in words, and draw it thin and grey
            attrs.update({word: f" {st.word} ✘ step OUT", "penwidth": "0.8", "color": "#8C8C8C"})
        _edge(g, n.parent, n.id, attrs)

    for nid, hidden in folded.items():
        more = f"more {nid}"
        g.body.append(_stmt(_quote(more), {
            "label": f"+{hidden} more", "shape": "box", "style": "rounded,dashed", "fontcolor": "#333333",
            "color": "#555555", "fontsize": "10",
            "tooltip": f"{hidden} claim(s) under this one are folded; draw with focus={nid!r} to see them",
            "id": f"argkit-more-{nid}", "class": "argkit-more"}))
        _edge(g, nid, more, {"style": "dotted", "color": "#555555", "arrowtail": "none"})

    for r in m.relations:
        if r.from_id in visible and r.to_id in visible and r.type in _RELATION_STYLE:
            color, word = _RELATION_STYLE[r.type]
            _edge(g, r.from_id, r.to_id, {
                "label": f" {word}", "style": "dotted", "color": color, "fontcolor": color, "dir": "forward",
                "arrowhead": "vee" if r.type != "undercuts" else "tee", "constraint": "false",
                "penwidth": "1.6"})
    return g


def _stagger(m: ArgumentMap, shown: list[tuple[Node, int]], visible: set[str],
             skip: Mapping[str, Any]) -> dict[str, int]:
    """Edge lengths that stack a long row of leaf claims into a few shorter rows.

    A reason with nine pieces of evidence would otherwise put all nine side by side, and a course
    map becomes a strip ten screens wide. Like Graphviz's ``unflatten -l``, the leaves under one
    parent get edges of length 1, 2, ..., so they step down in up to ``ROWS`` rows of at least
    ``ROW`` boxes. Co-premises (``skip``: drawn in one box) and folded claims stay put.
    """
    leaves: dict[str, list[str]] = {}
    for n, _ in shown:
        if (n.parent in visible and n.id not in skip
                and not any(c.id in visible for c in m.children(n.id))):
            leaves.setdefault(n.parent, []).append(n.id)
    out: dict[str, int] = {}
    for ids in leaves.values():
        rows = min(-(-len(ids) // ROW), ROWS)
        if rows > 1:
            for i, nid in enumerate(ids):
                out[nid] = 1 + i % rows
    return out


# -- choosing the direction ------------------------------------------------------------------------
_CHAR_PT = 5.6  # Graphviz's Helvetica at 11 pt: average width of a character of map text
_BOX_PT = 26  # margins and border of a box
_GAP_TB = 60  # between two boxes side by side (nodesep and room for an edge label)
_GAP_LR = 50  # between two columns (ranksep and the edge's words)


def _split_header(head: str, wrap: int) -> list[str]:
    """The header as one line, or, when it is longer than the text, the author on lines of their own."""
    if len(head) <= wrap + 4 or " · " not in head:
        return [head]
    first, author = head.rsplit(" · ", 1)
    return [first, *_wrap(author, wrap, 2)]


def _box_widths(m: ArgumentMap, n: Node) -> tuple[float, float]:
    """Estimated widths of a claim's box in points, top-down and left to right.

    Without wrapping the text: a wrapped claim's longest line is close to the wrap width, so the
    estimate costs a fraction of drawing the label.
    """
    head = _header(m, n, None)
    first, _, author = head.rpartition(" · ")
    text = len(n.text)
    out = []
    for wrap in (WRAP, WRAP_LR):
        # a long header puts the author on lines of their own (see _split_header)
        h = len(head) if len(head) <= wrap + 4 or not first else max(len(first), min(len(author), wrap))
        out.append(max(h, min(text, wrap)) * _CHAR_PT + _BOX_PT)
    return out[0], out[1]


def _estimate(m: ArgumentMap, shown: list[tuple[Node, int]], visible: set[str],
              folded: Mapping[str, int]) -> tuple[float, float]:
    """Estimated drawing widths in points: (top-down, left-to-right), without laying it out."""
    both = {n.id: _box_widths(m, n) for n, _ in shown}
    width = {i: w[0] for i, w in both.items()}
    narrow = {i: w[1] for i, w in both.items()}
    levels: dict[int, list[str]] = {}
    for n, d in shown:
        levels.setdefault(d, []).append(n.id)
    more = 50.0 if folded else 0.0
    lr = sum(max(narrow[i] for i in ids) for ids in levels.values()) + _GAP_LR * (len(levels) - 1)
    lr += (_GAP_LR + more) if folded else 0.0
    stagger = _stagger(m, shown, visible, folded)
    tb = 0.0
    for ids in levels.values():
        rows = max((stagger.get(i, 1) for i in ids), default=1)
        leaves = [i for i in ids if i in stagger]
        inner = [i for i in ids if i not in stagger]
        row = sum(width[i] + _GAP_TB for i in inner) + sum(width[i] + _GAP_TB for i in leaves) / rows
        row += (more + _GAP_TB) * sum(1 for i in ids if i in folded)
        tb = max(tb, row)
    return tb, lr


def _levels(shown: list[tuple[Node, int]]) -> int:
    return len({d for _, d in shown})


def _auto_rankdir(m: ArgumentMap, shown: list[tuple[Node, int]], visible: set[str],
                  folded: Mapping[str, int], estimate: tuple[float, float] | None = None) -> str:
    """Top-down when the tree fits the screen, else left to right if that is narrower.

    A left-to-right tree grows downwards, the way a notebook scrolls, and its width depends
    only on how deep the map is, not on how many claims it has.
    """
    tb, lr = estimate or _estimate(m, shown, visible, folded)
    # The top-down estimate runs low (edge labels, uneven rows): trust it only well inside the screen.
    return "TB" if tb * 4 / 3 <= SCREEN_WIDTH or tb <= lr else "LR"


def _node(g: graphviz.Digraph, m: ArgumentMap, n: Node, cites: Mapping[str, str],
          label: str | None, why: str | None = None, wrap: int = WRAP) -> None:
    kind = m.kind(n.id)
    st = _STYLES[kind]
    # Lines are cleaned one by one, then the whole label is escaped at once (one pass per node).
    head = _clean(_header(m, n, label))
    # a long header ("EVIDENCE (quote) · Nigel Gould Davis (IISS)") would set the box's width alone
    lines = _split_header(head, wrap)
    if n.added_by:
        lines.append(_clean(f"✎ added by {n.added_by}"))
    lines += _wrap(n.text, wrap)
    cite = _cite(n, cites)
    if cite:
        lines.append(_clean(f"— {cite}"))

    tip = [_clean(n.text)]
    if n.quote is not None:
        tip.append(f"“{_clean(n.quote.text)}”" + (f" ({_clean(cite)})" if cite else ""))
    elif cite:
        tip.append(f"({_clean(cite)})")
    if label is not None:
        # argkit's explanations already start with the label ("OUT because ..."); others may not
        tip.append(_clean(why if why and why.startswith(label) else f"{label}: {why}" if why else label))
    tip.append(f"id: {n.id}")

    style = ["rounded", "filled"]
    pen = 2.8 if kind == "contention" else _PEN
    fill = st.fill
    if n.added_by:
        style.append("dashed")
    if label == "IN":
        pen += 1.4
    elif label == "OUT":
        style = [s for s in style if s != "dashed"] + ["dotted"]
        fill = "#F4F4F4"
    elif label is not None:
        style = [s for s in style if s != "dashed"] + ["dashed"]
    if kind == "evidence":
        style.remove("rounded")  # the folded-corner "note" shape has no rounded corners
    classes = ["argkit-node", f"argkit-{kind}"]
    if n.added_by:
        classes.append("argkit-student")
    if label is not None:
        classes.append(f"argkit-{label.lower()}" if label in _BADGE else "argkit-labelled")
    attrs = {
        "label": _escape_lines(lines, "\\l", twice=False) + "\\l",
        "tooltip": _escape_lines(tip, "\\n", twice=True),
        "id": f"argkit-node-{n.id}",
        "class": " ".join(classes),
        "fillcolor": fill,
        "color": st.border,
    }
    # Only what differs from the graph's node defaults: a 1,000-claim map is 30% quicker to build.
    if kind == "evidence":
        attrs["shape"] = "note"
    if style != ["rounded", "filled"]:
        attrs["style"] = ",".join(style)
    if pen != _PEN:
        attrs["penwidth"] = f"{pen:.1f}"
    g.body.append(_stmt(_quote(_check_id(n.id)), attrs))


def to_dot(
    m: ArgumentMap,
    *,
    focus: str | None = None,
    depth: int | None = None,
    collapse: int | None = None,
    labelling: Any = None,
    fold: tuple[str, ...] = (),
    with_parent: bool = False,
    rankdir: str | None = None,
) -> str:
    """The map as DOT text.

    Args:
        m: The map to draw.
        focus: Draw only this claim and what is under it.
        depth: Draw at most this many levels below the focus (or below the contentions).
        collapse: Fold everything deeper than this many levels into one ``+k more`` box per
            folded subtree.
        labelling: An evaluation result (anything with ``.labels``, a mapping from node id to
            ``"IN"``, ``"OUT"`` or ``"UNDEC"``); each claim then shows its label as a word and
            a border: heavy for IN, dotted on grey for OUT, dashed for UNDEC. Optional
            ``.explanations`` (id -> why) go into the tooltips, and an edge whose
            ``.inferences`` entry is ``"OUT"`` (an undercut step) is drawn thin and grey with
            the words "step OUT".
        fold: Claims whose subtrees are folded into one ``+k more`` box each (a branch
            collapsed in the map view).
        with_parent: With ``focus``, also draw the claim the focus answers (its parent, without
            the parent's other children), as the map view's focused navigation does.
        rankdir: ``"TB"`` for a top-down tree (the contention at the top), ``"LR"`` for a
            left-to-right one (the contention on the left; it grows downwards, the way a notebook
            scrolls). By default a tree that fits a laptop screen is drawn top-down, a wider one
            left to right.

    Returns:
        DOT source, ready for :func:`render_dot` or any Graphviz.

    Raises:
        FocusError: ``focus`` is not a claim in the map, or ``depth``/``collapse`` is negative.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good."),
        ...     Node("r", "It is tasty.", parent="t", stance="pro")))
        >>> dot = to_dot(m)
        >>> 'label=" because"' in dot and "t -> r" in dot
        True
    """
    return str(to_graph(m, focus=focus, depth=depth, collapse=collapse, labelling=labelling, fold=fold,
                        with_parent=with_parent, rankdir=rankdir).source)


def to_svg(
    m: ArgumentMap,
    *,
    engine: str | None = None,
    focus: str | None = None,
    depth: int | None = None,
    collapse: int | None = None,
    labelling: Any = None,
    fold: tuple[str, ...] = (),
    with_parent: bool = False,
    rankdir: str | None = None,
) -> str:
    """The map drawn as SVG text (options as in :func:`to_dot`; ``engine`` as in :func:`render_dot`).

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> svg = to_svg(ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good."),)))
        >>> "Tea is good." in svg
        True
    """
    name = resolve_engine(engine)
    try:
        key: Any = (m, focus, depth, collapse, _labels_key(labelling), name, tuple(fold), with_parent,
                    rankdir)
        hash(key)
    except TypeError:  # an unhashable labelling: just draw it
        key = None
    if key is not None and key in _svg_cache:
        _svg_cache.move_to_end(key)
        return _svg_cache[key]
    dot = to_dot(m, focus=focus, depth=depth, collapse=collapse, labelling=labelling, fold=fold,
                 with_parent=with_parent, rankdir=rankdir)
    svg = render_dot(dot, engine=name)
    if key is not None:
        _remember(key, svg)
    return svg


# The one cache of drawings in a process: notebooks, the editor (its map view and its SVG export),
# the what-if widget and the class map all draw through to_svg. Maps are immutable and compare by
# content, so the same map drawn again (a notebook re-run, an undo, a redo, going back up a
# breadcrumb) reuses its SVG instead of laying it out again. It is bounded twice over: in drawings
# and in characters (a 90-claim course map is about 0.26 million), so a kernel's memory stays small.
CACHE_SIZE = 64
CACHE_CHARS = 8_000_000
_svg_cache: OrderedDict[Any, str] = OrderedDict()
_cache_chars = 0


def _remember(key: Any, svg: str) -> None:
    global _cache_chars
    _svg_cache[key] = svg
    _cache_chars += len(svg)
    while len(_svg_cache) > 1 and (len(_svg_cache) > CACHE_SIZE or _cache_chars > CACHE_CHARS):
        _cache_chars -= len(_svg_cache.popitem(last=False)[1])


def clear_cache() -> None:
    """Forget every SVG drawn so far (for benchmarks; drawing is deterministic either way)."""
    global _cache_chars
    _svg_cache.clear()
    _cache_chars = 0


def _labels_key(labelling: Any) -> Any:
    """A hashable key that tells labellings apart as drawings do.

    A :class:`~argkit.semantics.Labelling` is what :func:`~argkit.semantics.evaluate` made of its
    map, the rejected and the accepted claims; with its labels and inferences (cheap: one word per
    claim) that is what ``Labelling.__eq__`` compares, and its explanations follow from them, so
    they are never built just to make a key. Anything else duck-typed is keyed on everything the
    drawing reads from it.
    """
    if labelling is None:
        return None
    if isinstance(labelling, Labelling):
        return (labelling.map, labelling.reject, labelling.accept, tuple(labelling.labels.items()),
                tuple(labelling.inferences.items()))
    key = []
    for field in ("labels", "inferences", "explanations"):
        table = getattr(labelling, field, labelling if field == "labels" else None)
        items = table.items() if table is not None and hasattr(table, "items") else ()
        key.append(tuple(sorted((str(k), str(getattr(v, "value", v))) for k, v in items)))
    return tuple(key)


# -- pictures for notebooks, slides and handouts ---------------------------------------------------
_SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
DISPLAY_COLOURS = 64  # a notebook's PNG in a palette of this many colours: a third of the bytes
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080), "4k": (3840, 2160)}


def _fit_collapse(m: ArgumentMap, focus: str | None) -> int | None:
    """The deepest level to draw so that a left-to-right tree still fits the screen, or ``None``.

    Only a deep map needs it (the whole Radchenko map has six levels); the folded branches show a
    ``+k more`` box, and a notebook shows them with ``focus``.
    """
    shown, folded = _select(m, focus, None, None)
    visible = {n.id for n, _ in shown}
    budget = _BUDGET_PT
    if _auto_rankdir(m, shown, visible, folded) == "TB" or _estimate(m, shown, visible, folded)[1] <= budget:
        return None
    deepest = max(d for _, d in shown)
    for level in range(deepest - 1, 0, -1):
        s, f = _select(m, focus, None, level)
        if _estimate(m, s, {n.id for n, _ in s}, f)[1] <= budget:
            return level
    return 1


def _count(kind: str, n: int) -> str:
    plural = {"evidence": "pieces of evidence"}.get(kind, kind + "s")
    return f"{n} {kind if n == 1 and kind != 'evidence' else ('piece of evidence' if n == 1 else plural)}"


class Drawing:
    """A map drawn for a notebook: SVG where the notebook is trusted, PNG where it is not.

    JupyterLab shows no SVG from an untrusted notebook (a fresh clone, an upload), but shows PNG,
    so the display carries both, at the same size: at most :data:`SCREEN_WIDTH` pixels wide, so
    that no map scrolls sideways on a laptop or a projector. Make one with :func:`draw`.

    Attributes:
        map: The map drawn.
        svg: Graphviz's SVG at full size (what :func:`to_svg` returns).
        options: The drawing options (``focus``, ``depth``, ``collapse``, ``rankdir``).
    """

    def __init__(self, m: ArgumentMap, svg: str, options: Mapping[str, Any]) -> None:
        self.map = m
        self.svg = svg
        self.options = dict(options)
        self._png: bytes | None = None

    @property
    def size(self) -> tuple[int, int]:
        """Full size in CSS pixels (Graphviz's points at 96 dpi)."""
        found = _SVG_SIZE.search(self.svg)
        if found is None:  # pragma: no cover - every engine writes pt sizes
            return (0, 0)
        return round(float(found[1]) * 4 / 3), round(float(found[2]) * 4 / 3)

    @property
    def scale(self) -> float:
        """How much the picture is shrunk to fit the screen (1 when it fits already)."""
        width = self.size[0]
        return min(1.0, SCREEN_WIDTH / width) if width else 1.0

    def to_png(self, scale: float | None = None) -> bytes:
        """PNG bytes, by default as shown in a notebook (screen size, 64 colours); ``scale=2``
        gives a full-colour picture twice that size, sharp in print."""
        from argkit.raster import svg_to_png  # resvg loads only when a picture is wanted

        if scale is not None:
            return svg_to_png(self.svg, scale=scale)
        if self._png is None:
            self._png = svg_to_png(self.svg, scale=self.scale, colours=DISPLAY_COLOURS)
        return self._png

    def _screen_svg(self) -> str:
        width, height = self.size
        s = self.scale
        return _SVG_SIZE.sub(f'<svg width="{round(width * s)}px" height="{round(height * s)}px"',
                             self.svg, count=1)

    def describe(self) -> str:
        """One sentence saying what the picture shows (its text alternative)."""
        m, o = self.map, self.options
        shown, folded = _select(m, o.get("focus"), o.get("depth"), o.get("collapse"))
        what = f"the branch under {o['focus']!r}" if o.get("focus") else "the whole map"
        text = f"Argument map {_clean(m.title)!r}: {what}, {len(shown)} of {len(m.nodes)} claims"
        if folded:
            text += f" ({sum(folded.values())} more folded under {', '.join(map(repr, folded))})"
        return text + ". argkit.to_outline(...) gives it as text."

    def __repr__(self) -> str:
        return f"<{self.describe()}>"

    def alt(self) -> str:
        """The picture's text alternative for a screen reader: what the map argues, in brief.

        It names the claim at the head of the drawing and counts what answers it, kind by kind;
        :meth:`to_html` puts the drawn claims themselves in a text outline beside the picture.

        Example:
            >>> from argkit.model import ArgumentMap, Node
            >>> m = ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good.", author="Ann"),
            ...     Node("r", "It is tasty.", parent="t", stance="pro"),
            ...     Node("o", "It is pricey.", parent="t", stance="con")))
            >>> draw(m).alt()
            'Argument map "Tea", 3 of 3 claims. The contention, by Ann: Tea is good. Under it: 1 reason, 1 objection.'
        """
        m, o = self.map, self.options
        shown, folded = _select(m, o.get("focus"), o.get("depth"), o.get("collapse"))
        text = f'Argument map "{_clean(m.title)}", {len(shown)} of {len(m.nodes)} claims.'
        for head, d in shown:
            if d != 0:
                continue
            kind = m.kind(head.id)
            text += f" The {kind}" + (f", by {_clean(head.author)}" if head.author else "")
            text += f": {_clean(head.text)}"
            counts: dict[str, int] = {}
            for c in m.children(head.id):
                if any(c is n for n, _ in shown):
                    counts[m.kind(c.id)] = counts.get(m.kind(c.id), 0) + 1
            if counts:
                text += " Under it: " + ", ".join(_count(k, v) for k, v in counts.items()) + "."
            below = sum(1 for _, dd in shown if dd > 1)
            if below:
                text += f" {below} more {'claim answers' if below == 1 else 'claims answer'} those."
        if folded:
            text += f" {sum(folded.values())} more folded away."
        return text

    def to_html(self) -> str:
        """The picture as HTML: the SVG in an ``<img>`` with :meth:`alt`, and the drawn claims as
        a text outline under it (folded away until opened).

        JupyterLab shows this even in an untrusted notebook: its HTML sanitizer keeps an ``<img>``
        with a ``data:`` source (an SVG in an ``<img>`` runs no script), and it prefers HTML to
        SVG and PNG, whether the notebook is trusted or not.
        """
        import base64
        import html

        svg = base64.b64encode(self._screen_svg().encode("utf-8")).decode("ascii")
        m, o = self.map, self.options
        shown, folded = _select(m, o.get("focus"), o.get("depth"), o.get("collapse"))
        items = []
        level = 0
        for n, d in shown:
            d = max(d, 0)
            if d > level:
                items.append("<ul>" * (d - level))
            elif items:
                items.append("</li>" + "</ul></li>" * (level - d))
            level = d
            line = f"{_kind_head(m, n)}" + (f" · {_clean(n.author)}" if n.author else "")
            line += f": {_clean(n.text)}" + (f" (+{folded[n.id]} more)" if n.id in folded else "")
            items.append(f"<li>{html.escape(line)}")
        items.append("</li>" + "</ul></li>" * level)
        return (f'<img src="data:image/svg+xml;base64,{svg}" alt="{html.escape(self.alt())}">'
                f'<details><summary>The map as text</summary><ul>{"".join(items)}</ul></details>')

    def _repr_mimebundle_(self, include: Any = None,
                          exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        import base64

        from argkit.raster import available, png_size

        # JupyterLab shows the HTML, trusted or not (see to_html); the SVG and PNG are there
        # for the tools that do not show HTML (nbconvert to LaTeX/PDF, plain image viewers).
        data = {"text/html": self.to_html(), "image/svg+xml": self._screen_svg(), "text/plain": repr(self)}
        if not available():  # the browser edition: its notebooks run live, so the SVG shows
            return data, {}
        png = self.to_png()
        width, height = png_size(png)
        data["image/png"] = base64.b64encode(png).decode("ascii")
        return data, {"image/png": {"width": width, "height": height}}


def draw(
    m: ArgumentMap,
    *,
    focus: str | None = None,
    depth: int | None = None,
    collapse: int | None = None,
    labelling: Any = None,
    rankdir: str | None = None,
    engine: str | None = None,
) -> Drawing:
    """The map as a picture for a notebook (options as in :func:`to_dot`).

    A map too deep to fit the screen even left to right is drawn down to the level that fits,
    with a ``+k more`` box where a branch goes on (pass ``collapse`` or ``depth`` to choose).

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> d = draw(ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good."),)))
        >>> d
        <Argument map 'Tea': the whole map, 1 of 1 claims. argkit.to_outline(...) gives it as text.>
        >>> sorted(d._repr_mimebundle_()[0])
        ['image/png', 'image/svg+xml', 'text/html', 'text/plain']
    """
    options: dict[str, Any] = {"focus": focus, "depth": depth, "collapse": collapse, "rankdir": rankdir}
    drawing = Drawing(m, to_svg(m, engine=engine, labelling=labelling, **options), options)
    if depth is None and collapse is None and rankdir is None and drawing.scale < MIN_SCALE:
        # too big for the screen as drawn: fold it at the level the estimate says fits
        options["collapse"] = _fit_collapse(m, focus)
        if options["collapse"] is not None:
            drawing = Drawing(m, to_svg(m, engine=engine, labelling=labelling, **options), options)
    return drawing


def to_png(
    m: ArgumentMap,
    *,
    scale: float = 2.0,
    fit: str | tuple[int, int] | None = None,
    engine: str | None = None,
    focus: str | None = None,
    depth: int | None = None,
    collapse: int | None = None,
    labelling: Any = None,
    rankdir: str | None = None,
) -> bytes:
    """The map as PNG bytes, the same on every machine (options as in :func:`to_dot`).

    Args:
        m: The map.
        scale: Pixels per CSS pixel of the SVG (2 is sharp on paper and on high-density screens).
        fit: Instead of ``scale``, the largest picture that fits a screen: ``"720p"``,
            ``"1080p"`` (a projector), ``"4k"`` or ``(width, height)`` in pixels.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> from argkit.raster import png_size
        >>> m = ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good."),))
        >>> png_size(to_png(m, scale=1)), png_size(to_png(m, fit="1080p"))[1]
        ((139, 97), 1080)
    """
    from argkit.raster import svg_to_png

    svg = to_svg(m, engine=engine, focus=focus, depth=depth, collapse=collapse, labelling=labelling,
                 rankdir=rankdir)
    if fit is not None:
        box = SIZES.get(fit) if isinstance(fit, str) else fit
        if box is None or len(box) != 2 or min(box) <= 0:
            raise FocusError(f"fit must be one of {', '.join(map(repr, SIZES))} or (width, height) "
                             f"(got {fit!r})")
        width, height = Drawing(m, svg, {}).size
        scale = min(box[0] / width, box[1] / height)
    return svg_to_png(svg, scale=scale)


def to_pdf(
    m: ArgumentMap,
    *,
    paper: str | None = None,
    engine: str | None = None,
    focus: str | None = None,
    depth: int | None = None,
    collapse: int | None = None,
    labelling: Any = None,
    rankdir: str | None = None,
) -> bytes:
    """The map as a one-page vector PDF, the same bytes on every machine (options as in :func:`to_dot`).

    Args:
        m: The map.
        paper: ``None`` for a page the size of the drawing, or ``"a4"``, ``"a3"``, ``"letter"``
            (turned the way that shows the map largest; add ``"-landscape"`` or ``"-portrait"`` to
            choose): the map is scaled to fit the page inside a 10 mm margin.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good."),))
        >>> to_pdf(m, paper="a4-landscape")[:8]
        b'%PDF-1.4'
    """
    from argkit.pdf import svg_to_pdf

    svg = to_svg(m, engine=engine, focus=focus, depth=depth, collapse=collapse, labelling=labelling,
                 rankdir=rankdir)
    return svg_to_pdf(svg, paper=paper, title=_clean(m.title))


# -- outline -------------------------------------------------------------------------------------
def to_outline(m: ArgumentMap, labelling: Any = None) -> str:
    """A numbered, indented text outline of the map, for screen readers and handouts.

    Each line gives the number (``1.``, ``1.1``, ``1.1.2``), the kind, the id in brackets, the
    author, the claim, the short citation, ``linked with ...`` for co-premises, a mark for claims
    a student added, and the label when a ``labelling`` is given. Cross-relations follow the tree.

    Example:
        >>> from argkit.model import ArgumentMap, Node, Relation
        >>> m = ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good.", author="Ann"),
        ...     Node("r", "It is tasty.", parent="t", stance="pro"),
        ...     Node("o", "It is pricey.", parent="t", stance="con")),
        ...     relations=(Relation("r", "attacks", "o"),))
        >>> print(to_outline(m))
        Tea
        1. CONTENTION [t] · Ann: Tea is good.
           1.1 REASON [r]: It is tasty.
           1.2 OBJECTION [o]: It is pricey.
        Cross-relations:
        - r attacks o
    """
    cites = _citations(m)
    out = [_clean(m.title)]
    numbers: dict[str, str] = {}
    counters: dict[str | None, int] = {}
    for n, d in m.walk():
        parent = n.parent if d else None
        counters[parent] = counters.get(parent, 0) + 1
        num = (f"{numbers[parent]}.{counters[parent]}" if parent is not None else f"{counters[parent]}.")
        numbers[n.id] = num.rstrip(".")
        # the kind and the author separately: an author may contain " · " ("Smith · Jones")
        author = n.author
        line = f"{'   ' * d}{num} {_kind_head(m, n)} [{n.id}]" + (f" · {_clean(author)}" if author else "")
        line += f": {_clean(n.text)}"
        cite = _cite(n, cites)
        if cite:
            line += f" ({_clean(cite)})"
        if n.link is not None:
            others = [c.id for c in m.co_premises(n.id) if c.id != n.id]
            if others:
                line += " — linked with " + ", ".join(others)
        if n.added_by:
            line += f" ✎ added by {_clean(n.added_by)}"
        lab = _label_of(labelling, n.id)
        if lab is not None:
            line += f" [{_BADGE.get(lab, lab)}]"
        out.append(line)
    if m.relations:
        out.append("Cross-relations:")
        out += [f"- {r.from_id} {r.type} {r.to_id}" for r in m.relations]
    return "\n".join(out)
