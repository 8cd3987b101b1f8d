"""The navigable map view: zoom, pan, a selected box, and one-claim-at-a-time navigation.

One widget serves the editor, the what-if widget and the plain viewer :func:`view`. In the
browser (``mapview.js``, shipped in the package: no network) it opens *fitted to its width*,
zooms (the − / + buttons, Ctrl + wheel, the ``-`` and ``+`` keys), pans (drag the background, or
scroll), and keeps the box the student touched on screen: the selected claim is centred when it is
chosen from a list, and the box just added or changed is scrolled into view.

Big maps read best a claim at a time, as in Kialo: **Focus** shows the selected claim with the
claim it answers above it and its own reasons and objections below; deeper claims are folded into
``+k more`` boxes (click one to go down), and the breadcrumb leads back up to the whole map.
**Fold** collapses the selected claim's branch into one ``+k more`` box (click it to open it again).

Every box is reachable from the keyboard (Tab, then Enter or Space selects it), each box is
named for screen readers by its kind, id and text, and the selected claim is announced in a
polite live region.

Example:
    >>> import argkit
    >>> m = argkit.parse_map('''
    ... title: Tea
    ... nodes:
    ... - {id: t, text: Tea is good.}
    ... - {id: r, text: It is tasty., parent: t, stance: pro}
    ... - {id: e, text: Everyone says so., parent: r, stance: pro}
    ... ''')
    >>> v = view(m)
    >>> v.focus = "r"  # what the Focus button does
    >>> [c["id"] for c in v.crumbs], "argkit&#45;node&#45;t" in v.svg, "argkit&#45;node&#45;e" in v.svg
    (['', 't', 'r'], True, True)
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import anywidget
import traitlets

from argkit._text import shorten
from argkit.model import ArgumentMap

__all__ = ["MapView", "view"]

_HEIGHT = "460px"  # the map's box: room for the controls beside it and under it on a 768-px screen


# What the browser does not need from Graphviz's SVG (about a quarter of the bytes of a course
# map): the prolog and doctype, comments, the graph's, clusters' and edges' <title> ("cox->r_best", noise to a
# screen reader), the font family repeated on every text (mapview.css sets it once), the default
# text-anchor, and xml:space (mapview.css keeps spaces with white-space: pre). Boxes keep their
# <title>: it becomes the box's tooltip. Exports and notebook pictures keep the full SVG.
_LEAN = (
    (re.compile(r"\A.*?(?=<svg\b)", re.S), ""),
    (re.compile(r"<!--.*?-->\n?", re.S), ""),
    (re.compile(r'(<g id="[^"]*" class="(?:edge|graph|cluster)[^"]*"[^>]*>\n)<title>[^<]*</title>\n'), r"\1"),
    (re.compile(r' font-family="Helvetica,sans-Serif"'), ""),
    (re.compile(r' text-anchor="start"'), ""),
    (re.compile(r' xml:space="preserve"'), ""),
)


def lean_svg(svg: str) -> str:
    r"""The SVG as the map view sends it to the browser: the same picture in fewer bytes.

    Example:
        >>> lean_svg('<?xml version="1.0"?>\n<!-- x -->\n<svg><text xml:space="preserve" '
        ...          'text-anchor="start" font-family="Helvetica,sans-Serif">a  b</text></svg>')
        '<svg><text>a  b</text></svg>'
    """
    for pattern, repl in _LEAN:
        svg = pattern.sub(repl, svg)
    return svg


def _asset(name: str) -> str:
    return resources.files("argkit").joinpath(name).read_text(encoding="utf-8")


class MapView(anywidget.AnyWidget):
    """The map as SVG in a zoomable, pannable box; a click (or Enter) on a box selects its claim.

    Attributes:
        svg: The SVG drawn now (the whole map, or the focused part of it).
        selected: The id of the selected claim, ``""`` for none; set by a click in the browser.
        focus: The claim shown with its parent and children (``""``: the whole map).
        fold: Claims whose branches are folded into ``+k more`` boxes.
        crumbs: The breadcrumb from the whole map down to ``focus``: ``{"id", "label"}`` dicts.
        changed: The claim just added or changed, scrolled into view in the browser;
            ``changed_count`` counts the changes so the same id can be shown twice.
        status: A sentence announced to screen readers (the editor's feedback).
        height: The CSS height of the map's box.
    """

    _esm = _asset("mapview.js")
    _css = _asset("mapview.css")
    svg = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    focus = traitlets.Unicode("").tag(sync=True)
    fold = traitlets.List(traitlets.Unicode()).tag(sync=True)
    crumbs = traitlets.List(traitlets.Dict()).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    changed = traitlets.Unicode("").tag(sync=True)
    changed_count = traitlets.Int(0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Unicode(_HEIGHT).tag(sync=True)

    def __init__(self, m: ArgumentMap | None = None, labelling: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._map: ArgumentMap | None = None
        self._labelling = labelling
        self.observe(self._redraw, ["focus", "fold"])
        if m is not None:
            self.show(m, labelling)

    @property
    def map(self) -> ArgumentMap | None:
        """The map shown (the whole map, whatever part of it is drawn)."""
        return self._map

    def __repr__(self) -> str:
        title = self._map.title if self._map is not None else ""
        return f"MapView({title!r}, focus={self.focus!r}, selected={self.selected!r})"

    def show(self, m: ArgumentMap, labelling: Any = None, changed: str | None = None) -> None:
        """Draw ``m`` (with an optional labelling); ``changed`` names a claim to bring into view.

        A focus or fold on a claim that is gone is dropped; a changed claim that the focused
        view would hide (a grandchild) moves the focus to its parent, so it is drawn.
        """
        self._map = m
        self._labelling = labelling
        focus, fold = self._plan(m, changed)
        with self.hold_trait_notifications():
            self._busy = True
            try:
                self.focus = focus
                self.fold = fold
            finally:
                self._busy = False
        self._redraw()
        if changed is not None:
            self.changed = changed
            self.changed_count += 1

    def _plan(self, m: ArgumentMap, changed: str | None) -> tuple[str, list[str]]:
        """The focus and folds that :meth:`show` gives ``m`` (see there)."""
        focus = self.focus if self.focus in m else ""
        if changed is not None and changed in m and focus and not self._in_focus(m, focus, changed):
            parent = m.node(changed).parent
            focus = parent if parent is not None else ""
        fold = [f for f in self.fold if f in m and (changed is None or not self._under(m, f, changed))]
        return focus, fold

    def prepare(self, m: ArgumentMap, changed: str | None = None) -> None:
        """Lay ``m`` out now, as ``show(m, changed=changed)`` would, without showing it.

        The drawing waits in render's cache, so that showing ``m`` soon after costs no layout:
        the editor prepares the map with the claim being typed while the student reaches for Add.
        """
        focus, fold = self._plan(m, changed)
        self._draw(m, focus or None, tuple(fold))

    _busy = False

    @staticmethod
    def _under(m: ArgumentMap, ancestor: str, node_id: str) -> bool:
        return any(a.id == ancestor for a in m.ancestors(node_id))

    @staticmethod
    def _in_focus(m: ArgumentMap, focus: str, node_id: str) -> bool:
        """True if the focused view of ``focus`` draws ``node_id`` (parent, focus or child)."""
        n = m.node(node_id)
        return node_id == focus or n.parent == focus or m.node(focus).parent == node_id

    def _redraw(self, change: Any = None) -> None:
        if self._busy or self._map is None:
            return
        m = self._map
        if self.focus and self.focus not in m:
            self.focus = ""  # observed: draws again
            return
        focus = self.focus or None
        self.svg = self._draw(m, focus, tuple(f for f in self.fold if f in m))
        crumbs = [{"id": "", "label": shorten(m.title or "the whole map", 40)}]
        if focus:
            for n in (*reversed(m.ancestors(focus)), m.node(focus)):
                crumbs.append({"id": n.id, "label": f"{m.kind(n.id)} {n.id}"})
        self.crumbs = crumbs
        self.title = m.title

    def _draw(self, m: ArgumentMap, focus: str | None, fold: tuple[str, ...]) -> str:
        # render's cache serves a drawing made before (undo, redo, back up a breadcrumb)
        from argkit.render import to_svg

        return lean_svg(to_svg(m, focus=focus, collapse=1 if focus else None, with_parent=focus is not None,
                               fold=fold, labelling=self._labelling))

    def focus_on(self, node_id: str) -> None:
        """Show ``node_id`` with its parent and children (``""``: the whole map)."""
        if node_id and (self._map is None or node_id not in self._map):
            raise KeyError(f"no claim {node_id!r} in this map")
        self.focus = node_id

    def toggle_fold(self, node_id: str) -> None:
        """Fold the branch under ``node_id`` into one ``+k more`` box, or open it again."""
        self.fold = [f for f in self.fold if f != node_id] if node_id in self.fold else [*self.fold, node_id]


def view(m: ArgumentMap, labelling: Any = None) -> MapView:
    """A navigable view of a map: fit to width, zoom, pan, focus a claim, fold a branch.

    Args:
        m: The map to show.
        labelling: Optionally a result of :func:`argkit.evaluate`, drawn as IN/OUT/UNDEC.

    The returned :class:`MapView` is a widget: show it as a cell's last value. Clicking a box
    (or Tab then Enter) selects its claim (``.selected``); **Focus** shows it with its parent
    and children, **Fold** collapses its branch.
    """
    return MapView(m, labelling)
