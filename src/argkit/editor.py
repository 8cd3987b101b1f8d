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

import html
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from argkit._io import write_text
from argkit.errors import ArgkitError, ReferenceMapError
from argkit.mapfile import is_reference_file, load, save
from argkit.model import ArgumentMap, Node, Quote
from argkit.validate import MAX_TEXT

__all__ = ["Editor", "MapView", "WhatIf", "edit", "to_overlay", "what_if"]

WORK_DIR = "work"
_SVG_CACHE_SIZE = 64
_ADD_LABELS = {
    "reason": "a reason for it",
    "objection": "an objection to it",
    "rebuttal": "a rebuttal of it",
}


def _asset(name: str) -> str:
    return resources.files("argkit").joinpath(name).read_text(encoding="utf-8")


class MapView(anywidget.AnyWidget):
    """The map as SVG; clicking a box sets ``selected`` to the node's id (and highlights it).

    Attributes:
        svg: The SVG text to show (from :func:`argkit.render.to_svg`).
        selected: The id of the selected node, ``""`` for none; set by a click in the browser.
    """

    _esm = _asset("mapview.js")
    _css = _asset("mapview.css")
    svg = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)


def to_overlay(base: ArgumentMap, save_to: str | os.PathLike[str] | None = None) -> ArgumentMap:
    """A new, empty overlay on ``base``: the merged view a student starts from.

    The overlay holds the base map's nodes (read-only: ``is_own`` is false for them), has
    ``base`` set and ``extends`` naming the base file relative to ``save_to``'s folder (or the
    base file's name). It is never reference material, so it can be saved and re-saved.
    """
    if base.path and save_to is not None:
        extends = Path(os.path.relpath(Path(base.path).resolve(), Path(save_to).resolve().parent)).as_posix()
    elif base.path:
        extends = Path(base.path).name
    else:
        extends = None
    return ArgumentMap(
        title=base.title,
        nodes=base.nodes,
        relations=base.relations,
        sources=base.sources,
        extends=extends,
        reference=False,
        base=base,
        path=None if save_to is None else str(save_to),
    )


