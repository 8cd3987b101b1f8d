"""Tables: a map, or a whole class's overlay files, as pandas DataFrames (pandas loads lazily).

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Tea", (
    ...     Node("t", "Tea is good.", author="Ann"),
    ...     Node("o", "It stains teeth.", parent="t", stance="con", author="Bo"),
    ... ))
    >>> to_frame(m)[["id", "kind", "depth", "parent", "label"]]
      id        kind  depth parent label
    0  t  contention      0    NaN   OUT
    1  o   objection      1      t    IN
    >>> summary(m, by="author")[["claims", "IN", "OUT"]].to_dict("index")
    {'Ann': {'claims': 1, 'IN': 0, 'OUT': 1}, 'Bo': {'claims': 1, 'IN': 1, 'OUT': 0}}
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argkit._io import display_path
from argkit.errors import ArgkitError, ChoiceError, Diagnostic, InvalidMapError, MapSyntaxError
from argkit.model import KINDS, ArgumentMap
from argkit.semantics import LABELS, Labelling, evaluate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "STUDENT_COLUMNS", "Chart", "ClassWork", "collect", "student_of", "summary", "to_frame"]

FRAME_COLUMNS = ("id", "kind", "depth", "parent", "stance", "basis", "link", "author", "added_by",
                 "source", "endnote", "quote", "text", "label")
STUDENT_COLUMNS = ("student", "file", "id", "kind", "stance", "target", "target_kind", "target_author",
                   "target_text", "author", "text", "label", "extends")
SUMMARY_BY = ("author", "kind", "source", "added_by", "label")
NONE = "(none)"


def _pandas() -> Any:
    import pandas as pd  # heavy: only when a table is asked for

    return pd


def _order(m: ArgumentMap) -> list[tuple[Any, int]]:
    """Nodes in outline order with their depth; nodes the tree walk cannot reach come last."""
    order = list(m.walk())
    seen = {n.id for n, _ in order}
    return order + [(n, 0) for n in m.nodes if n.id not in seen]


def to_frame(m: ArgumentMap, labelling: Labelling | None = None) -> pd.DataFrame:
    """One row per claim, in outline order, with its label (the map is evaluated if needed).

    Columns: id, kind, depth, parent, stance, basis, link, author, added_by, source, endnote,
    quote, text, label.
    """
    pd = _pandas()
    lab = labelling if labelling is not None else evaluate(m)
    rows = []
    for n, depth in _order(m):
        rows.append((
            n.id, m.kind(n.id), depth, n.parent, n.stance, n.basis, n.link, n.author, n.added_by,
            n.source, n.quote.endnote if n.quote else None, n.quote.text if n.quote else None,
            n.text, lab.labels.get(n.id),
        ))
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def summary(m: ArgumentMap, by: str = "author", labelling: Labelling | None = None) -> pd.DataFrame:
    """Claims per author, kind or source: a table to put on a slide.

    Args:
        m: The map.
        by: ``"author"``, ``"kind"``, ``"source"``, ``"added_by"`` or ``"label"``.
        labelling: A labelling to count IN/OUT/UNDEC from (evaluated if not given).

    Returns:
        One row per author (or kind, source...): the number of claims of each kind (not for
        ``by="kind"``), ``claims`` in all, and how many are IN, OUT and UNDEC. Authors and
        sources are sorted by number of claims, then name; kinds in the order of the glossary.
    """
    if by not in SUMMARY_BY:
        raise ChoiceError(f"cannot summarise by {by!r} (must be one of "
                          + ", ".join(repr(b) for b in SUMMARY_BY) + ")", by, SUMMARY_BY)
    pd = _pandas()
    frame = to_frame(m, labelling)
    frame[by] = frame[by].fillna(NONE)
    kinds = [k for k in KINDS if k in set(frame["kind"])]
    parts = []
    if by != "kind":
        parts.append(pd.crosstab(frame[by], frame["kind"]).reindex(columns=kinds, fill_value=0))
    counts = frame.groupby(by).size().rename("claims")
    parts.append(counts)
    parts.append(pd.crosstab(frame[by], frame["label"]).reindex(columns=list(LABELS), fill_value=0))
    table = pd.concat(parts, axis=1).fillna(0).astype(int)
    if by == "kind":
        table = table.reindex([k for k in KINDS if k in table.index])
    elif by == "label":
        table = table.reindex([k for k in LABELS if k in table.index])
    else:
        table = table.assign(_name=table.index).sort_values(
            ["claims", "_name"], ascending=[False, True]).drop(columns="_name")
    table.columns.name = None
    table.index.name = by
    return table


# -- the class view ----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ClassWork:
    """What a class added to a reference map, read from their overlay files by :func:`collect`.

    Attributes:
        frame: One row per claim a student added: student, file, id, kind, stance, target (the
            claim it answers), target_kind, target_author, target_text, author, text, label (in
            the student's own map), extends.
        relations: One row per cross-relation a student added: student, file, from, type, to.
        problems: One :class:`~argkit.errors.Diagnostic` per file that was skipped, saying why.
        files: How many files were read.
        notes: Files that were read but need a look: one whose claims say another student
            added them (the student is taken from the file's name, never from the file's content),
            or one made on another version of the course map than the one found (its claims are
            shown against the map as it is now).
    """

    frame: pd.DataFrame
    relations: pd.DataFrame
    problems: tuple[Diagnostic, ...] = ()
    files: int = 0
    notes: tuple[Diagnostic, ...] = ()
    paths: tuple[str, ...] = field(default=(), repr=False)

    @property
    def students(self) -> tuple[str, ...]:
        """The students, sorted."""
        return tuple(sorted(set(self.frame["student"])))

    def targets(self, kinds: Iterable[str] | None = ("objection", "rebuttal")) -> pd.DataFrame:
        """Where the class concentrated its objections: per target claim, how many were added.

        Args:
            kinds: The kinds of added claims to count (default objections and rebuttals, i.e.
                every attack); ``None`` counts every kind.

        Returns:
            One row per target claim, most answered first: ``claims`` (how many were added to
            it), ``students`` (by how many students), target_kind, target_author, target_text.
        """
        f = self.frame
        if kinds is not None:
            f = f[f["kind"].isin(list(kinds))]
        cols = ["target", "target_kind", "target_author", "target_text"]
        if f.empty:
            return _pandas().DataFrame(columns=["claims", "students", *cols[1:]],
                                       index=_pandas().Index([], name="target"))
        g = f.fillna({"target_author": NONE}).groupby(cols, dropna=False)
        table = g.agg(claims=("id", "size"), students=("student", "nunique")).reset_index()
        table = table.sort_values(["claims", "students", "target"], ascending=[False, False, True])
        return table.set_index("target")[["claims", "students", *cols[1:]]]

    def by_student(self) -> pd.DataFrame:
        """How each student's map differs from the reference: claims added per kind.

        Returns:
            One row per student: the number of added claims of each kind, ``claims`` in all,
            ``relations`` added, and ``standing`` (how many of their claims are IN in their map).
        """
        pd = _pandas()
        f = self.frame
        kinds = [k for k in KINDS if k in set(f["kind"])]
        table = pd.crosstab(f["student"], f["kind"]).reindex(columns=kinds, fill_value=0)
        table["claims"] = f.groupby("student").size()
        rel = self.relations.groupby("student").size() if not self.relations.empty else None
        students = sorted(set(f["student"]) | set(self.relations["student"]))
        table = table.reindex(students, fill_value=0)
        table["relations"] = rel.reindex(students, fill_value=0) if rel is not None else 0
        table["standing"] = (f[f["label"] == "IN"].groupby("student").size()
                             .reindex(students, fill_value=0))
        table = table.fillna(0).astype(int)
        table.columns.name = None
        table.index.name = "student"
        return table

    def plot_targets(self, kinds: Iterable[str] | None = ("objection", "rebuttal"), top: int = 10,
                     ax: Any = None) -> Any:
        """A horizontal bar chart of the claims the class answered most; returns the Axes."""
        t = self.targets(kinds).head(top).iloc[::-1]
        what = "objections and rebuttals" if kinds == ("objection", "rebuttal") else "claims"
        if t.empty:
            return _empty_axes(ax, "Where the class argued", f"no {what} added yet")
        axes = t["claims"].plot.barh(ax=ax, color="#4c72b0")
        axes.set_xlabel(f"{what} added by the class")
        axes.set_ylabel("claim answered")
        axes.set_title("Where the class argued")
        return axes

    def plot_students(self, ax: Any = None) -> Any:
        """A stacked bar chart of the claims each student added, by kind; returns the Axes."""
        t = self.by_student()
        kinds = [k for k in KINDS if k in t.columns]
        if t.empty or not kinds:
            return _empty_axes(ax, "What each student added", "no claims added yet")
        axes = t[kinds].plot.bar(stacked=True, ax=ax, rot=0)
        axes.set_ylabel("claims added")
        axes.set_title("What each student added")
        return axes

    def chart(self, what: str = "targets", **options: Any) -> Chart:
        """A bar chart for a notebook, with a text alternative: ``"targets"`` (as
        :meth:`plot_targets`, same options) or ``"students"`` (as :meth:`plot_students`).

        JupyterLab shows a plain figure as an image without alt text; a :class:`Chart` shows
        the same picture with one, and the numbers it draws as a list under it.
        """
        from matplotlib.figure import Figure  # no pyplot: the chart shows once, as itself

        if what not in ("targets", "students"):
            raise ChoiceError(f"unknown chart {what!r} (must be one of 'targets', 'students')")
        fig = Figure(figsize=(6.4, 4.0), dpi=100, layout="tight")
        ax = fig.add_subplot()
        if what == "targets":
            self.plot_targets(ax=ax, **options)
            t = self.targets(options.get("kinds", ("objection", "rebuttal"))).head(options.get("top", 10))
            rows = [f"{target}: {r.claims} claim{'s' if r.claims != 1 else ''} by {r.students} "
                    f"student{'s' if r.students != 1 else ''}" for target, r in t.iterrows()]
            summary = "the claims the class answered most, and how often"
        else:
            self.plot_students(ax=ax)
            t = self.by_student()
            kinds = [k for k in KINDS if k in t.columns]
            rows = [f"{student}: " + ", ".join(f"{r[k]} {k}{'s' if r[k] != 1 and k != 'evidence' else ''}"
                                               for k in kinds if r[k]) if r[kinds].sum()
                    else f"{student}: none" for student, r in t.iterrows()]
            summary = "the claims each student added, by kind"
        alt = f"Bar chart, {ax.get_title()}: {summary}. " + ("; ".join(rows) if rows else "Nothing yet") + "."
        return Chart(fig, alt, tuple(rows))

    def report(self) -> str:
        """A line per skipped file, saying what is wrong and how to fix it."""
        head = f"{self.files} file(s) read, {len(self.problems)} skipped"
        return "\n".join([head, *(f"skipped: {d}" for d in self.problems), *(f"note: {d}" for d in self.notes)])

    def __repr__(self) -> str:
        return (f"ClassWork(files={self.files}, students={len(self.students)}, "
                f"claims={len(self.frame)}, problems={len(self.problems)})")


class Chart:
    """A matplotlib figure for a notebook: the PNG in an ``<img>`` with alt text, and the numbers
    it shows as a list (make one with :meth:`ClassWork.chart`).

    Attributes:
        figure: The figure (``chart.figure.axes[0]`` to change it before it is shown).
        rows: The chart's numbers as lines of text.
    """

    def __init__(self, figure: Any, alt: str, rows: tuple[str, ...]) -> None:
        self.figure = figure
        self.rows = rows
        self._alt = alt

    def alt(self) -> str:
        """The text alternative: what the chart shows, numbers included."""
        return self._alt

    def to_png(self) -> bytes:
        """The chart as PNG bytes (no timestamp or version in the file)."""
        import io

        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        import base64
        import html

        data = base64.b64encode(self.to_png()).decode("ascii")
        items = "".join(f"<li>{html.escape(r)}</li>" for r in self.rows)
        page = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt())}">'
                f"<details><summary>The chart as text</summary><ul>{items}</ul></details>")
        return {"text/html": page, "image/png": data, "text/plain": repr(self)}, {}

    def __repr__(self) -> str:
        return f"<{self.alt()}>"


def _empty_axes(ax: Any, title: str, message: str) -> Any:
    """An empty chart that says why it is empty (pandas cannot plot an empty table)."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _files(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths_or_folder, (str, os.PathLike)):
        p = Path(paths_or_folder)
        if p.is_dir():
            # Everything named *.yaml but folders and hidden files (an editor's temporary file):
            # a dangling link or a FIFO is reported by the reader, not skipped without a word.
            return sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml")
                          and not q.name.startswith(".") and not q.is_dir())
        if not p.exists():
            raise FileNotFoundError(2, "no such file or folder", str(p))
        return [p]
    return [Path(q) for q in paths_or_folder]


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def student_of(path: str | os.PathLike[str], m: ArgumentMap, *, spelt: bool = False) -> str:
    """Whose work a hand-in is: its file name (``<map>-<student>.yaml``) without the map's name.

    Never a name only the file's own ``added_by`` gives: a file could claim to be another
    student's. With ``spelt``, the claims' ``added_by`` may spell the file's name (``Zoe`` for
    ``zoe``), for a label on a slide.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> base = ArgumentMap("T", (Node("t", "Tea."),), path="argmaps/cox-thesis.yaml")
        >>> student_of("hand-in/cox-thesis-ana.yaml", ArgumentMap("T", base=base))
        'ana'
        >>> student_of("class/bo.yaml", ArgumentMap("T", base=base))
        'bo'
    """
    stem = display_path(Path(path).stem)
    if m.base is not None and m.base.path:
        stem = stem.removeprefix(Path(m.base.path).stem + "-") or stem
    if not spelt:
        return stem
    # the name as the student writes it ("Zoe" for cox-thesis-zoe.yaml), if the claims agree
    names = Counter(n.added_by for n in m.own_nodes() if n.added_by and _slug(n.added_by) == _slug(stem))
    return names.most_common(1)[0][0] if names else stem


