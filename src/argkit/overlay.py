"""A student's file on a course map: merge and split by id, the reference rule, finding the base, hand-in.

A student's work is an *overlay*: a small map file that ``extends:`` a course map and holds only the
student's own claims (and the sources they cite). It names its course map twice, so it can be found
wherever the file travels (e-mailed, uploaded to a learning platform, downloaded into any folder)::

    extends: ../../argmaps/cox-thesis.yaml        # first guess: the path, relative to this file
    extends_fingerprint: sha256:5f0c1d...          # which version of the map the work was made on

:func:`load` tries the relative path first, then looks for a map of the same name in the current
folder, its ``argmaps/`` folder, the folders above (and their ``argmaps/``) and every folder on the
``ARGKIT_PATH`` search path, preferring the one whose fingerprint matches.

Example:
    >>> import argkit
    >>> ref = argkit.parse_map("title: Tea\\nreference: true\\nnodes:\\n- id: t\\n  text: Tea is good.\\n")
    >>> mine = to_overlay(ref).add(argkit.Node("ana-2", "It stains teeth.", parent="t", stance="con"))
    >>> [n.id for n in split(mine).nodes], mine.is_own("t")
    (['ana-2'], False)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from argkit import _io
from argkit.errors import ArgkitError, InvalidMapError, MapSyntaxError, ReferenceMapError, WorkFileError
from argkit.mapfile import generate_map, read_map
from argkit.model import ArgumentMap, Node, Source
from argkit.validate import check_map

__all__ = [
    "HANDIN_ENV",
    "SEARCH_ENV",
    "WORK_DIR",
    "WorkFile",
    "base_changed",
    "check_export",
    "check_save_to",
    "check_target",
    "default_save_to",
    "find_base",
    "fingerprint",
    "hand_in",
    "handin_folder",
    "is_reference_file",
    "is_reference_text",
    "load",
    "merge",
    "open_work",
    "save",
    "save_overlay",
    "slug",
    "split",
    "to_overlay",
]

SEARCH_ENV = "ARGKIT_PATH"
HANDIN_ENV = "ARGKIT_HANDIN"
WORK_DIR = "work"
MAX_CHAIN = 32  # overlays on overlays: the course uses 3 levels


# -- the reference rule ------------------------------------------------------------------------
_TRUE_WORDS = {"true", "yes", "on"}
# Only for text that YAML cannot read at all: any line that looks like a true reference flag.
_LOOSE_FLAG = re.compile(
    r"""(?im)^[\s{,?-]*["']?reference["']?\s*:\s*(?:!!bool\s+)?["']?(?:true|yes|on)\b""")


def _truthy(v: Any) -> bool:
    return v is True or (isinstance(v, str) and v.strip().lower() in _TRUE_WORDS)


def is_reference_text(text: str, *, argdown: bool = False) -> bool:
    """True if map text marks itself as reference material, however the flag is spelt.

    The flag counts if it loads as true (``true``, ``True``, ``TRUE``, ``yes``, ``on``,
    ``!!bool true``, a quoted key, flow style, a comment after it) or is the quoted word
    ``"true"``; text that does not parse is searched for a line that looks like the flag.
    An Argdown file carries the flag in its front matter (``argkit: {reference: true}``).

    Example:
        >>> is_reference_text("title: T\\n'reference' : TRUE  # the teacher's map\\nnodes: []\\n")
        True
        >>> is_reference_text("{title: T, reference: off, nodes: []}")
        False
    """
    if argdown:
        return _argdown_reference(text)
    loader = _io.Loader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            return False
        for k, v in node.value:
            if (isinstance(k, yaml.ScalarNode) and loader.construct_object(k) == "reference"
                    and _truthy(loader.construct_object(v, deep=True))):
                return True
        return False
    except (yaml.YAMLError, _io.AliasFound, _io.TooDeep, ValueError, TypeError, RecursionError):
        return _LOOSE_FLAG.search(text) is not None
    finally:
        loader.dispose()


def _argdown_reference(text: str) -> bool:
    from argkit.argdown import is_reference

    if is_reference(text):
        return True
    # Front matter that does not read: look for a line that looks like the flag in it.
    parts = text.split("===", 2)
    return len(parts) == 3 and _LOOSE_FLAG.search(parts[1]) is not None


def is_reference_file(path: str | os.PathLike[str]) -> bool:
    """True if the file at ``path`` is reference material (see :func:`is_reference_text`).

    A file too large or not UTF-8 is searched for the flag as far as it can be decoded.
    """
    p = Path(path)
    try:  # (_io turns every OSError into a MapSyntaxError that names the file)
        text = _io.read_text(p)
    except MapSyntaxError:  # too large, not UTF-8, refused characters: look for the flag anyway
        try:
            text = _io.read_bytes(p, limit=16 * _io.MAX_BYTES).decode("utf-8", "replace")
        except MapSyntaxError:
            return False  # not a regular file: nothing a teacher wrote
        return _LOOSE_FLAG.search(text) is not None
    return is_reference_text(text, argdown=p.suffix.lower() in (".argdown", ".ad"))


# -- fingerprints and finding the base --------------------------------------------------------
def fingerprint(m: ArgumentMap) -> str:
    """A short content hash of a map as merged (title, claims, relations, sources), e.g. ``sha256:0f3a…``.

    Comments, key order and layout of the file do not count; any change to a claim does.
    """
    # Every save of a student's work stamps the course map's fingerprint: writing the whole
    # course map out to hash it was two thirds of an Add. Maps are immutable, so the hash of the
    # same object is remembered (the object is kept, so its id is not reused).
    hit = _BY_OBJECT.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    flat = replace(m, extends=None, extends_fingerprint=None, reference=False, base=None, description=None,
                   sources=tuple(dict.fromkeys(m.sources)))
    fp = "sha256:" + hashlib.sha256(generate_map(flat).encode("utf-8")).hexdigest()[:16]
    if len(_BY_OBJECT) >= 16:
        _BY_OBJECT.pop(next(iter(_BY_OBJECT)))
    _BY_OBJECT[id(m)] = (m, fp)
    return fp


_BY_OBJECT: dict[int, tuple[ArgumentMap, str]] = {}


_FINGERPRINTS: dict[tuple[str, int, int], str] = {}


def _file_fingerprint(p: Path) -> str | None:
    try:
        st = p.stat()
        key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
        if key not in _FINGERPRINTS:
            _FINGERPRINTS[key] = fingerprint(load(p))
        return _FINGERPRINTS[key]
    except (ArgkitError, OSError, RecursionError):
        return None


def _search_folders(near: Path) -> Iterator[Path]:
    """Where a course map may be: this file's folders and the current folder upwards, ARGKIT_PATH."""
    starts = [near.resolve(), Path.cwd().resolve()]
    for start in starts:
        for folder in (start, *start.parents):
            yield folder
            yield folder / "argmaps"
    for entry in os.environ.get(SEARCH_ENV, "").split(os.pathsep):
        if entry:
            yield Path(entry).expanduser()
            yield Path(entry).expanduser() / "argmaps"


def find_base(own: ArgumentMap, path: str | os.PathLike[str]) -> tuple[Path | None, bool]:
    """The file of the map ``own`` extends, and whether its content is the version the work was made on.

    The relative ``extends:`` path is tried first; then a file of the same name in the search
    folders (see the module docstring). Among candidates, one whose fingerprint matches
    ``extends_fingerprint`` wins; without a match the first candidate is returned with ``False``.
    ``(None, False)`` if no file of that name is found.
    """
    p = Path(path)
    assert own.extends is not None
    first = p.parent / own.extends
    name = Path(own.extends.replace("\\", "/")).name
    seen: set[Path] = set()
    candidates: list[Path] = []
    for c in (first, *(f / name for f in _search_folders(p.parent))):
        try:
            r = c.resolve()
            # only a regular map file outside the system folders (a name too long, a NUL, a loop
            # of links, a FIFO or /proc/... is no course map)
            if (r in seen or r == p.resolve() or not _is_map_name(c.name) or str(r).startswith(_io.SYSTEM)
                    or not c.is_file()):
                continue
        except (OSError, RuntimeError, ValueError):
            continue
        seen.add(r)
        candidates.append(c)
        if own.extends_fingerprint is None and c is first:
            return c, True  # an old-style overlay: its path is all we know
        if own.extends_fingerprint is not None and _file_fingerprint(c) == own.extends_fingerprint:
            return c, True
    if not candidates:
        return None, False
    return candidates[0], own.extends_fingerprint is None


def _is_map_name(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def base_changed(m: ArgumentMap) -> bool:
    """True if a loaded overlay was made on another version of its base map than the one found."""
    if m.base is None or m.extends_fingerprint is None:
        return False
    return fingerprint(m.base) != m.extends_fingerprint


# -- merge, split, load, save --------------------------------------------------------------------
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
        extends_fingerprint=fingerprint(base) if base.path else None,
        reference=False,
        base=base,
        path=None if save_to is None else str(save_to),
    )


def merge(base: ArgumentMap, own: ArgumentMap) -> ArgumentMap:
    """An overlay map merged onto its base: base nodes first, then the overlay's own.

    Raises:
        InvalidMapError: The merged map breaks the rules (e.g. a claim answers a claim the base
            map no longer has).
    """
    merged = ArgumentMap(
        title=own.title,
        nodes=base.nodes + own.nodes,
        relations=base.relations + own.relations,
        sources=base.sources + own.sources,  # an overlay may repeat a base source to stand alone
        description=own.description,
        extends=own.extends,
        extends_fingerprint=own.extends_fingerprint,
        reference=own.reference,
        base=base,
        path=own.path,
        locations=own.locations,
    )
    problems = check_map(merged)
    if problems:
        raise InvalidMapError(problems)
    return merged


def split(m: ArgumentMap) -> ArgumentMap:
    """The overlay's own part, by id: its claims, its relations and the sources they need.

    The result stands alone (``base`` is ``None``): it keeps every source of its own and every
    base source one of its claims cites, so the file checks on its own when read.
    """
    base = m.base
    if base is None:
        return m
    own_nodes = tuple(n for n in m.nodes if n.id not in base)
    # Own sources: those the base does not have, and the base's own repeated here (a merged map
    # lists the base's sources, then the overlay's: an id seen more often than in the base).
    left = Counter(s.id for s in base.sources)
    sources: dict[str, Source] = {}
    for s in m.sources:
        if left[s.id] > 0:
            left[s.id] -= 1
        else:
            sources.setdefault(s.id, s)
    cited = [x for n in own_nodes for x in (n.source, n.quote.source if n.quote else None) if x]
    for sid in cited:
        src = base.source(sid)
        if sid not in sources and src is not None:
            sources[sid] = src  # so the file checks on its own when read
    base_relations = set(base.relations)
    return replace(m, nodes=own_nodes, sources=tuple(sources.values()),
                   relations=tuple(r for r in m.relations if r not in base_relations), base=None)


def load(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read a map file; an overlay (``extends:``) comes back merged with its base map.

    The base is found wherever the overlay is (see :func:`find_base`); whether it is the
    version the work was made on is :func:`base_changed`.

    Raises:
        MapSyntaxError: The file cannot be read as YAML (bytes, size, syntax).
        InvalidMapError: The map breaks the rules; ``.diagnostics`` lists every problem.
    """
    return _load(Path(path), ())


def _load(p: Path, chain: tuple[Path, ...]) -> ArgumentMap:
    own = read_map(p)
    if own.extends is None:
        return own
    where = own.locations.get(("", "extends"))
    if len(chain) >= MAX_CHAIN:
        raise InvalidMapError([_io.diag(str(p), where, f"more than {MAX_CHAIN} maps extend each other",
                                        got=own.extends, code="extends-loop",
                                        fix="point 'extends:' at the teacher's map")])
    if not _is_map_name(own.extends.replace("\\", "/").rstrip("/")):
        raise InvalidMapError([_io.diag(
            str(p), where, "'extends:' must name a course map (a file ending in .yaml)",
            got=own.extends, code="extends-not-map",
            fix="write the file name of the teacher's map, e.g. 'extends: cox-thesis.yaml'")])
    base_path, _same = find_base(own, p)
    if base_path is not None and (base_path.resolve() in chain or base_path.resolve() == p.resolve()):
        raise InvalidMapError([_io.diag(str(p), where, "the map extends itself (a loop of 'extends:')",
                                        got=own.extends, code="extends-loop",
                                        fix="point 'extends:' at the teacher's map")])
    if base_path is None:
        name = Path(own.extends).name
        raise InvalidMapError([_io.diag(
            str(p), where, f"cannot find the map this work extends ({name})", got=own.extends,
            code="extends-missing",
            fix=f"run argkit from the course folder (the one with argmaps/{name}), put {name} in "
                f"this file's folder, or list its folder in {SEARCH_ENV}")])
    try:
        base = _load(base_path, (*chain, p.resolve()))
    except (MapSyntaxError, InvalidMapError) as e:
        # Said on this file's 'extends:' line, never with the other file's contents (a student's
        # 'extends:' could name any file the teacher can read): its name, the place and kind of
        # its first problem, and how to see them all.
        found = [e.diagnostic] if isinstance(e, MapSyntaxError) else list(e.diagnostics)
        if all(d.code == "extends-loop" for d in found):
            raise  # a loop through this file: argkit's own words, said where the loop closes
        first = found[0]
        at = ", ".join(f"{k} {v}" for k, v in (("line", first.line), ("column", first.column)) if v)
        shown = _io.display_path(base_path)
        raise InvalidMapError([_io.diag(
            str(p), where, f"the map this work extends ({shown}) cannot be used: {len(found)} problem(s), "
            f"the first {'at ' + at + ' ' if at else ''}({first.code})", got=own.extends,
            code="extends-invalid", fix=f"run 'argkit validate {shown}' to see them, or point 'extends:' "
            "at the teacher's map")]) from None
    return merge(base, own)


def _reference_error(target: Path) -> ReferenceMapError:
    return ReferenceMapError(
        f"{target}: this file is reference material (reference: true) and is not "
        "overwritten; save to another file, or, if you are the teacher, pass force=True "
        "(--force on the command line)")


def check_target(target: Path, *, base: ArgumentMap | None = None, force: bool = False) -> None:
    """Refuse to write over reference material or the map ``base`` (unless ``force``).

    Raises:
        ReferenceMapError: The target is reference material or the map the work extends.
    """
    if force:
        return
    if base is not None and base.path and target.resolve() == Path(base.path).resolve():
        raise ReferenceMapError(
            f"{target}: this is the map your work extends; save your work to its own file "
            f"(e.g. {WORK_DIR}/my-map.yaml)")
    if target.exists() and is_reference_file(target):
        raise _reference_error(target)


def save(m: ArgumentMap, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a map atomically; an overlay writes only its own part (see :func:`split`).

    The file is written to a temporary file in the same folder, flushed to disk and moved into
    place, so a crash leaves either the old file or the new one. A file that marks itself as
    reference material (see :func:`is_reference_text`) is never overwritten unless ``force=True``.

    Raises:
        ReferenceMapError: The target is reference material (or the map this one extends).
    """
    target = Path(path)
    check_target(target, base=m.base, force=force)
    if m.base is not None:
        if m.base.path:
            rel = Path(os.path.relpath(Path(m.base.path).resolve(), target.resolve().parent)).as_posix()
            # A student's work records the version of the map it was made on; the course's own
            # maps, which extend each other in one folder, keep the file as the teacher wrote it.
            stamp = m.extends_fingerprint if m.reference else fingerprint(m.base)
            m = replace(m, extends=rel, extends_fingerprint=stamp)
        m = split(m)
    data = generate_map(m).encode("utf-8")
    if len(data) > _io.MAX_BYTES:  # never write a file that load() would then refuse
        raise WorkFileError(
            f"{target}: not saved: the map would be {len(data):,} bytes, over the {_io.MAX_BYTES:,} "
            "bytes argkit reads back; delete some claims or split the work into two files")
    _io.atomic_write(target, data)
    return target


def save_overlay(m: ArgumentMap, path: str | os.PathLike[str]) -> Path:
    """Save a student's work: the overlay's own part, or, on an in-memory map, the whole map."""
    if m.base is not None and m.base.path is None:  # an in-memory map cannot be extended by file
        m = replace(m, base=None, extends=None, extends_fingerprint=None)
    return save(m, path)


# -- a student's session -----------------------------------------------------------------------
def slug(text: str, fallback: str) -> str:
    """``text`` as a file-name and id part: lower case, letters, digits, ``-`` and ``_``."""
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", text.strip()).strip("-").lower()
    if not s:
        return fallback
    return s if re.match(r"[A-Za-z_]", s) else f"s{s}"


def _same_file(a: str | os.PathLike[str] | None, b: str | os.PathLike[str] | None) -> bool:
    return a is not None and b is not None and Path(a).resolve() == Path(b).resolve()


def default_save_to(base: ArgumentMap, author: str) -> Path:
    """``work/<map>-<author>.yaml``: where a student's work on ``base`` goes by default."""
    stem = Path(base.path).stem if base.path else slug(base.title, "map")
    return Path(WORK_DIR) / f"{stem}-{slug(author, 'student')}.yaml"


def check_save_to(base: ArgumentMap, save_to: Path) -> None:
    """Refuse to put a student's file where the reference material lives, or in a non-map file.

    Raises:
        ReferenceMapError: ``save_to`` is the base map, lies beside a reference map or is one.
        ArgkitError: ``save_to`` does not end in ``.yaml`` or ``.yml``.
    """
    if save_to.suffix.lower() not in (".yaml", ".yml"):
        raise ArgkitError(f"{save_to}: a student's work is a map file; give a name ending in .yaml "
                          f"(e.g. {WORK_DIR}/my-map.yaml)")
    if base.path is None:
        check_target(save_to)
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
            raise WorkFileError(
                f"{save_to} already exists and {on}, not {base.path}; choose another file with "
                "save_to=..., or open that file itself")
        return saved
    missing = [n.id for n in base.nodes if n.id not in saved]
    if saved.base is not None or missing:
        raise WorkFileError(
            f"{save_to} already exists and is not work on the map {base.title!r}; choose another "
            "file with save_to=...")
    return replace(saved, base=base, path=str(save_to))


def open_work(map_or_path: ArgumentMap | str | os.PathLike[str], save_to: str | os.PathLike[str] | None,
              author: str) -> tuple[ArgumentMap, Path]:
    """A student's session: the map to work on and the file it is saved to.

    ``map_or_path`` is a course map (or its file) or a student's own overlay file. A course map
    starts a new overlay, or restores the one already saved in ``save_to`` (by default
    ``work/<map>-<author>.yaml``); a student's file carries on where it was left.

    Raises:
        ReferenceMapError: ``save_to`` is the reference map or lies beside it.
        ArgkitError: ``save_to`` holds work on another map, or is not a ``.yaml`` file.
    """
    m = map_or_path if isinstance(map_or_path, ArgumentMap) else load(map_or_path)
    if m.base is not None and not m.reference:  # a student's file: keep working on it
        target = Path(save_to) if save_to is not None else Path(m.path or default_save_to(m.base, author))
        check_save_to(m.base, target)
        if m.path is not None and not _same_file(m.path, target):
            m = replace(m, path=str(target))
        return m, target
    target = Path(save_to) if save_to is not None else default_save_to(m, author)
    check_save_to(m, target)
    if target.exists():
        return _restore(m, target), target
    return to_overlay(m, target), target


def check_export(target: Path, suffix: str, work: Path) -> None:
    """Refuse an export that is not a ``suffix`` file in the student's work folder (``work``'s folder).

    Raises:
        ArgkitError: Wrong extension, or outside the work folder (the message names both).
        ReferenceMapError: The target is reference material.
    """
    if target.suffix.lower() != suffix:
        raise ArgkitError(f"{target}: this export writes a {suffix} file; give a name ending in {suffix}")
    folder = work.resolve().parent
    resolved = target.resolve()
    if resolved == work.resolve() or folder not in resolved.parents:
        raise ArgkitError(f"{target}: exports go into your work folder ({work.parent}/); "
                          f"give a name such as {work.parent / target.name}")
    check_target(target)


class WorkFile:
    """A student's overlay file as one editor sees it: saves that merge what another editor wrote.

    Two editors (two tabs, two kernels) on one file would otherwise overwrite each other's claims.
    Each save takes a lock on the file, reads what is there if it changed since this editor last
    saw it, and merges by id against that last-seen version: claims the other editor added are
    kept, claims this editor deleted stay deleted, and when both wrote a claim with the same id,
    the other's keeps the id and this editor's gets a fresh one. ``save`` says what it merged.
    """

    def __init__(self, path: Path, m: ArgumentMap):
        self.path = path
        self._seen: dict[str, Node] = {n.id: n for n in split(m).nodes} if path.exists() else {}
        self._stamp = self._stat()

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        try:
            from fcntl import LOCK_EX, flock
        except ImportError:  # pragma: no cover - Windows, and Pyodide (whose fcntl has no flock):
            yield            # no advisory locks; the merge still runs
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.parent / f".{self.path.name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
        try:
            flock(fd, LOCK_EX)
            yield
        finally:
            os.close(fd)

    def save(self, m: ArgumentMap) -> tuple[ArgumentMap, list[str]]:
        """Write ``m``'s own part; returns the map as saved (with any merged claims) and what was merged."""
        with self._lock():
            notes: list[str] = []
            if self._stat() != self._stamp and self.path.exists():
                m, notes = self._merge(m)
            save_overlay(m, self.path)
            self._seen = {n.id: n for n in split(m).nodes}
            self._stamp = self._stat()
        return m, notes

    def _merge(self, mine: ArgumentMap) -> tuple[ArgumentMap, list[str]]:
        try:
            disk = load(self.path)
        except (ArgkitError, OSError) as e:
            return mine, [f"{self.path} was changed outside this editor and cannot be read ({e}); "
                          "it is replaced by your work"]
        theirs = {n.id: n for n in split(disk).nodes} if disk.base is not None else {
            n.id: n for n in disk.nodes if mine.base is None or n.id not in mine.base}
        notes: list[str] = []
        out = mine
        renamed: dict[str, str] = {}
        for nid, t in theirs.items():
            old = self._seen.get(nid)
            if old == t:
                continue  # unchanged there: what this editor did to it stands
            if nid in out and out.node(nid) != t and out.node(nid) != old:
                fresh = _fresh_id(out, theirs, nid)
                out = _rename(out, nid, fresh)
                renamed[nid] = fresh
            if nid in out:
                out = out.replace_node(t)
            else:
                parent_ok = t.parent is None or t.parent in out or t.parent in theirs
                if parent_ok:
                    out = _append(out, t)
            notes.append(nid)
        while True:  # a claim of theirs under one this editor deleted: bring the parent back
            missing = {n.parent for n in out.nodes if n.parent is not None and n.parent not in out}
            back = [theirs[p] for p in missing if p in theirs]
            if not back:
                break
            for n in back:
                out = _append(out, n)
                notes.append(n.id)
        msg = []
        if notes:
            msg.append(f"Another editor also saves to {self.path}: kept its claim(s) {', '.join(notes)}")
        msg.extend(f"your claim {a} is now {b} (the other editor used {a})" for a, b in renamed.items())
        return out, msg


def _fresh_id(m: ArgumentMap, theirs: dict[str, Node], nid: str) -> str:
    stem = re.sub(r"\d+$", "", nid) or "n"
    i = 1
    while f"{stem}{i}" in m or f"{stem}{i}" in theirs:
        i += 1
    return f"{stem}{i}"


def _rename(m: ArgumentMap, old: str, new: str) -> ArgumentMap:
    nodes = tuple(replace(n, id=new) if n.id == old else replace(n, parent=new) if n.parent == old else n
                  for n in m.nodes)
    relations = tuple(replace(r, from_id=new if r.from_id == old else r.from_id,
                              to_id=new if r.to_id == old else r.to_id) for r in m.relations)
    return replace(m, nodes=nodes, relations=relations)


def _append(m: ArgumentMap, n: Node) -> ArgumentMap:
    return replace(m, nodes=(*m.nodes, n))


# -- hand-in ---------------------------------------------------------------------------------------
def handin_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """Where hand-ins go: ``folder``, else ``$ARGKIT_HANDIN``, else ``hand-in/`` in the current folder."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get(HANDIN_ENV)
    return Path(env).expanduser() if env else Path("hand-in")


def _handed_in_by(path: Path) -> set[str] | None:
    """The ``added_by`` names of a hand-in's claims (``None``: not a readable map)."""
    try:
        own = read_map(path)
    except (ArgkitError, OSError):
        return None
    return {n.added_by or "" for n in own.nodes}


def hand_in(m: ArgumentMap, author: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """Hand in a student's work: write ``<map>-<student>.yaml`` to the hand-in folder, atomically.

    The file is the student's overlay (their claims, naming the course map so that it is found
    from any folder). Handing in again replaces the student's earlier hand-in; a file of the same
    name from another student is never overwritten: the hand-in gets the next free name
    (``<map>-<student>-2.yaml``).

    Raises:
        WorkFileError: There is nothing of the student's to hand in.
        OSError: The folder cannot be written (the message names it).
    """
    if m.base is None:
        raise WorkFileError("there is nothing to hand in: this is not work on a course map")
    own = split(m)
    if not own.nodes:
        raise WorkFileError("there is nothing to hand in yet: add at least one claim of your own")
    base = m.base
    stem = Path(base.path).stem if base.path else slug(base.title, "map")
    who = slug(author, "student")
    dest = handin_folder(folder)
    dest.mkdir(parents=True, exist_ok=True)
    mine = {n.added_by or "" for n in own.nodes}
    for i in range(1, 1000):
        target = dest / (f"{stem}-{who}.yaml" if i == 1 else f"{stem}-{who}-{i}.yaml")
        if target.exists() or target.is_symlink():
            by = _handed_in_by(target)
            if by is None or not by or not by <= (mine | {author}) or is_reference_file(target):
                continue  # someone else's file (or not a map): never overwritten
            save(m, target)
            return target
        text = _text_for(m, target)
        with contextlib.suppress(FileExistsError):
            _io.write_new(target, text.encode("utf-8"))
            return target
    raise WorkFileError(f"{dest}: too many hand-ins named {stem}-{who}; ask your teacher")


def _text_for(m: ArgumentMap, target: Path) -> str:
    assert m.base is not None
    if m.base.path:
        rel = Path(os.path.relpath(Path(m.base.path).resolve(), target.resolve().parent)).as_posix()
        m = replace(m, extends=rel, extends_fingerprint=fingerprint(m.base))
    return generate_map(split(m))
