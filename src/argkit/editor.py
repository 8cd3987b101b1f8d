"""The live editor: students extend a reference map in JupyterLab, with autosave and undo.

The editor never changes the teacher's map. A student's work is an *overlay*: a small map file
that ``extends:`` the reference map and holds only the student's own claims. Every change is
written to it at once (atomically), so the work survives a kernel restart, and opening the
editor again on the same file restores the session.

Example:
    >>> import argkit
    >>> ref = argkit.parse_map('''
    ... title: Tea
    ... reference: true
    ... nodes:
    ... - id: t
    ...   text: Tea is good.
    ... ''')
    >>> mine = to_overlay(ref)
    >>> mine = mine.add(argkit.Node("ana-2", "It stains teeth.", parent="t", stance="con",
    ...                             added_by="ana"))
    >>> [n.id for n in mine.own_nodes()], mine.is_own("t"), mine.reference
    (['ana-2'], False, False)
"""

from __future__ import annotations

import asyncio
import base64
import html
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from argkit import _io, files, overlay
from argkit._io import write_text
from argkit._text import shorten
from argkit.errors import ArgkitError
from argkit.mapview import MapView
from argkit.model import ArgumentMap, Node, Quote, Relation
from argkit.overlay import to_overlay
from argkit.validate import MAX_TEXT

__all__ = ["Editor", "MapView", "WhatIf", "edit", "to_overlay", "what_if"]

_ADD_LABELS = {
    "reason": "a reason for it",
    "objection": "an objection to it",
    "rebuttal": "a rebuttal of it",
    "undercut": "an undercut of its step",
}
_ADD_TIPS = {
    "reason": "A claim that supports the selected claim",
    "objection": "A claim that attacks the selected claim",
    "rebuttal": "A claim that answers the selected objection",
    "undercut": ("Doubt the step, not the claim: the selected claim may be true and still not "
                 "answer the claim above it"),
}
_PREPARE_AFTER = 0.5  # seconds without typing before the map with the new claim is laid out
_CONTROLS_WIDTH = "330px"  # the form beside the map: map and Add button on one 1366x768 screen


def _cut_notice(text: str) -> str:
    from argkit.render import is_cut

    if not is_cut(text):
        return ""
    return (" It is long: its box shows the beginning only (point at the box to read it all); "
            "the whole text is saved.")


class Quiet:  # shared with the class map's widget
    """Lets a widget update its own controls without its observers reacting to the change."""

    _busy = False

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy


