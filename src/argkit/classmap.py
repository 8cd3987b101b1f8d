"""The live class map: every student's hand-in merged into the course map, for the teacher's projector.

A folder of hand-ins (one overlay file per student, each ``extends:`` the course map) becomes one
map: the course map with every student's claims added, each marked with who added it. Names are
personal data, so on a projector students are shown as "Student 1", "Student 2"... in the order
their work first arrived; one switch shows the names. The widget watches the folder (the page asks
the kernel every few seconds, so nothing runs when nobody looks) and redraws when a hand-in
arrives or changes; a broken or foreign file is listed, never fatal.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> course = ArgumentMap("Tea", (Node("t", "Tea is good."),), reference=True)
    >>> ana = ArgumentMap("Tea", (*course.nodes,
    ...     Node("ana-2", "It stains teeth.", parent="t", stance="con", author="Ana", added_by="ana")),
    ...     base=course)
    >>> merged, owners = merge_class(course, [("ana", ana)], {"ana": "Student 1"})
    >>> [(n.id, n.added_by, n.author) for n in merged.own_nodes()]
    [('s1-1', 'Student 1', None)]
    >>> owners
    {'s1-1': 'ana'}
"""

from __future__ import annotations

import html
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from argkit._text import shorten
from argkit.editor import MapView, Quiet
from argkit.errors import ArgkitError, Diagnostic, InvalidMapError, MapSyntaxError
from argkit.mapfile import read_map
from argkit.model import KINDS, ArgumentMap, Node, Relation, Source
from argkit.overlay import find_base, fingerprint, load, merge

__all__ = ["HANDIN_ENV", "ClassMap", "HandIn", "class_map", "merge_class", "read_handins"]

HANDIN_ENV = "ARGKIT_HANDIN"  # the folder students hand in to (set by the teacher or the hub)
POLL_SECONDS = 2.0
_ALL = ""
_WHY = {
    "not-overlay": "not a hand-in (it extends no course map)",
    "other-map": "a hand-in on another map",
    "no-file": "could not be read",
    "unreadable": "could not be read",
}

# The page asks the kernel to look at the folder every few seconds. A tick from the browser runs
# in the kernel's own message loop (no thread touches the widgets), and stops with the page.
_TICKER_ESM = """
function render({ model, el }) {
  const every = Math.max(0.5, model.get("interval")) * 1000;
  const timer = setInterval(() => {
    if (model.get("interval") > 0 && document.visibilityState !== "hidden") model.send({ tick: 1 });
  }, every);
  return () => clearInterval(timer);
}
export default { render };
"""


class _Ticker(anywidget.AnyWidget):
    _esm = _TICKER_ESM
    interval = traitlets.Float(POLL_SECONDS).tag(sync=True)


@dataclass(frozen=True)
class HandIn:
    """One student's hand-in, as read from the folder.

    Attributes:
        path: The file.
        student: Who handed it in (``added_by`` of their claims, else the file name).
        map: The student's map (the course map with their claims merged in).
        mtime_ns: When the file was last written.
    """

    path: str
    student: str
    map: ArgumentMap
    mtime_ns: int


def _student_of(m: ArgumentMap, path: Path) -> str:
    # By the file's name, never by its own added_by: a file could claim to be another student's.
    from argkit.tables import student_of

    return student_of(path, m, spelt=True)


def _yaml_files(folder: Path, depth: int = 1) -> list[tuple[Path, int, int]]:
    """The ``*.yaml`` files in the folder and, ``depth`` levels down, in its subfolders (one per
    student on Kubernetes, or as a learning platform's download has them), with mtime and size."""
    out = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            if e.is_dir(follow_symlinks=False):
                if depth > 0:
                    out.extend(_yaml_files(Path(e.path), depth - 1))
                continue
            if not e.name.endswith((".yaml", ".yml")):
                continue
            # A FIFO or a dangling link named *.yaml is listed as a broken file by the reader,
            # not skipped without a word (and never opened: the reader refuses it unread).
            try:
                st = e.stat()
            except OSError:
                st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        out.append((Path(e.path), st.st_mtime_ns, st.st_size))
    return sorted(out)