def _slug(text: str, fallback: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", text.strip()).strip("-").lower()
    if not s:
        return fallback
    return s if re.match(r"[A-Za-z_]", s) else f"s{s}"


def _same_file(a: str | os.PathLike[str] | None, b: str | os.PathLike[str] | None) -> bool:
    return a is not None and b is not None and Path(a).resolve() == Path(b).resolve()


def _default_save_to(base: ArgumentMap, author: str) -> Path:
    stem = Path(base.path).stem if base.path else _slug(base.title, "map")
    return Path(WORK_DIR) / f"{stem}-{_slug(author, 'student')}.yaml"


def _check_save_to(base: ArgumentMap, save_to: Path) -> None:
    """Refuse to put a student's file where the reference material lives."""
    if base.path is None:
        return
    ref = Path(base.path).resolve()
    target = save_to.resolve()
    if target == ref:
        raise ReferenceMapError(
            f"{save_to}: this is the map you are extending; save your work to its own file "
            f"(e.g. {WORK_DIR}/my-map.yaml)")
    if base.reference and target.parent == ref.parent:
        raise ReferenceMapError(
            f"{save_to}: this folder holds the reference maps ({ref.parent.name}/); save your work "
            f"in another folder, e.g. {WORK_DIR}/{save_to.name}")
    if target.exists() and is_reference_file(target):
        raise ReferenceMapError(
            f"{save_to}: this file is reference material (reference: true); save your work to "
            f"another file, e.g. {WORK_DIR}/{save_to.name}")


def _restore(base: ArgumentMap, save_to: Path) -> ArgumentMap:
    """The session saved in ``save_to``, checked to be work on ``base``."""
    saved = load(save_to)
    if base.path is not None:
        if saved.base is None or not _same_file(saved.base.path, base.path):
            on = f"extends {saved.extends}" if saved.extends else "is not an overlay (no 'extends:')"
            raise ArgkitError(
                f"{save_to} already exists and {on}, not {base.path}; choose another file with "
                "save_to=..., or open that file itself")
        return saved
    missing = [n.id for n in base.nodes if n.id not in saved]
    if saved.base is not None or missing:
        raise ArgkitError(
            f"{save_to} already exists and is not work on the map {base.title!r}; choose another "
            "file with save_to=...")
    return replace(saved, base=base, path=str(save_to))


def _open(map_or_path: ArgumentMap | str | os.PathLike[str], save_to: str | os.PathLike[str] | None,
          author: str) -> tuple[ArgumentMap, Path]:
    m = map_or_path if isinstance(map_or_path, ArgumentMap) else load(map_or_path)
    if m.base is not None and not m.reference:  # a student's file: keep working on it
        target = Path(save_to) if save_to is not None else Path(m.path or _default_save_to(m.base, author))
        _check_save_to(m.base, target)
        if m.path is not None and not _same_file(m.path, target):
            m = replace(m, path=str(target))
        return m, target
    target = Path(save_to) if save_to is not None else _default_save_to(m, author)
    _check_save_to(m, target)
    if target.exists():
        return _restore(m, target), target
    return to_overlay(m, target), target


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Quiet:
    """Lets a widget update its own controls without its observers reacting to the change."""

    _busy = False

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy


class Editor(_Quiet, widgets.VBox):
    """The editor widget returned by :func:`edit` (see there).

    Attributes:
        view: The :class:`MapView` showing the map.
        target: Dropdown choosing the claim to add to, edit or delete (same as a click in the map).
        action: What to add to the target (a reason, an objection or a rebuttal).
        text, source, quote: The new claim's text, optional source and quote.
        add_button, update_button, delete_button, undo_button, redo_button: The actions.
        message: One line of feedback for the student.
        output: An Output widget recording every change.
    """

    def __init__(self, m: ArgumentMap, save_to: Path, author: str, **kwargs: Any):
        self.author = author
        self.save_to = save_to
        self._history: list[ArgumentMap] = [m]
        self._pos = 0
        self._svg_cache: dict[ArgumentMap, str] = {}
        self._busy = False

        self.view = MapView()
        self.target = widgets.Dropdown(description="Claim:", layout=widgets.Layout(width="100%"))
        self.action = widgets.ToggleButtons(description="Add:", options=[("an objection to it", "con")])
        self.text = widgets.Textarea(
            placeholder="Type your claim in your own words, as one full sentence.",
            layout=widgets.Layout(width="100%", height="4em"))
        self.source = widgets.Dropdown(description="Source:")
        self.quote = widgets.Text(description="Quote:", placeholder="optional: the exact words of the source",
                                  layout=widgets.Layout(width="100%"))
        self.add_button = widgets.Button(description="Add", button_style="primary",
                                         tooltip="Add the claim to the map")
        self.update_button = widgets.Button(description="Update",
                                            tooltip="Replace the text of your selected claim")
        self.delete_button = widgets.Button(description="Delete",
                                            tooltip="Delete your selected claim and the claims under it")
        self.undo_button = widgets.Button(description="Undo")
        self.redo_button = widgets.Button(description="Redo")
        self.save_button = widgets.Button(description="Save",
                                          tooltip="Write your work to its file (it is saved after every change anyway)")
        self.svg_button = widgets.Button(description="Export SVG")
        self.outline_button = widgets.Button(description="Export outline")
        self.message = widgets.HTML()
        self.output = widgets.Output(layout=widgets.Layout(max_height="8em", overflow="auto"))

        self.add_button.on_click(lambda _: self.add())
        self.update_button.on_click(lambda _: self.update())
        self.delete_button.on_click(lambda _: self.delete())
        self.undo_button.on_click(lambda _: self.undo())
        self.redo_button.on_click(lambda _: self.redo())
        self.save_button.on_click(lambda _: self._report_path("Saved", self.save()))
        self.svg_button.on_click(lambda _: self._report_path("Exported the map to", self.export_svg()))
        self.outline_button.on_click(
            lambda _: self._report_path("Exported the outline to", self.export_outline()))
        self.view.observe(self._on_click_in_map, "selected")
        self.target.observe(self._on_target, "value")
        # Typing only re-checks the form (cheap); the map is redrawn only when the map changes.
        self.text.observe(self._on_form, "value")
        self.action.observe(self._on_form, "value")

        children = [
            widgets.HTML(f"<b>{html.escape(m.title)}</b> · your work is saved to "
                         f"<code>{html.escape(str(save_to))}</code> after every change"),
            self.view,
            self.target,
            self.action,
            self.text,
            widgets.HBox([self.source, self.quote]),
            widgets.HBox([self.add_button, self.update_button, self.delete_button,
                          self.undo_button, self.redo_button]),
            self.message,
            widgets.HBox([self.save_button, self.svg_button, self.outline_button]),
            self.output,
        ]
        super().__init__(children=children, **kwargs)
        self._show(m)
        self._on_target()
        own = len(m.own_nodes()) if m.base is not None else 0
        if own:
            self._log(f"Reopened {save_to}: {own} claim(s) of yours.")
        self._say("Click a box in the map (or choose a claim in the list) to add your own claim to it.")

    # -- the current map -------------------------------------------------------------------
    @property
    def map(self) -> ArgumentMap:
        """The map as it stands now (the reference nodes plus the student's)."""
        return self._history[self._pos]

    def __repr__(self) -> str:
        return f"Editor({self.map.title!r}, save_to={str(self.save_to)!r}, author={self.author!r})"

    def _svg(self, m: ArgumentMap) -> str:
        svg = self._svg_cache.get(m)
        if svg is None:
            from argkit.render import to_svg

            svg = to_svg(m)
            if len(self._svg_cache) >= _SVG_CACHE_SIZE:
                self._svg_cache.pop(next(iter(self._svg_cache)))
            self._svg_cache[m] = svg
        return svg

    def _show(self, m: ArgumentMap) -> None:
        """Redraw for a new map value: the SVG, the claim list, the sources, the buttons."""
        self.view.svg = self._svg(m)
        keep = self.target.value if self.target.value in m else ""
        options = [("— click a box in the map, or choose a claim here —", "")]
        for n, depth in m.walk():
            mark = " (yours)" if m.base is not None and m.is_own(n.id) else ""
            options.append((f"{'  ' * depth}{m.kind(n.id)} {n.id}{mark}: {_short(n.text)}", n.id))
        with self._quiet():
            self.target.options = options
            self.target.value = keep
            src = self.source.value
            self.source.options = [("(none)", "")] + [(s.citation(), s.id) for s in m.sources]
            self.source.value = src if src in {s.id for s in m.sources} else ""
        if self.view.selected != keep:
            self.view.selected = keep
        self.undo_button.disabled = self._pos == 0
        self.redo_button.disabled = self._pos == len(self._history) - 1


    def _commit(self, m: ArgumentMap, what: str) -> None:
        del self._history[self._pos + 1:]
        self._history.append(m)
        self._pos += 1
        self._changed(what)

    def _changed(self, what: str) -> None:
        self._show(self.map)
        try:
            self.save()
        except (OSError, ArgkitError) as e:
            self._say(f"Your change is in the map but could not be saved: {e}", ok=False)
            self._log(f"Not saved: {e}")
        else:
            self._say(what)
            self._log(what)
        self._on_target()

    # -- feedback --------------------------------------------------------------------------
    def _say(self, text: str, ok: bool = True) -> None:
        color = "#2b8a3e" if ok else "#c92a2a"
        self.message.value = f'<span style="color:{color}">{html.escape(text, quote=False)}</span>'

    def _log(self, text: str) -> None:
        self.output.append_stdout(text + "\n")

    def _report_path(self, what: str, path: Path) -> None:
        self._say(f"{what} {path}")
        self._log(f"{what} {path}")

    def _problem(self) -> str | None:
        """What stops the Add button now, said so the student knows what to do."""
        target = self.target.value
        text = self.text.value.strip()
        if not target:
            return "Select a claim first: click a box in the map or choose one in the list."
        if not text:
            return "Type your claim in the text box, then click Add."
        if len(text) > MAX_TEXT:
            return (f"Your text is {len(text) - MAX_TEXT} characters too long (the limit is {MAX_TEXT}); "
                    "shorten it or split it into two claims.")
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
                options = [(_ADD_LABELS[con], "con"), (_ADD_LABELS["reason"], "pro")]
                old = self.action.value
                self.action.options = options
                self.action.value = old if old in ("pro", "con") else "con"
            self.action.disabled = not target
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
        stance = self.action.value
        node_id = m.new_id(f"{_slug(self.author, 'student')}-")
        node = self._form_node(node_id, target, stance)
        new = m.add(node)
        what = new.kind(node_id)
        self._clear_form()
        self._commit(new, f"Added your {what} {node_id} to {target}.")
        return node_id

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
        self._commit(self.map.replace_node(node), f"Changed your claim {target}.")
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
    def save(self) -> Path:
        """Write the student's overlay file now (every change already does this); returns its path."""
        return _save_overlay(self.map, self.save_to)

    def _export_path(self, suffix: str, path: str | os.PathLike[str] | None) -> Path:
        return Path(path) if path is not None else self.save_to.with_suffix(suffix)

    def export_svg(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the map (reference and own claims) as SVG, by default next to the save file."""
        target = self._export_path(".svg", path)
        _write_text(target, self._svg(self.map))
        return target

    def export_outline(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the map as indented outline text, by default next to the save file."""
        from argkit.render import to_outline

        target = self._export_path(".txt", path)
        _write_text(target, to_outline(self.map))
        return target

    def export_yaml(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the overlay YAML (the student's claims, ``extends:`` the reference map)."""
        if path is None:
            return self.save()
        target = Path(path)
        if self.map.base is not None:
            _check_save_to(self.map.base, target)
        return _save_overlay(self.map, target)


def _write_text(path: Path, text: str) -> None:
    write_text(path, text)


def _save_overlay(m: ArgumentMap, path: Path) -> Path:
    base = m.base
    if base is None:
        return save(m, path)
    if base.path is None:  # an in-memory map cannot be extended by file: save the whole map
        return save(replace(m, base=None, extends=None), path)
    # The overlay file is checked on its own when read, so it carries the sources its claims cite.
    have = {s.id for s in base.sources}
    cited = {x for n in m.own_nodes() for x in (n.source, n.quote.source if n.quote else None) if x}
    own_sources = tuple(s for s in m.sources if s.id not in have or s.id in cited)
    return save(replace(m, sources=own_sources, base=base), path)


def edit(map_or_path: ArgumentMap | str | os.PathLike[str], save_to: str | os.PathLike[str] | None = None,
         author: str | None = None) -> Editor:
    """An editor widget to extend a map live: click a box, type an objection, click Add.

    Args:
        map_or_path: The reference map (or its file), or a student's overlay file to carry on.
        save_to: The student's overlay file; by default ``work/<map>-<author>.yaml`` in the
            current folder. If it exists, the session saved there is restored.
        author: The student's name, recorded as ``added_by`` on every claim they add.

    Raises:
        ReferenceMapError: ``save_to`` is the reference map or lies beside it.
        ArgkitError: ``save_to`` holds work on another map.
    """
    who = author or os.environ.get("JUPYTERHUB_USER") or "student"
    m, target = _open(map_or_path, save_to, who)
    return Editor(m, target, who)


_CHOICES = (("as the map has it", ""), ("reject it", "reject"), ("accept it", "accept"))


class WhatIf(_Quiet, widgets.VBox):
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
        self._svg_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        self._plain = evaluate(m)
        self.labelling = self._plain
        self.view = MapView()
        self.claim = widgets.Dropdown(
            description="Claim:", layout=widgets.Layout(width="100%"),
            options=[("— click a box in the map, or choose a claim here —", "")]
            + [(f"{'  ' * d}{m.kind(n.id)} {n.id}: {_short(n.text)}", n.id) for n, d in m.walk()])
        self.choice = widgets.ToggleButtons(options=_CHOICES, disabled=True)
        self.reset_button = widgets.Button(description="Reset", tooltip="Take back every choice")
        self.summary = widgets.HTML()
        self.why = widgets.HTML()
        self.view.observe(self._on_click_in_map, "selected")
        self.claim.observe(self._on_claim, "value")
        self.choice.observe(self._on_choice, "value")
        self.reset_button.on_click(lambda _: self.reset())
        super().__init__(children=[
            widgets.HTML(f"<b>What if?</b> {html.escape(m.title, quote=False)}: reject or accept a "
                         "claim and see which claims stand (IN), fall (OUT) or stay open (UNDEC)."),
            self.view, self.claim, widgets.HBox([self.choice, self.reset_button]),
            self.why, self.summary], **kwargs)
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
        from argkit.render import to_svg
        from argkit.semantics import evaluate

        key = (self.rejected, self.accepted)
        self.labelling = evaluate(self.map, reject=key[0], accept=key[1]) if any(key) else self._plain
        svg = self._svg_cache.get(key)
        if svg is None:
            svg = self._svg_cache[key] = to_svg(self.map, labelling=self.labelling)
        self.view.svg = svg
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

    _busy = False


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
