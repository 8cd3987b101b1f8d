"""Dated claims of a map in time order: the chronology behind a debate, as text or as a figure.

A claim is dated by a ``when-`` tag giving the date its source gives: ``when-2014-05`` (a month),
``when-2014`` (a year) or ``when-1980s`` (a decade). The course maps tag their dated evidence and
the sceptics' doubts this way, so a timeline is drawn from the map data, not typed in twice, and an
exercise can ask whether a reply comes after the doubt it answers.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
    ...     Node("r", "Tea came to Europe.", parent="t", stance="pro", tags=("when-1610",)),
    ...     Node("o", "Tea was taxed in 1773.", parent="t", stance="con", tags=("when-1773-12",))))
    >>> [(d.id, d.when, d.strand) for d in dated(m)]
    [('r', '1610', 'r'), ('o', '1773-12', 'o')]
    >>> when(m, "o"), when(m, "t")
    ('1773-12', None)
    >>> print(chronology(m))
    1610     r  Tea came to Europe.
    1773-12  o  Tea was taxed in 1773.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass

from argkit._text import shorten
from argkit.model import ArgumentMap

__all__ = ["Dated", "Timeline", "chronology", "dated", "draw", "to_png", "when"]

_WHEN = re.compile(r"when-(\d{4})(?:-(\d{2}))?\Z|when-(\d{3}0)s\Z")


@dataclass(frozen=True, slots=True)
class Dated:
    """One dated claim.

    Attributes:
        id: The claim's id.
        when: The date as tagged: ``"2014-05"``, ``"2014"`` or ``"1980s"``.
        year: A number for ordering and plotting: the middle of the month, year or decade.
        strand: The id of the claim's ancestor just under the contention (the reason or
            objection it belongs to), or its own id if it sits there.
        kind: The claim's kind in the map (``evidence``, ``objection``...).
        text: The claim's text.
    """

    id: str
    when: str
    year: float
    strand: str
    kind: str
    text: str


def _parse(tag: str) -> tuple[str, float] | None:
    match = _WHEN.match(tag)
    if match is None:
        return None
    year, month, decade = match.groups()
    if decade is not None:
        return f"{decade}s", int(decade) + 5.0
    if month is None:
        return year, int(year) + 0.5
    if 1 <= int(month) <= 12:
        return f"{year}-{month}", int(year) + (int(month) - 0.5) / 12
    return None


def when(m: ArgumentMap, node_id: str) -> str | None:
    """The date of ``node_id`` as tagged (``"2014-05"``), or ``None`` if the map gives none."""
    for tag in m.node(node_id).tags:
        parsed = _parse(tag)
        if parsed is not None:
            return parsed[0]
    return None


def year_of(m: ArgumentMap, node_id: str) -> float | None:
    """The date of ``node_id`` as a number (middle of its month, year or decade), or ``None``."""
    for tag in m.node(node_id).tags:
        parsed = _parse(tag)
        if parsed is not None:
            return parsed[1]
    return None


def _strand(m: ArgumentMap, node_id: str) -> str:
    n = m.node(node_id)
    while n.parent is not None and m.node(n.parent).parent is not None:
        n = m.node(n.parent)
    return n.id


def dated(m: ArgumentMap) -> tuple[Dated, ...]:
    """Every dated claim of ``m``, oldest first (ties keep the map's order)."""
    out = []
    for n in m.nodes:
        for tag in n.tags:
            parsed = _parse(tag)
            if parsed is not None:
                out.append(Dated(n.id, parsed[0], parsed[1], _strand(m, n.id), m.kind(n.id), n.text))
                break
    return tuple(sorted(out, key=lambda d: d.year))


def chronology(m: ArgumentMap, width: int = 100) -> str:
    """The dated claims as a text list: date, id, text, each claim's text wrapped to ``width``
    characters under itself (for reading aloud, printing, or a screen reader)."""
    rows = dated(m)
    pad = max((len(d.id) for d in rows), default=0)
    out = []
    for d in rows:
        head = f"{d.when:<8} {d.id:<{pad}}  "
        out.append(textwrap.fill(" ".join(d.text.split()), width=max(width, len(head) + 20),
                                 initial_indent=head, subsequent_indent=" " * len(head)))
    return "\n".join(out)


# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
_PALETTE = ("#0072B2", "#009E73", "#56B4E9", "#E69F00", "#CC79A7", "#F0E442", "#000000", "#999999")
_MARKERS = ("o", "s", "^", "D", "v", "P", "*", "h")
_DOUBT = "#D55E00"


def to_png(m: ArgumentMap, *, width: float = 10.0, dpi: int = 100, text_width: int = 88) -> bytes:
    """A timeline of the dated claims as PNG bytes: one row per claim, oldest at the top.

    Each row has a marker at its date on a common time axis and the claim's id and text beside it.
    Cox's evidence is coloured and shaped by the reason it supports (the legend names them);
    objections and the evidence for them (the sceptics' side) are vermillion crosses. The bytes are the same on
    every run (no timestamp or software version in the file), so a notebook that shows them can be
    re-executed without a diff.

    Args:
        m: The map.
        width: Figure width in inches (the default, at ``dpi=100``, is 1000 px: it fits a
            1366 px laptop screen and a 1280 px projector).
        dpi: Resolution.
        text_width: Characters of a claim's text shown before it is cut with "…".
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    rows = dated(m)
    sceptic = {d.id for d in rows if _on_sceptics_side(m, d.id)}
    strands = []
    for d in rows:
        if d.id not in sceptic and d.strand not in strands:
            strands.append(d.strand)
    colour = {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(strands)}
    marker = {s: _MARKERS[i % len(_MARKERS)] for i, s in enumerate(strands)}

    height = 1.3 + 0.24 * max(len(rows), 1)
    fig = Figure(figsize=(width, height), dpi=dpi)
    ax = fig.add_axes((0.02, 0.75 / height, 0.25, 1 - 1.3 / height))
    lo = min((d.year for d in rows), default=2000.0)
    hi = max((d.year for d in rows), default=2001.0)
    span = max(hi - lo, 1.0)
    ax.set_xlim(lo - 0.04 * span, hi + 0.04 * span)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    seen: set[str] = set()
    for i, d in enumerate(rows):
        ax.axhline(i, color="#EEEEEE", linewidth=0.5, zorder=0)
        if d.id in sceptic:
            label = "sceptics' side" if "doubt" not in seen else None
            seen.add("doubt")
            ax.plot(d.year, i, marker="X", color=_DOUBT, markersize=7, linestyle="none", label=label)
        else:
            label = d.strand if d.strand not in seen else None
            seen.add(d.strand)
            ax.plot(d.year, i, marker=marker[d.strand], color=colour[d.strand], markersize=6, linestyle="none",
                    label=label)
        text = shorten(d.text, text_width)
        ax.annotate(f"{d.when:<8} {d.id}: {text}", xy=(1.0, i), xycoords=("axes fraction", "data"),
                    xytext=(8, 0), textcoords="offset points", va="center", ha="left", fontsize=8,
                    color=_DOUBT if d.id in sceptic else "#222222", annotation_clip=False)
    ax.set_title(f"Timeline: {m.title}", loc="left", fontsize=10, pad=8)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=5, fontsize=8,
               frameon=False, handletextpad=0.3, columnspacing=1.2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


class Timeline:
    """The timeline as a picture for a notebook, with a text alternative (make one with :func:`draw`).

    JupyterLab draws a plain PNG output as an ``<img>`` without alt text; this shows the PNG
    through HTML instead (kept in an untrusted notebook too), with :meth:`alt` and the dated
    claims as a list under it, folded away until opened.

    Attributes:
        map: The map.
        png: The picture (:func:`to_png`).
    """

    def __init__(self, m: ArgumentMap, png: bytes) -> None:
        self.map = m
        self.png = png

    def alt(self) -> str:
        """What the picture shows, in a sentence or two, for a screen reader."""
        rows = dated(self.map)
        text = f'Timeline of the {len(rows)} dated claim{"" if len(rows) == 1 else "s"}'
        text += f' in "{" ".join(self.map.title.split())}"'
        if rows:
            text += f", from {rows[0].when} to {rows[-1].when}, oldest at the top"
            doubts = sum(1 for d in rows if _on_sceptics_side(self.map, d.id))
            if doubts:
                text += f"; {doubts} of them on the sceptics' side (crosses)"
        return text + ". The list follows as text."

    def _repr_mimebundle_(self, include: object = None,
                          exclude: object = None) -> tuple[dict[str, object], dict[str, object]]:
        import base64
        import html

        data = base64.b64encode(self.png).decode("ascii")
        items = "".join(f"<li>{html.escape(f'{d.when}: {d.id}: ' + ' '.join(d.text.split()))}</li>"
                        for d in dated(self.map))
        page = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt())}">'
                f"<details><summary>The timeline as text</summary><ul>{items}</ul></details>")
        return {"text/html": page, "image/png": data, "text/plain": repr(self)}, {}

    def __repr__(self) -> str:
        return f"<{self.alt()}>"


def draw(m: ArgumentMap, **options: object) -> Timeline:
    """The timeline for a notebook: the picture of :func:`to_png` (same options) with its text.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("r", "Tea came to Europe.", parent="t", stance="pro", tags=("when-1610",))))
        >>> draw(m)
        <Timeline of the 1 dated claim in "Tea", from 1610 to 1610, oldest at the top. The list follows as text.>
    """
    return Timeline(m, to_png(m, **options))  # type: ignore[arg-type]


def _on_sceptics_side(m: ArgumentMap, node_id: str) -> bool:
    """An objection, or a claim under one that is not itself a reply to it."""
    n = m.node(node_id)
    if m.kind(node_id) == "objection":
        return True
    while n.parent is not None:
        parent = m.node(n.parent)
        if m.kind(parent.id) == "objection":
            return n.stance == "pro"
        n = parent
    return False