def _problem(path: Path, message: str, fix: str, code: str) -> Diagnostic:
    return Diagnostic(str(path), None, None, message, fix=fix, code=code)


class _Bases:
    """Course maps read once per lesson (by path, mtime and size), not once per hand-in.

    On a hub every student's work extends their own copy of the course map: a hand-in whose
    ``extends:`` names a map of the same file name and version (its ``extends_fingerprint``) as
    one read before is merged onto that one, without looking for or reading the student's copy.
    """

    def __init__(self) -> None:
        self._maps: dict[tuple[Path, int, int], ArgumentMap] = {}
        self._stamped: dict[tuple[str, str], ArgumentMap] = {}

    def get(self, path: Path) -> ArgumentMap:
        st = path.stat()
        key = (path.resolve(), st.st_mtime_ns, st.st_size)
        if key not in self._maps:
            self._maps[key] = load(path)
        return self._maps[key]

    def known(self, own: ArgumentMap) -> ArgumentMap | None:
        """A course map read before that is the very version ``own`` was made on, if any."""
        if not own.extends or not own.extends_fingerprint:
            return None
        return self._stamped.get((Path(own.extends).name, own.extends_fingerprint))

    def remember(self, own: ArgumentMap, base: ArgumentMap) -> None:
        if own.extends and own.extends_fingerprint and fingerprint(base) == own.extends_fingerprint:
            self._stamped[(Path(own.extends).name, own.extends_fingerprint)] = base


def _read_one(path: Path, course: ArgumentMap | None, bases: _Bases) -> ArgumentMap | Diagnostic:
    try:
        own = read_map(path)
        if own.extends is None:
            return own  # not a hand-in: the caller says so
        if course is not None and course.path and Path(own.extends).name == Path(course.path).name:
            base = course  # the course map, wherever the student's copy of the course was
        elif (known := bases.known(own)) is not None:
            base = known  # the same version of the course map, from another student's copy
        else:  # where the student's file says, else by name (and fingerprint) near here
            found, _ = find_base(own, path)
            if found is None:
                line, column = own.locations.get(("", "extends"), (None, None))
                return Diagnostic(str(path), line, column,
                                  f"'extends:' names a map that is not here ({own.extends})",
                                  fix="give the course map: class_map(folder, course='.../argmaps/MAP.yaml')",
                                  code="extends-missing")
            base = bases.get(found)
            bases.remember(own, base)
        return merge(base, own)
    except MapSyntaxError as e:
        return e.diagnostic
    except InvalidMapError as e:
        first = e.diagnostics[0]
        more = len(e.diagnostics) - 1
        if more:
            first = replace(first, message=f"{first.message} (and {more} more problem(s): "
                                           f"run 'argkit validate {path}')")
        return first
    except OSError as e:
        return _problem(path, f"cannot read the file: {e.strerror or e}", "check that it is readable",
                        "no-file")
    except (ArgkitError, ValueError, RecursionError) as e:
        return _problem(path, f"cannot read the file: {e}", "ask the student to hand it in again",
                        "unreadable")


def _base_name(base: ArgumentMap) -> str:
    return Path(base.path).name if base.path else base.title


def _same_course(base: ArgumentMap, course: ArgumentMap) -> bool:
    if base.path and course.path and Path(base.path).resolve() == Path(course.path).resolve():
        return True
    if base == course:
        return True
    # The same course map in another place (a copy of the course, a download): same file name
    # and the same contention.
    return (bool(base.path and course.path) and Path(base.path).name == Path(course.path).name  # type: ignore[arg-type]
            and bool(base.nodes) and bool(course.nodes) and base.root.id == course.root.id)