def _skip(path: Path, problems: list[Diagnostic]) -> Diagnostic:
    first = problems[0]
    more = len(problems) - 1
    if more:
        first = Diagnostic(first.path, first.line, first.column,
                           f"{first.message} (and {more} more problem(s): run 'argkit validate {path}')",
                           first.got, first.choices, first.fix, first.code)
    return first


def collect(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> ClassWork:
    """Read a class's overlay files (each ``extends:`` the reference map) into one table.

    The files may be anywhere (a download folder, the hand-in folder): each names its course
    map, which is found from the current folder (run it from the course folder), the file's
    folder or ``ARGKIT_PATH`` (see :mod:`argkit.overlay`). A file made on another version of the
    course map is read against the map as it is now and reported in ``.notes``. A file that
    cannot be read, is not valid, or extends no map is skipped and reported in ``.problems``;
    the rest are returned. Never raises for a bad file.

    Args:
        paths_or_folder: A folder (every ``*.yaml`` in it) or a list of files.

    Raises:
        FileNotFoundError: The folder or file does not exist.
    """
    pd = _pandas()
    rows: list[tuple[Any, ...]] = []
    rel_rows: list[tuple[Any, ...]] = []
    problems: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    read: list[str] = []
    for path in _files(paths_or_folder):
        try:
            m = _load(path)
        except MapSyntaxError as e:
            problems.append(e.diagnostic)
            continue
        except InvalidMapError as e:
            rebased = _on_changed_base(path)
            if rebased is None:
                problems.append(_skip(path, list(e.diagnostics)))
                continue
            m = rebased
            gone = sum(1 for n in m.own_nodes() if n.parent is not None and n.parent not in m)
            notes.append(_changed_note(path, m, f"; {gone} of its claim(s) answer claims that are "
                                                "no longer in the map" if gone else ""))
        except OSError as e:
            problems.append(Diagnostic(str(path), None, None, f"cannot read the file: {e.strerror or e}",
                                       code="no-file", fix="check that the file exists and is readable"))
            continue
        else:
            if _base_changed(m):
                notes.append(_changed_note(path, m, ""))
        if m.base is None:
            problems.append(Diagnostic(
                str(path), 1, 1, "this map extends no reference map, so it is not a student's overlay",
                code="not-overlay",
                fix="add 'extends: <path of the reference map>' at the top, or move the file out of the folder"))
            continue
        read.append(display_path(path))
        lab = evaluate(m)
        who = student_of(path, m)
        claimed = sorted({n.added_by for n in m.own_nodes() if n.added_by and _slug(n.added_by) != _slug(who)})
        if claimed:
            notes.append(Diagnostic(
                display_path(path), 1, 1,
                f"the file is {who}'s (by its name), but its claims say they were added by "
                + ", ".join(repr(c) for c in claimed[:5]) + (", ..." if len(claimed) > 5 else ""),
                got=claimed[0], code="student-mismatch",
                fix=f"the table counts the file as {who}'s work; ask the class who wrote it"))
        name = display_path(path.name)
        for n in m.own_nodes():
            parent = m.node(n.parent) if n.parent is not None and n.parent in m else None
            rows.append((
                who, name, n.id, m.kind(n.id), n.stance,
                parent.id if parent else None, m.kind(parent.id) if parent else None,
                parent.author if parent else None, parent.text if parent else None,
                n.author, n.text, lab.labels[n.id], m.extends,
            ))
        rel_rows.extend((who, name, r.from_id, r.type, r.to_id) for r in m.own_relations())
    return ClassWork(
        frame=pd.DataFrame(rows, columns=list(STUDENT_COLUMNS)),
        relations=pd.DataFrame(rel_rows, columns=["student", "file", "from", "type", "to"]),
        problems=tuple(problems),
        notes=tuple(notes),
        files=len(read),
        paths=tuple(read),
    )


def _load(path: Path) -> ArgumentMap:
    from argkit.overlay import load

    return load(path)


def _base_changed(m: ArgumentMap) -> bool:
    from argkit.overlay import base_changed

    return base_changed(m)


def _changed_note(path: Path, m: ArgumentMap, more: str) -> Diagnostic:
    name = Path(m.extends or "").name
    pos = m.locations.get(("", "extends_fingerprint")) or m.locations.get(("", "extends")) or (None, None)
    return Diagnostic(display_path(path), pos[0], pos[1],
                      f"made on another version of {name} than the one found{more}; its claims are "
                      "shown against the map as it is now", code="base-changed",
                      fix="check that the claims it answers still say what the student answered")


def _on_changed_base(path: Path) -> ArgumentMap | None:
    """A hand-in made on an older course map that no longer merges: its claims, placed where they can be."""
    from argkit.mapfile import read_map
    from argkit.overlay import find_base, load

    try:
        own = read_map(path)
        if own.extends is None or own.extends_fingerprint is None:
            return None
        base_path, same = find_base(own, path)
        if base_path is None or same:
            return None
        base = load(base_path)
    except (ArgkitError, OSError, RecursionError):
        return None
    if any(n.id in base for n in own.nodes):
        return None
    return ArgumentMap(title=own.title, nodes=base.nodes + own.nodes, relations=base.relations,
                       sources=base.sources + own.sources, extends=own.extends,
                       extends_fingerprint=own.extends_fingerprint, base=base, path=own.path,
                       locations=own.locations)