class Editor(Quiet, widgets.VBox):
    """The editor widget returned by :func:`edit` (see there).

    Attributes:
        view: The :class:`MapView` showing the map.
        target: Dropdown choosing the claim to add to, edit or delete (same as a click in the map).
        action: What to add to the target (a reason, an objection or a rebuttal).
        text, source, quote: The new claim's text, optional source and quote.
        add_button, update_button, delete_button, undo_button, redo_button: The actions.
        name, start_button: Ask the student's name when it is not known (nothing is saved before).
        handin_button: Hands the work in (see :meth:`hand_in`).
        message: One line of feedback for the student.
        output: An Output widget recording every change.
        save_to: The student's file (``None`` in a demonstration editor or before the name is given).
    """

    def __init__(self, m: ArgumentMap, save_to: Path | None, author: str | None, *,
                 demo: bool = False, start: Any = None, **kwargs: Any):
        self.author = author or ""
        self.save_to = save_to
        self.demo = demo
        self._start = start  # (author) -> (map, save_to): opens the session once the name is known
        self._file = overlay.WorkFile(save_to, m) if save_to is not None and not demo else None
        self._history: list[ArgumentMap] = [m]
        self._pos = 0
        self._issued: set[str] = set()
        self._merged = ""  # what the last save merged from another editor, said to the student  # ids given out in this session, never reused after an undo
        self._busy = False
        self._prepare_timer: asyncio.TimerHandle | None = None

        self.view = MapView(layout=widgets.Layout(flex="1 1 480px", min_width="320px"))
        full = widgets.Layout(width="100%")
        self.target = widgets.Dropdown(description="Claim:", layout=widgets.Layout(width="100%"))
        self.selected_text = widgets.HTML(layout=full)
        self.action = widgets.ToggleButtons(
            options=[("an objection to it", "con")],
            style={"button_width": "auto"}, layout=widgets.Layout(width="100%"))
        self.text = widgets.Textarea(
            placeholder="Type your claim in your own words, as one full sentence.",
            layout=widgets.Layout(width="100%", height="5.5em"))
        self.source = widgets.Dropdown(description="Source:", layout=full, style={"description_width": "4em"})
        self.quote = widgets.Text(description="Quote:", placeholder="optional: the exact words of the source",
                                  layout=full, style={"description_width": "4em"})
        small = widgets.Layout(width="auto", min_width="4.5em")
        self.add_button = widgets.Button(description="Add", button_style="primary",
                                         tooltip="Add the claim to the map", layout=small)
        self.update_button = widgets.Button(description="Update", layout=small,
                                            tooltip="Replace the text of your selected claim")
        self.delete_button = widgets.Button(description="Delete", layout=small,
                                            tooltip="Delete your selected claim and the claims under it")
        self.undo_button = widgets.Button(description="Undo", layout=small, tooltip="Take back your last change")
        self.redo_button = widgets.Button(description="Redo", layout=small, tooltip="Do it again")
        self.save_button = widgets.Button(description="Save",
                                          tooltip="Write your work to its file (it is saved after every change anyway)")
        self.svg_button = widgets.Button(description="Export SVG")
        self.outline_button = widgets.Button(description="Export outline")
        self.handin_button = widgets.Button(description="Hand in", icon="paper-plane",
                                            tooltip="Send a copy of your work to your teacher")
        self.name = widgets.Text(description="Your name:", placeholder="e.g. Sam Lee",
                                 style={"description_width": "6em"})
        self.start_button = widgets.Button(description="Start", button_style="primary",
                                           tooltip="Start your own file, named with your name")
        self.header = widgets.HTML()
        self.message = widgets.HTML()
        self.download = widgets.HTML()  # "Download my work": the saved file, from the browser
        self.output = widgets.Output(layout=widgets.Layout(max_height="8em", overflow="auto"))

        self.add_button.on_click(lambda _: self.add())
        self.update_button.on_click(lambda _: self.update())
        self.delete_button.on_click(lambda _: self.delete())
        self.undo_button.on_click(lambda _: self.undo())
        self.redo_button.on_click(lambda _: self.redo())
        self.save_button.on_click(lambda _: self._report_path("Saved", self.save))
        self.svg_button.on_click(lambda _: self._report_path("Exported the map to", self.export_svg))
        self.outline_button.on_click(lambda _: self._report_path("Exported the outline to", self.export_outline))
        self.handin_button.on_click(lambda _: self._report_path("Handed in: your teacher gets", self.hand_in))
        self.start_button.on_click(lambda _: self.start(self.name.value))
        self.view.observe(self._on_click_in_map, "selected")
        self.view.on_msg(self._on_view_msg)
        self.target.observe(self._on_target, "value")
        # Typing only re-checks the form (cheap); the map is redrawn only when the map changes.
        self.text.observe(self._on_form, "value")
        self.action.observe(self._on_form, "value")

        asking = save_to is None and not demo
        # The form sits beside the map, so a click on a box and the Add button share one screen
        # (1366x768); on a narrow output it wraps under the map.
        wrap = widgets.Layout(display="flex", flex_flow="row wrap", width="100%")
        self.controls = widgets.VBox([
            self.selected_text,
            widgets.HTML("<b>Add:</b>"),
            self.action,
            self.text,
            self.source,
            self.quote,
            widgets.HBox([self.add_button, self.update_button, self.delete_button], layout=wrap),
            widgets.HBox([self.undo_button, self.redo_button], layout=wrap),
            self.message,
        ], layout=widgets.Layout(flex=f"0 1 {_CONTROLS_WIDTH}", min_width="260px", padding="0 0 0 8px"))
        children = [
            *([widgets.HBox([self.name, self.start_button])] if asking else []),
            self.header,
            widgets.HBox([self.view, self.controls],
                         layout=widgets.Layout(display="flex", flex_flow="row wrap", width="100%",
                                               align_items="flex-start")),
            self.target,
            widgets.HBox([self.save_button, self.svg_button, self.outline_button, self.handin_button,
                          self.download], layout=wrap),
            self.output,
        ]
        super().__init__(children=children, **kwargs)
        self._show(m)
        self._offer_download()
        self._on_target()
        self._headline()
        own = len(m.own_nodes()) if m.base is not None else 0
        if own and save_to is not None:
            self._log(f"Reopened {save_to}: {own} claim(s) of yours.")
        if asking:
            self._say("Type your name above and click Start: your work is saved to a file named "
                      "with it.", ok=False)
        else:
            self._say("Click a box in the map (or choose a claim in the list) to add your own claim to it.")

    def _headline(self) -> None:
        title = html.escape(self.map.title)
        if self.demo:
            where = "a demonstration: <b>nothing is saved</b>"
        elif self.save_to is None:
            where = "type your name to start your own file"
        else:
            where = (f"your work is saved to <code>{html.escape(str(self.save_to))}</code> after "
                     "every change")
        self.header.value = f"<b>{title}</b> · {where}"

    def start(self, name: str) -> bool:
        """Give the student's name: opens (or reopens) their file, ``work/<map>-<name>.yaml``."""
        name = " ".join(name.split())
        if self.save_to is not None or self.demo:
            self._say("Your file is already open." if not self.demo else
                      "This is a demonstration editor: nothing is saved.", ok=False)
            return False
        if not name or overlay.slug(name, "") == "":
            self._say("Type your name (letters or digits) first, then click Start.", ok=False)
            return False
        try:
            m, target = self._start(name)
        except (OSError, ArgkitError) as e:
            self._say(f"Cannot open your file: {e}", ok=False)
            return False
        self.author, self.save_to = name, target
        self._file = overlay.WorkFile(target, m)
        own = len(m.own_nodes()) if m.base is not None else 0
        with self._quiet():
            self.name.value = name
        self.name.disabled = self.start_button.disabled = True
        self._history, self._pos = [m], 0
        self._headline()
        if own:
            self._log(f"Reopened {target}: {own} claim(s) of yours.")
        self._changed(f"Hello {name}: your work is saved to {target} after every change.")
        return True

    # -- the current map -------------------------------------------------------------------
    @property
    def map(self) -> ArgumentMap:
        """The map as it stands now (the reference nodes plus the student's)."""
        return self._history[self._pos]

    def __repr__(self) -> str:
        where = None if self.save_to is None else str(self.save_to)
        return f"Editor({self.map.title!r}, save_to={where!r}, author={self.author!r})"

    def _show(self, m: ArgumentMap, changed: str | None = None) -> None:
        """Redraw for a new map value: the SVG, the claim list, the sources, the buttons."""
        self.view.show(m, changed=changed if changed in m else None)
        keep = self.target.value if self.target.value in m else ""
        options = [("— click a box in the map, or choose a claim here —", "")]
        for n, depth in m.walk():
            mark = " (yours)" if m.base is not None and m.is_own(n.id) else ""
            options.append((f"{'  ' * depth}{m.kind(n.id)} {n.id}{mark}: {shorten(n.text)}", n.id))
        with self._quiet():
            self.target.options = options
            self.target.value = keep
            src = self.source.value
            sources = {s.id: s for s in reversed(m.sources)}  # an overlay may repeat its base's
            self.source.options = [("(none)", "")] + [(s.citation(), s.id) for s in m.sources
                                                      if sources.pop(s.id, None) is not None]
            self.source.value = src if src in {s.id for s in m.sources} else ""
        if self.view.selected != keep:
            self.view.selected = keep
        self.undo_button.disabled = self._pos == 0
        self.redo_button.disabled = self._pos == len(self._history) - 1


    def _commit(self, m: ArgumentMap, what: str, changed: str | None = None) -> None:
        del self._history[self._pos + 1:]
        self._history.append(m)
        self._pos += 1
        self._changed(what, changed)

    def _changed(self, what: str, changed: str | None = None) -> None:
        self._show(self.map, changed)
        if self._file is None:
            if not self.demo:
                what += " (not saved yet: type your name above and click Start)"
            self._say(what, ok=not (self.save_to is None and not self.demo))
            self._log(what)
            self._on_target()
            return
        try:
            self.save()
        except (OSError, ArgkitError) as e:
            self._say(f"Your change is in the map but could not be saved: {e}", ok=False)
            self._log(f"Not saved: {e}")
        else:
            self._log(what)
            self._offer_download()
            if self._merged:
                self._say(f"{what} {self._merged}", ok=False)
            else:
                self._say(what)
        self._on_target()

    # -- feedback --------------------------------------------------------------------------
    def _say(self, text: str, ok: bool = True) -> None:
        color = "#1e6b30" if ok else "#b02525"
        self.message.value = f'<span style="color:{color}">{html.escape(text, quote=False)}</span>'
        self.view.status = text  # announced to screen readers

    def _log(self, text: str) -> None:
        # One stdout stream that grows, not one output per line: JupyterLab draws every output of
        # the widget again when one is added, and after forty changes that took the browser
        # longer than drawing the new box (an Add's frame waited for it).
        outs = self.output.outputs
        last = outs[-1] if outs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == "stdout":
            self.output.outputs = (*outs[:-1], {**last, "text": last["text"] + text + "\n"})
        else:
            self.output.append_stdout(text + "\n")

    def _offer_download(self) -> None:
        # In the browser edition (JupyterLite) the file lives in the browser's storage: this link
        # is how the work leaves the browser (to hand it in, or to keep a copy).
        try:
            data = _io.read_bytes(self.save_to) if self.save_to is not None and not self.demo else b""
        except (OSError, ArgkitError):
            data = b""
        self.download.value = _download_link(self.save_to.name, data) if data and self.save_to else ""

    def _report_path(self, what: str, action: Any) -> None:
        try:
            path = action()
        except (OSError, ArgkitError) as e:
            self._say(f"Not done: {e}", ok=False)
            self._log(f"Not done: {e}")
            return
        self._say(f"{what} {path}")
        self._log(f"{what} {path}")

    def _problem(self) -> str | None:
        """What stops the Add button now, said so the student knows what to do."""
        target = self.target.value
        text = self.text.value.strip()
        if self.save_to is None and not self.demo:
            return "Type your name at the top and click Start first: your work is saved under it."
        if not target:
            return "Select a claim first: click a box in the map or choose one in the list."
        if not text:
            return "Type your claim in the text box, then click Add."
        if len(text) > MAX_TEXT:
            return (f"Your text is {len(text) - MAX_TEXT} characters too long (the limit is {MAX_TEXT}); "
                    "shorten it or split it into two claims.")
        quote = self.quote.value.strip()
        if len(quote) > MAX_TEXT:
            return (f"Your quote is {len(quote) - MAX_TEXT} characters too long (the limit is {MAX_TEXT}); "
                    "quote only the words your claim rests on.")
        for what, value in (("text", text), ("quote", quote)):
            bad = _io.REFUSED.search(value)
            if bad:  # pasted from a terminal or a web page: it could make the claim display differently
                return (f"Your {what} contains an invisible character, {_io.refused_char(bad.group())}, "
                        "that can change how it is shown; delete it (retype the words around it).")
        return None

    def _on_form(self, change: Any = None) -> None:
        if self._busy:
            return
        problem = self._problem()
        self.add_button.disabled = problem is not None
        target = self.target.value
        own = bool(target) and self.map.is_own(target)
        self.update_button.disabled = not own or problem is not None
        self.delete_button.disabled = not own
        if change is not None and change["owner"] is self.text:
            # Only the problems of what is being typed; "nothing selected" was said already.
            if problem is not None and self.text.value.strip() and self.target.value:
                self._say(problem, ok=False)
            elif problem is None:
                self.message.value = ""
        self._soon_prepare(ready=problem is None)

    def _on_click_in_map(self, change: Any) -> None:
        if self._busy:
            return
        new = change["new"]
        if new == self.target.value:
            return
        if new and new not in self.map:
            self._say(f"There is no claim {new!r} in the map any more; click another box.", ok=False)
            self.view.selected = self.target.value
            return
        self.target.value = new

    def _on_view_msg(self, _view: Any, content: Any, _buffers: Any) -> None:
        """A click on the box that is already selected (``selected`` does not change, so no event)."""
        if not isinstance(content, dict) or content.get("event") != "click":
            return
        node_id = content.get("id")
        if node_id == self.target.value and node_id in self.map and self.map.is_own(node_id):
            self._on_target({"new": node_id})  # offers the claim's text for Update, as a first click does

    def _on_target(self, change: Any = None) -> None:
        if self._busy:
            return
        m = self.map
        target = self.target.value
        if self.view.selected != target:
            self.view.selected = target
        with self._quiet():
            if target:
                kind = m.kind(target)
                con = "rebuttal" if kind == "objection" else "objection"
                kinds = [(con, "con"), ("reason", "pro")]
                if kind in ("objection", "rebuttal"):  # a step that attacks: it can be undercut
                    kinds.append(("undercut", "undercut"))
                old = self.action.value
                self.action.options = [(_ADD_LABELS[k], v) for k, v in kinds]
                self.action.tooltips = [_ADD_TIPS[k] for k, _ in kinds]
                values = [v for _, v in kinds]
                self.action.value = old if old in values else "con"
            self.action.disabled = not target
            self.selected_text.value = self._describe(target)
        if change is not None and target:
            node = m.node(target)
            if m.is_own(target):
                if not self.text.value.strip():  # offer the claim for editing, as it stands
                    with self._quiet():
                        self.text.value = node.text
                        self.source.value = node.source if m.source(node.source) else ""
                        self.quote.value = node.quote.text if node.quote else ""
                self._say(f"This is your claim {target}: add to it, change its text with Update, "
                          "or remove it with Delete.")
            else:
                self._say(f"Selected {m.kind(target)} {target} (from the reference map, read-only): "
                          "choose what to add to it and type your claim.")
        self._on_form()

    def _describe(self, target: str) -> str:
        """The selected claim in words, above the form (what the student is answering)."""
        if not target or target not in self.map:
            return "<i>No claim selected: click a box in the map.</i>"
        m = self.map
        n = m.node(target)
        mine = " (yours)" if m.base is not None and m.is_own(target) else ""
        who = f" · {html.escape(n.author)}" if n.author else ""
        return (f"<div style='line-height:1.3'><b>Selected: {m.kind(target)} "
                f"<code>{html.escape(target)}</code>{mine}</b>{who}<br>"
                f"{html.escape(shorten(n.text, 160), quote=False)}</div>")

    # -- actions (also callable from code) ----------------------------------------------------
    def _form_problem(self) -> str | None:
        problem = self._problem()
        if problem is not None:
            self._say(problem, ok=False)
        return problem

    def _form_node(self, node_id: str, parent: str | None, stance: str | None) -> Node:
        source = self.source.value or None
        quote = self.quote.value.strip()
        return Node(
            id=node_id,
            text=self.text.value.strip(),
            parent=parent,
            stance=stance,
            source=source,
            quote=Quote(text=quote, source=None) if quote else None,
            added_by=self.author,
        )

    def _clear_form(self) -> None:
        """An empty form for the next claim (no source carried over to it by mistake)."""
        with self._quiet():
            self.text.value = ""
            self.quote.value = ""
            self.source.value = ""

    def add(self) -> str | None:
        """Add the typed claim under the selected one; returns the new node's id (``None``: not added)."""
        if self._form_problem() is not None:
            return None
        m = self.map
        target = self.target.value
        node_id = self._next_id(m)
        new = self._added(m, node_id)
        if new is None:
            self._say(f"{target} does not attack a claim above it: there is no step to undercut; "
                      "add an objection instead.", ok=False)
            return None
        self._issued.add(node_id)
        self._clear_form()
        if self.action.value == "undercut":
            self._commit(new, f"Added your undercut {node_id}: it doubts the step from {target} "
                              f"to {new.node(node_id).parent}.{_cut_notice(new.node(node_id).text)}",
                         changed=node_id)
        else:
            self._commit(new, f"Added your {new.kind(node_id)} {node_id} to {target}."
                              f"{_cut_notice(new.node(node_id).text)}", changed=node_id)
        return node_id

    def _added(self, m: ArgumentMap, node_id: str) -> ArgumentMap | None:
        """``m`` with the claim of the form added as ``node_id`` (``None``: an undercut of nothing)."""
        target = self.target.value
        stance = self.action.value
        if stance == "undercut":
            # The doubt hangs beside the claim it undercuts, as a reason for the claim that one
            # attacks (cutting the step defends it), with an ``undercuts`` relation to the step.
            parent = m.node(target).parent
            if parent is None or m.node(target).stance != "con":
                return None
            return m.add(self._form_node(node_id, parent, "pro")).relate(Relation(node_id, "undercuts", target))
        return m.add(self._form_node(node_id, target, stance))

    def _next_id(self, m: ArgumentMap) -> str:
        """The id the next claim gets (ids given out in this session are never reused)."""
        prefix = f"{overlay.slug(self.author or 'student', 'student')}-"
        i = len(m.nodes) + 1
        while f"{prefix}{i}" in m or f"{prefix}{i}" in self._issued:
            i += 1
        return f"{prefix}{i}"

    # -- laying the map out while the student reaches for Add ----------------------------------
    def _soon_prepare(self, ready: bool) -> None:
        """Lay out the map with the typed claim once the form rests (see :meth:`_prepare`)."""
        if self._prepare_timer is not None:
            self._prepare_timer.cancel()
            self._prepare_timer = None
        if not ready:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a script, a test): nothing to do meanwhile
        self._prepare_timer = loop.call_later(_PREPARE_AFTER, self._prepare)

    def _prepare(self) -> None:
        """Lay out the map as Add will show it, so that the click finds the drawing ready.

        Laying out the whole map is most of what an Add costs in the kernel (about 30 ms of
        Graphviz for the course's debate map). A student who has typed a claim and stops typing
        is about to click Add: the map with that claim is drawn now, into render's cache (and
        drawn again at the click, at no cost, if the form has not changed; if it has, the click
        lays it out as usual). Nothing is shown or saved here.
        """
        self._prepare_timer = None
        if self._problem() is not None:
            return
        try:
            new = self._added(self.map, node_id := self._next_id(self.map))
            if new is not None:
                self.view.prepare(new, changed=node_id)
        except (ArgkitError, ValueError, KeyError):
            return  # the click will say what is wrong

    def update(self) -> bool:
        """Replace the text (and source and quote) of the selected claim, if it is the student's."""
        target = self.target.value
        if target and not self.map.is_own(target):
            self._say(f"{target} is part of the reference map and cannot be changed; add an objection "
                      "to it instead.", ok=False)
            return False
        if self._form_problem() is not None:
            return False
        old = self.map.node(target)
        node = replace(self._form_node(target, old.parent, old.stance), basis=old.basis, link=old.link,
                       tags=old.tags, author=old.author, added_by=old.added_by or self.author)
        if node == old:
            self._say("Nothing to change: edit the text first, then click Update.", ok=False)
            return False
        self._clear_form()
        self._commit(self.map.replace_node(node), f"Changed your claim {target}.{_cut_notice(node.text)}", changed=target)
        return True

    def delete(self) -> bool:
        """Delete the selected claim and everything under it, if it is the student's."""
        target = self.target.value
        if not target:
            self._say("Select one of your claims first: click its box in the map.", ok=False)
            return False
        if not self.map.is_own(target):
            self._say(f"{target} is part of the reference map and cannot be deleted; only your own "
                      "claims can.", ok=False)
            return False
        gone = sum(1 for _ in self.map.walk(target))
        with self._quiet():
            self.target.value = ""
        under = f" and {gone - 1} claim(s) under it" if gone > 1 else ""
        self._commit(self.map.remove(target), f"Deleted your claim {target}{under}.")
        return True

    def undo(self) -> bool:
        """Go back one change (``False`` if there is nothing to undo)."""
        if self._pos == 0:
            self._say("Nothing to undo.", ok=False)
            return False
        self._pos -= 1
        self._changed("Undone.")
        return True

    def redo(self) -> bool:
        """Redo the change undone last (``False`` if there is nothing to redo)."""
        if self._pos == len(self._history) - 1:
            self._say("Nothing to redo.", ok=False)
            return False
        self._pos += 1
        self._changed("Redone.")
        return True

    def select(self, node_id: str) -> None:
        """Select a claim, as a click on its box does."""
        self.view.selected = node_id

    # -- files -----------------------------------------------------------------------------
    def _need_file(self) -> Path:
        if self.demo:
            raise ArgkitError("this is a demonstration editor: nothing is saved (use your own editor)")
        if self.save_to is None or self._file is None:
            raise ArgkitError("type your name and click Start first: it names your file")
        return self.save_to

    def save(self) -> Path:
        """Write the student's overlay file now (every change already does this); returns its path.

        If another editor (a second tab or kernel) saved to the same file meanwhile, its claims
        are merged in and kept (see :class:`argkit.overlay.WorkFile`), and the editor says so.

        Raises:
            ArgkitError: A demonstration editor, or the student's name is not given yet.
        """
        target = self._need_file()
        assert self._file is not None
        before = self.map
        saved, notes = self._file.save(before)
        if saved is not before:  # merged with another editor's work: undo restarts from here
            self._history, self._pos = [saved], 0
            self._show(saved)
        for note in notes:
            self._log(note + ".")
        self._merged = " ".join(notes) + ". Nothing was lost; undo restarts here." if notes else ""
        if notes:
            self._say(self._merged, ok=False)
        return target

    def _export_path(self, suffix: str, path: str | os.PathLike[str] | None) -> Path:
        work = self._need_file()
        target = Path(path) if path is not None else work.with_suffix(suffix)
        overlay.check_export(target, suffix, work)
        return target

    def export_svg(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the map (reference and own claims) as SVG, by default next to the save file.

        Raises:
            ArgkitError: ``path`` is not an ``.svg`` file in the student's work folder.
        """
        target = self._export_path(".svg", path)
        from argkit.render import to_svg  # render's cache: the map view drew it already

        write_text(target, to_svg(self.map))
        return target

    def export_png(self, path: str | os.PathLike[str] | None = None, *, fit: str | None = None) -> Path:
        """Write the map as a PNG picture (2x, sharp in print; ``fit="1080p"`` for a projector).

        Raises:
            ArgkitError: ``path`` is not a ``.png`` file in the student's work folder.
        """
        from argkit.render import to_png

        target = self._export_path(".png", path)
        _io.atomic_write(target, to_png(self.map, fit=fit))
        return target

    def export_pdf(self, path: str | os.PathLike[str] | None = None, *, paper: str | None = None) -> Path:
        """Write the map as a vector PDF for printing (``paper="a4"`` fits it on an A4 page).

        Raises:
            ArgkitError: ``path`` is not a ``.pdf`` file in the student's work folder, or ``paper``
                is not a paper argkit knows (``"a4"``, ``"a3"``, ``"letter"``, ``"a4-landscape"``...).
        """
        from argkit.render import to_pdf

        target = self._export_path(".pdf", path)
        _io.atomic_write(target, to_pdf(self.map, paper=paper))
        return target

    def export_outline(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the map as indented outline text, by default next to the save file.

        Raises:
            ArgkitError: ``path`` is not a ``.txt`` file in the student's work folder.
        """
        from argkit.render import to_outline

        target = self._export_path(".txt", path)
        write_text(target, to_outline(self.map))
        return target

    def hand_in(self, folder: str | os.PathLike[str] | None = None) -> Path:
        """Hand the work in: a copy named ``<map>-<name>.yaml`` in the teacher's hand-in folder.

        The folder is ``folder``, else ``$ARGKIT_HANDIN``, else ``hand-in/`` (see
        :func:`argkit.overlay.hand_in`). Handing in again replaces your earlier hand-in; another
        student's file is never overwritten.
        """
        self._need_file()
        self.save()
        return overlay.hand_in(self.map, self.author, folder)

    def export_yaml(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the overlay YAML (the student's claims, ``extends:`` the reference map)."""
        if path is None:
            return self.save()
        target = Path(path)
        if self.map.base is not None:
            overlay.check_save_to(self.map.base, target)
        return overlay.save_overlay(self.map, target)


def _download_link(name: str, data: bytes) -> str:
    """A **Download my work** link that carries the file itself (a data URL): it works wherever
    the notebook runs, JupyterLite included, and needs no server."""
    href = "data:application/x-yaml;base64," + base64.b64encode(data).decode("ascii")
    return (f'<a class="jupyter-button widget-button argkit-download" download="{html.escape(name)}" '
            f'href="{href}" title="Save a copy of {html.escape(name)} on this computer, e.g. to hand it in" '
            'style="display:inline-flex;align-items:center;text-decoration:none;padding:0 12px">'
            "Download my work</a>")


def edit(map_or_path: ArgumentMap | str | os.PathLike[str], save_to: str | os.PathLike[str] | None = None,
         author: str | None = None, *, demo: bool = False) -> Editor:
    """An editor widget to extend a map live: click a box, type an objection, click Add.

    Args:
        map_or_path: The reference map (or its file), or a student's overlay file to carry on.
        save_to: The student's overlay file; by default ``work/<map>-<author>.yaml`` in the
            current folder. If it exists, the session saved there is restored.
        author: The student's name, recorded as ``added_by`` on every claim they add. Without
            it (and outside JupyterHub, which gives the user's name) the editor asks for the name
            and saves nothing until it is given.
        demo: A demonstration editor: it works like the student's but saves nothing, so a
            notebook can show the steps without touching any student's file.

    Raises:
        ReferenceMapError: ``save_to`` is the reference map or lies beside it.
        ArgkitError: ``save_to`` holds work on another map.
    """
    who = author or os.environ.get("JUPYTERHUB_USER") or None  # an empty variable is no name
    if demo:
        m = map_or_path if isinstance(map_or_path, ArgumentMap) else files.load(map_or_path)
        return Editor(m if m.base is not None and not m.reference else to_overlay(m), None,
                      who or "example", demo=True)
    if who is None and save_to is None:
        m = map_or_path if isinstance(map_or_path, ArgumentMap) else files.load(map_or_path)
        if m.base is None or m.reference:  # a course map: the name names the student's file
            return Editor(to_overlay(m), None, None,
                          start=lambda name: overlay.open_work(m, None, name))
        who = next((n.added_by for n in m.own_nodes() if n.added_by), None)
    who = who or "student"
    m, target = overlay.open_work(map_or_path, save_to, who)
    return Editor(m, target, who)


_CHOICES = (("as the map has it", ""), ("reject it", "reject"), ("accept it", "accept"))


class WhatIf(Quiet, widgets.VBox):
    """The widget returned by :func:`what_if` (see there).

    Attributes:
        view: The :class:`MapView`, drawn with the labelling (a click selects a claim).
        claim: Dropdown choosing the claim to reject or accept (same as a click in the map).
        choice: Reject the selected claim, accept it, or take it as the map has it.
        reset_button: Takes back every choice.
        summary: What is rejected and accepted, and which labels that changed.
        why: Why the selected claim has its label.
    """

    def __init__(self, m: ArgumentMap, **kwargs: Any):
        from argkit.semantics import evaluate

        self.map = m
        self._choices: dict[str, str] = {}
        self._plain = evaluate(m)
        self.labelling = self._plain
        self.view = MapView(layout=widgets.Layout(flex="1 1 480px", min_width="320px"))
        self.claim = widgets.Dropdown(
            description="Claim:", layout=widgets.Layout(width="100%"),
            options=[("— click a box in the map, or choose a claim here —", "")]
            + [(f"{'  ' * d}{m.kind(n.id)} {n.id}: {shorten(n.text)}", n.id) for n, d in m.walk()])
        self.choice = widgets.ToggleButtons(options=_CHOICES, disabled=True)
        self.reset_button = widgets.Button(description="Reset", tooltip="Take back every choice")
        self.summary = widgets.HTML()
        self.why = widgets.HTML()
        self.view.observe(self._on_click_in_map, "selected")
        self.claim.observe(self._on_claim, "value")
        self.choice.observe(self._on_choice, "value")
        self.reset_button.on_click(lambda _: self.reset())
        self.choice.style.button_width = "auto"
        controls = widgets.VBox(
            [self.claim, self.choice, self.reset_button, self.why, self.summary],
            layout=widgets.Layout(flex=f"0 1 {_CONTROLS_WIDTH}", min_width="260px", padding="0 0 0 8px"))
        self.claim.layout = widgets.Layout(width="100%")
        self.claim.style.description_width = "3.5em"
        super().__init__(children=[
            widgets.HTML(f"<b>What if?</b> {html.escape(m.title, quote=False)}: reject or accept a "
                         "claim and see which claims stand (IN), fall (OUT) or stay open (UNDEC)."),
            widgets.HBox([self.view, controls],
                         layout=widgets.Layout(display="flex", flex_flow="row wrap", width="100%",
                                               align_items="flex-start"))], **kwargs)
        self._redraw()

    def __repr__(self) -> str:
        return f"WhatIf({self.map.title!r}, reject={self.rejected!r}, accept={self.accepted!r})"

    @property
    def rejected(self) -> tuple[str, ...]:
        """The claims rejected so far, in the order chosen."""
        return tuple(i for i, c in self._choices.items() if c == "reject")

    @property
    def accepted(self) -> tuple[str, ...]:
        """The claims accepted so far, in the order chosen."""
        return tuple(i for i, c in self._choices.items() if c == "accept")

    def reject(self, *ids: str) -> None:
        """Reject claims (as choosing "reject it" for each does)."""
        self._set(ids, "reject")

    def accept(self, *ids: str) -> None:
        """Accept claims (as choosing "accept it" for each does)."""
        self._set(ids, "accept")

    def reset(self) -> None:
        """Take back every choice: the labelling of the map as it is."""
        self._choices.clear()
        self._redraw()

    def _set(self, ids: tuple[str, ...], how: str) -> None:
        for i in ids:
            self.map.node(i)  # a KeyError naming the map for an unknown id
            self._choices.pop(i, None)
            if how:
                self._choices[i] = how
        self._redraw()

    def _redraw(self) -> None:
        from argkit.semantics import evaluate

        key = (self.rejected, self.accepted)
        self.labelling = evaluate(self.map, reject=key[0], accept=key[1]) if any(key) else self._plain
        self.view.show(self.map, self.labelling)
        with self._quiet():
            self.choice.value = self._choices.get(self.claim.value, "")
        changed = self._plain.changes(self.labelling)
        parts = []
        if self.rejected:
            parts.append("You reject " + ", ".join(self.rejected) + ".")
        if self.accepted:
            parts.append("You accept " + ", ".join(self.accepted) + ".")
        if changed:
            parts.append("Changed: " + "; ".join(f"{i} {a} → {b}" for i, (a, b) in changed.items()) + ".")
        elif self._choices:
            parts.append("No label changes.")
        counts = self.labelling.counts()
        parts.append(" · ".join(f"{k} {v}" for k, v in counts.items()))
        self.summary.value = html.escape(" ".join(parts), quote=False)
        self._explain()

    def _explain(self) -> None:
        target = self.claim.value
        self.why.value = (f"<b>{html.escape(target, quote=False)}</b>: "
                          f"{html.escape(self.labelling.explain(target), quote=False)}" if target else "")

    def _on_click_in_map(self, change: Any) -> None:
        new = change["new"]
        if new in self.map or new == "":
            self.claim.value = new
        else:
            self.view.selected = self.claim.value

    def _on_claim(self, change: Any) -> None:
        target = change["new"]
        if self.view.selected != target:
            self.view.selected = target
        with self._quiet():
            self.choice.disabled = not target
            self.choice.value = self._choices.get(target, "")
        self._explain()

    def _on_choice(self, change: Any) -> None:
        if self._busy or not self.claim.value:
            return
        self._set((self.claim.value,), change["new"])


def what_if(m: ArgumentMap) -> WhatIf:
    """A widget to reject or accept claims and see which claims stand (IN), fall (OUT) or stay open (UNDEC).

    Click a box (or choose the claim in the list), then *reject it* or *accept it*: the map is
    redrawn with the grounded labelling of :func:`argkit.semantics.evaluate`, and the widget says
    which labels changed and why the selected claim has its label. ``reject``, ``accept`` and
    ``reset`` do the same from code; ``.labelling`` is the current result.
    """
    return WhatIf(m)