def read_handins(
    folder: str | os.PathLike[str], course: ArgumentMap | None = None,
    cache: dict[Path, tuple[int, int, ArgumentMap | Diagnostic]] | None = None,
    bases: _Bases | None = None,
) -> tuple[ArgumentMap | None, list[HandIn], list[Diagnostic]]:
    """Read every hand-in in ``folder``; never raises for a bad file.

    Args:
        folder: The hand-in folder (every ``*.yaml`` in it and in its subfolders, one level down).
        course: The course map the class answers; by default the map most hand-ins extend.
        cache: Files read before, by path: (mtime, size, map or problem); only changed files
            are read again.
        bases: The maps hand-ins extend, read once.

    Returns:
        The course map, the hand-ins on it (oldest first), and one diagnostic per file that was
        skipped (unreadable, invalid, not an overlay, or an answer to another map).
    """
    cache = {} if cache is None else cache
    bases = _Bases() if bases is None else bases
    files = _yaml_files(Path(folder))
    seen = set()
    read: list[tuple[Path, int, ArgumentMap | Diagnostic]] = []
    for path, mtime, size in files:
        seen.add(path)
        hit = cache.get(path)
        if hit is None or hit[:2] != (mtime, size):
            hit = cache[path] = (mtime, size, _read_one(path, course, bases))
        read.append((path, mtime, hit[2]))
    for gone in set(cache) - seen:
        del cache[gone]
    problems: list[Diagnostic] = []
    maps: list[tuple[Path, int, ArgumentMap]] = []
    for path, mtime, m in read:
        if isinstance(m, Diagnostic):
            problems.append(m)
        elif m.base is None:
            problems.append(_problem(path, "this file extends no course map, so it is not a hand-in",
                                     "move it out of the hand-in folder", "not-overlay"))
        else:
            maps.append((path, mtime, m))
    if course is None and maps:
        extended = [m.base for _, _, m in maps if m.base is not None]
        names = Counter(_base_name(b) for b in extended)
        top = names.most_common(1)[0][0]
        course = next(b for b in extended if _base_name(b) == top)
    handins = []
    for path, mtime, m in maps:
        assert m.base is not None and course is not None
        if not _same_course(m.base, course):
            other = Path(m.base.path).name if m.base.path else repr(m.base.title)
            problems.append(_problem(path, f"this hand-in answers another map ({other}), not "
                                           f"{Path(course.path).name if course.path else course.title}",
                                     "show it with a class map of that map", "other-map"))
            continue
        handins.append(HandIn(str(path), _student_of(m, path), m, mtime))
    handins.sort(key=lambda h: (h.mtime_ns, h.path))
    return course, handins, problems


def merge_class(
    course: ArgumentMap, work: Iterable[tuple[str, ArgumentMap]], labels: Mapping[str, str],
    *, names: bool = False,
) -> tuple[ArgumentMap, dict[str, str]]:
    """The course map with every student's claims added, each marked with who added it.

    Args:
        course: The course map.
        work: ``(student, their map)`` pairs; each map is the course map plus their claims.
        labels: What to call each student on the map (``"Student 3"``, or the name).
        names: Keep the students' own claim ids and authors; when false (anonymised), claim ids
            become ``s3-1``, ``s3-2``... and the author is dropped, so no name is shown.

    Returns:
        The merged map (an overlay on ``course``: ``own_nodes()`` are the students' claims) and
        the student who added each of them, by claim id. A claim whose target is not in the
        course map (work on another version of it) is left out.
    """
    nodes: list[Node] = list(course.nodes)
    have = {n.id for n in nodes}
    sources: list[Source] = list(course.sources)
    source_ids = {s.id for s in sources}
    relations: list[Relation] = list(course.relations)
    owners: dict[str, str] = {}
    for student, m in work:
        label = labels.get(student, student)
        tag = label.replace("Student ", "s") if not names else ""
        own = [n for n in m.nodes if n.id not in course]
        ids: dict[str, str] = {}
        for i, n in enumerate(own, 1):
            new = f"{_slugify(tag)}-{i}" if not names else n.id
            k = 2
            while new in have or new in ids.values():
                new = f"{n.id}-{k}" if names else f"{_slugify(tag)}-{i}-{k}"
                k += 1
            ids[n.id] = new
        src: dict[str, str] = {}
        for s in m.sources:
            if s.id in source_ids and course.source(s.id) == s:
                continue
            if any(s == t for t in sources):
                continue
            new = s.id
            k = 2
            while new in source_ids:
                new = f"{s.id}-{k}"
                k += 1
            src[s.id] = new
            source_ids.add(new)
            sources.append(replace(s, id=new))
        added: set[str] = set()
        for n in own:
            parent = ids.get(n.parent, n.parent) if n.parent else None
            if parent is None or (parent not in have and parent not in added):
                continue  # its target is not in the course map: another version of it
            quote = n.quote
            if quote is not None and quote.source:
                quote = replace(quote, source=src.get(quote.source, quote.source))
            nodes.append(replace(
                n, id=ids[n.id], parent=parent, source=src.get(n.source, n.source) if n.source else None,
                quote=quote, link=(f"{_slugify(tag)}-{n.link}" if n.link and not names else n.link),
                author=n.author if names else None, added_by=label))
            added.add(ids[n.id])
            owners[ids[n.id]] = student
        have |= added
        base_rel = set(course.relations)
        for r in m.relations:
            if r in base_rel:
                continue
            a, b = ids.get(r.from_id, r.from_id), ids.get(r.to_id, r.to_id)
            if a in have and b in have:
                relations.append(Relation(a, r.type, b))
    merged = ArgumentMap(
        title=course.title, nodes=tuple(nodes), relations=tuple(relations), sources=tuple(sources),
        extends=Path(course.path).name if course.path else None, base=course)
    return merged, owners


def _slugify(text: str) -> str:
    s = "".join(c if c.isalnum() or c in "_-" else "-" for c in text.strip()).strip("-").lower()
    return s if s and (s[0].isalpha() or s[0] == "_") else f"s{s}"


def _filter(m: ArgumentMap, owners: Mapping[str, str], student: str, kind: str, whole: bool) -> ArgumentMap:
    """The students' claims that match, with the claims they answer (all of the course map if ``whole``)."""
    if whole and not student and not kind:
        return m
    keep = {i for i in owners
            if (not student or owners[i] == student) and (not kind or m.kind(i) == kind)}
    for i in list(keep):
        keep.update(a.id for a in m.ancestors(i) if whole is False or a.id in owners)
    if not whole:
        keep.update(n.id for n in m.roots)
    nodes = tuple(n for n in m.nodes if (whole and n.id not in owners) or n.id in keep)
    ids = {n.id for n in nodes}
    rels = tuple(r for r in m.relations if r.from_id in ids and r.to_id in ids)
    return replace(m, nodes=nodes, relations=rels)


class ClassMap(Quiet, widgets.VBox):
    """The widget returned by :func:`class_map` (see there).

    Attributes:
        view: The :class:`~argkit.editor.MapView` showing the merged map.
        names: Checkbox: show the students' names instead of "Student 1", "Student 2"...
        whole: Checkbox: draw the whole course map; by default only the claims the class answered
            (and what they hang from) are drawn with the class's claims, so the map fits a projector.
        labels: Checkbox: draw what survives (IN / OUT / UNDEC) on the merged map.
        student, kind, target: Filters (``""`` for all).
        refresh_button: Reads the folder now.
        status: One line: how many students, claims and files; when it was last read.
        counts: Who argued where: claims per target claim, and per student.
        skipped: The files that could not be shown, and why.
    """

    def __init__(self, folder: Path, course: ArgumentMap | None, *, names: bool, interval: float,
                 **kwargs: Any):
        self.folder = folder
        self._course_given = course
        self.course: ArgumentMap | None = course
        self._cache: dict[Path, tuple[int, int, ArgumentMap | Diagnostic]] = {}
        self._bases = _Bases()
        self._numbers: dict[str, int] = {}
        self._snapshot: Any = None
        self.handins: tuple[HandIn, ...] = ()
        self.problems: tuple[Diagnostic, ...] = ()
        self.merged: ArgumentMap | None = None
        self.owners: dict[str, str] = {}
        self.updated: float = 0.0

        self.view = MapView()
        self.names = widgets.Checkbox(value=names, description="Show names", indent=False,
                                      layout=widgets.Layout(width="auto"))
        self.labels = widgets.Checkbox(value=False, description="What survives (IN/OUT)", indent=False,
                                       layout=widgets.Layout(width="auto"))
        self.whole = widgets.Checkbox(value=False, description="Whole course map", indent=False,
                                      layout=widgets.Layout(width="auto"))
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read the hand-in folder now",
                                             layout=widgets.Layout(width="auto"))
        small = widgets.Layout(width="auto", min_width="12em")
        self.student = widgets.Dropdown(description="Student:", options=[("everyone", _ALL)], layout=small)
        self.kind = widgets.Dropdown(description="Kind:", layout=small, options=[("every kind", _ALL)] + [
            (k, k) for k in KINDS if k != "contention"])
        self.target = widgets.Dropdown(description="Answering:", options=[("the whole map", _ALL)],
                                       layout=widgets.Layout(width="auto", min_width="16em", max_width="40em"))
        self.status = widgets.HTML()
        self.counts = widgets.HTML()
        self.skipped = widgets.HTML()
        self._ticker = _Ticker(interval=interval)
        self._ticker.on_msg(self._on_msg)

        self.refresh_button.on_click(lambda _: self.refresh(force=True))
        for w in (self.names, self.labels, self.whole, self.student, self.kind, self.target):
            w.observe(self._on_control, "value")
        self.view.observe(self._on_click_in_map, "selected")
        super().__init__(children=[
            widgets.HBox([self.status, self.refresh_button, self.names, self.whole, self.labels],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            widgets.HBox([self.student, self.kind, self.target],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.view, self.counts, self.skipped, self._ticker,
        ], **kwargs)
        self.refresh(force=True)

    def __repr__(self) -> str:
        return (f"ClassMap({str(self.folder)!r}, students={len(self.handins)}, "
                f"claims={len(self.owners)}, skipped={len(self.problems)})")

    # -- reading the folder ------------------------------------------------------------------
    def poll(self) -> bool:
        """Look at the folder; read it again only if a file was added, changed or removed."""
        snap = _yaml_files(self.folder)
        if snap == self._snapshot:
            return False
        return self.refresh()

    def refresh(self, force: bool = False) -> bool:
        """Read the hand-in folder (changed files only, unless ``force``) and redraw; True if it changed."""
        if force:
            self._cache.clear()
            self._bases = _Bases()
        snap = _yaml_files(self.folder)
        self._snapshot = snap
        course, handins, problems = read_handins(self.folder, self._course_given, self._cache, self._bases)
        self.course = course
        for h in handins:  # numbers in the order the work arrived, kept for the whole lesson
            self._numbers.setdefault(h.student, len(self._numbers) + 1)
        changed = (tuple(handins) != self.handins or tuple(problems) != self.problems or force)
        self.handins, self.problems = tuple(handins), tuple(problems)
        self.updated = time.time()
        self._rebuild()
        return changed

    def label(self, student: str) -> str:
        """What the map calls a student: their name, or "Student N" when anonymised."""
        return student if self.names.value else f"Student {self._numbers[student]}"

    def _rebuild(self) -> None:
        if self.course is None:
            self.merged, self.owners = None, {}
        else:
            order = sorted(self.handins, key=lambda h: self._numbers[h.student])
            labels = {h.student: self.label(h.student) for h in order}
            self.merged, self.owners = merge_class(self.course, [(h.student, h.map) for h in order],
                                                   labels, names=self.names.value)
        self._update_controls()
        self._redraw()

    def _update_controls(self) -> None:
        m = self.merged
        students = sorted(self._numbers.items(), key=lambda kv: kv[1])
        here = {h.student for h in self.handins}
        opts = [("everyone", _ALL)] + [(self.label(s), s) for s, _ in students if s in here]
        if self.names.value:
            opts = [opts[0], *sorted(opts[1:], key=lambda o: o[0].lower())]
        targets = [("the whole map", _ALL)]
        if m is not None:
            answered = Counter(m.node(i).parent for i in self.owners)
            for n, depth in m.walk():
                if n.id in self.owners:
                    continue
                mark = f" ({answered[n.id]})" if answered[n.id] else ""
                targets.append((f"{'  ' * depth}{m.kind(n.id)} {n.id}{mark}: {shorten(n.text, 50)}", n.id))
        with self._quiet():
            for w, new in ((self.student, opts), (self.target, targets)):
                keep = w.value
                w.options = new
                w.value = keep if keep in {v for _, v in new} else _ALL

    def _shown(self) -> ArgumentMap | None:
        if self.merged is None:
            return None
        return _filter(self.merged, self.owners, self.student.value, self.kind.value, self.whole.value)

    def _redraw(self) -> None:
        from argkit.render import to_svg
        from argkit.semantics import evaluate

        m = self._shown()
        when = time.strftime("%H:%M:%S", time.localtime(self.updated))
        if m is None:
            self.view.svg = ""
            self.status.value = (f"<b>Class map</b> · no hand-ins yet in <code>{html.escape(str(self.folder))}"
                                 f"</code> · looked at {when}")
        else:
            focus = self.target.value or None
            if focus is not None and focus not in m:  # a claim nobody answered: show it all the same
                assert self.merged is not None
                m = _filter(self.merged, self.owners, self.student.value, self.kind.value, True)
            lab = evaluate(m) if self.labels.value else None
            self.view.svg = to_svg(m, focus=focus, labelling=lab)
            shown = sum(1 for n in m.nodes if n.id in self.owners)
            of = f" (showing {shown})" if shown != len(self.owners) else ""
            self.status.value = (
                f"<b>{html.escape(m.title)}</b> · {len(self.handins)} student(s) · "
                f"{len(self.owners)} claim(s){of} · updated {when}")
        self.counts.value = self._counts_html()
        self.skipped.value = self._skipped_html()

    def _counts_html(self) -> str:
        m = self.merged
        if m is None or not self.owners:
            return ""
        per_target: dict[str, list[str]] = {}
        for i, who in self.owners.items():
            parent = m.node(i).parent
            while parent in self.owners:  # a rebuttal of a student's objection counts where it argues
                parent = m.node(parent).parent
            per_target.setdefault(parent or "", []).append(who)
        rows = sorted(per_target.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        where = "".join(
            f"<tr><td>{html.escape(m.kind(t))} <b>{html.escape(t)}</b>: {html.escape(shorten(m.node(t).text, 44))}"
            f"</td><td style='text-align:right'>{len(w)}</td><td style='text-align:right'>{len(set(w))}</td></tr>"
            for t, w in rows[:8] if t)
        per_student = Counter(self.owners.values())
        kinds = Counter((who, m.kind(i)) for i, who in self.owners.items())
        order = sorted(per_student, key=lambda s: (self._numbers.get(s, 0) if not self.names.value else s.lower()))
        cols = [k for k in KINDS if any(kinds[(s, k)] for s in order)]
        who_rows = "".join(
            f"<tr><td>{html.escape(self.label(s))}</td>"
            + "".join(f"<td style='text-align:right'>{kinds[(s, k)] or ''}</td>" for k in cols)
            + f"<td style='text-align:right'><b>{per_student[s]}</b></td></tr>" for s in order)
        head = "".join(f"<th>{html.escape(k)}s</th>" for k in cols)
        return (
            "<div style='display:flex;flex-wrap:wrap;gap:2em;font-size:14px'>"
            "<table><caption style='text-align:left'><b>Where the class argued</b></caption>"
            f"<tr><th style='text-align:left'>answering</th><th>claims</th><th>students</th></tr>{where}</table>"
            "<table><caption style='text-align:left'><b>Who added what</b></caption>"
            f"<tr><th style='text-align:left'>student</th>{head}<th>all</th></tr>{who_rows}</table></div>")

    def _skipped_html(self) -> str:
        if not self.problems:
            return ""
        items = []
        for i, d in enumerate(self.problems, 1):
            if self.names.value:
                fix = f" — {html.escape(d.fix)}" if d.fix else ""
                items.append(f"<li><code>{html.escape(Path(d.path or '?').name)}</code>: {html.escape(d.message)}{fix}</li>")
            else:
                # File names and messages carry names (files, claim ids): off the projector.
                why = _WHY.get(d.code or "", "the file is not a valid map")
                items.append(f"<li>file {i}: {why}</li>")
        more = "" if self.names.value else " (tick <i>Show names</i> to see which and why)"
        return (f"<details><summary>{len(self.problems)} file(s) not shown{more}</summary>"
                f"<ul>{''.join(items)}</ul></details>")

    # -- events --------------------------------------------------------------------------------
    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("tick"):
            self.poll()

    def _on_control(self, change: Any) -> None:
        if self._busy:
            return
        if change["owner"] is self.names:
            self._rebuild()
        else:
            self._redraw()

    def _on_click_in_map(self, change: Any) -> None:
        if self._busy:
            return
        new = change["new"]
        if new and new not in self.owners and self.merged is not None and new in self.merged:
            self.target.value = new  # a click on a course claim: show what the class said to it

    # -- from code -------------------------------------------------------------------------------
    def claims(self, student: str | None = None) -> list[Node]:
        """The students' claims on the merged map (of one student, by name, if given)."""
        if self.merged is None:
            return []
        return [n for n in self.merged.nodes
                if n.id in self.owners and (student is None or self.owners[n.id] == student)]

    def what_if(self) -> Any:
        """A what-if widget on the merged map: reject or accept any claim, the class's included."""
        from argkit.editor import what_if

        if self.merged is None:
            raise ArgkitError(f"no hand-ins in {self.folder} yet: there is no class map to ask about")
        return what_if(self.merged)


def class_map(
    folder: str | os.PathLike[str] | None = None,
    course: ArgumentMap | str | os.PathLike[str] | None = None,
    *,
    names: bool = False,
    interval: float = POLL_SECONDS,
) -> ClassMap:
    """A live map of the whole class for the projector: the course map with every hand-in merged in.

    Args:
        folder: The hand-in folder; by default the one named by the ``ARGKIT_HANDIN`` environment
            variable (a shared hub sets it for everyone).
        course: The course map the class answers (a map or its file); by default the map most
            hand-ins extend.
        names: Show students' names. By default they are "Student 1", "Student 2"... (in the order
            their work arrived): names on a projector are personal data. The *Show names* box
            switches.
        interval: Seconds between looks at the folder while the widget is on screen (0: only the
            Refresh button and :meth:`ClassMap.refresh`).

    Raises:
        FileNotFoundError: The folder does not exist.
        ArgkitError: No folder was given and ``ARGKIT_HANDIN`` is not set.
    """
    if folder is None:
        folder = os.environ.get(HANDIN_ENV) or None
        if folder is None:
            raise ArgkitError(f"which folder holds the hand-ins? Pass it, e.g. class_map('handins/'), "
                              f"or set the {HANDIN_ENV} environment variable")
    path = Path(folder)
    if not path.is_dir():
        raise FileNotFoundError(2, "no such folder (the hand-in folder must exist)", str(path))
    m = course if isinstance(course, ArgumentMap) or course is None else load(course)
    return ClassMap(path, m, names=names, interval=interval)

