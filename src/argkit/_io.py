"""Private I/O shared by the text formats: a safe YAML loader that keeps positions, decoding and
size limits, and atomic writes."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import yaml

from argkit.errors import Diagnostic, MapSyntaxError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "AliasFound",
    "Loader",
    "TooDeep",
    "YamlList",
    "YamlMap",
    "atomic_write",
    "decode",
    "diag",
    "mark_pos",
    "read_text",
    "read_yaml",
    "write_text",
]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64


# -- reading YAML with positions --------------------------------------------------------------
class AliasFound(Exception):
    def __init__(self, mark: Any):
        self.mark = mark


class Loader(yaml.SafeLoader):
    """A safe loader that refuses anchors/aliases (no alias bombs) and too-deep nesting."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise AliasFound(self.peek_event().start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise AliasFound(event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise TooDeep(event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class TooDeep(Exception):
    def __init__(self, mark: Any):
        self.mark = mark


class YamlMap(dict):
    """A YAML mapping that remembers where it, its keys and its values were written."""

    pos: tuple[int, int]
    key_pos: dict[str, tuple[int, int]]
    val_pos: dict[str, tuple[int, int]]


class YamlList(list):
    pos: tuple[int, int]
    item_pos: list[tuple[int, int]]


def mark_pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def diag(path: str | None, pos: tuple[int, int] | None, message: str, **kw: Any) -> Diagnostic:
    line, col = pos if pos else (None, None)
    return Diagnostic(path, line, col, message, **kw)


def to_python(node: Any, loader: Loader, path: str | None, problems: list[Diagnostic]) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = YamlMap()
        out.pos, out.key_pos, out.val_pos = mark_pos(node.start_mark), {}, {}
        for k, v in node.value:
            key = to_python(k, loader, path, problems)
            if not isinstance(key, str):
                problems.append(diag(path, mark_pos(k.start_mark), "a key must be a word",
                                      got=str(key), code="bad-key",
                                      fix="write the key as a name such as 'text'"))
                continue
            if key in out:
                problems.append(diag(
                    path, mark_pos(k.start_mark), f"duplicate key '{key}'", code="duplicate-key",
                    fix=f"keep one '{key}:' in this entry (the first is on line {out.key_pos[key][0]})"))
                continue
            out[key] = to_python(v, loader, path, problems)
            out.key_pos[key], out.val_pos[key] = mark_pos(k.start_mark), mark_pos(v.start_mark)
        return out
    if isinstance(node, yaml.SequenceNode):
        lst = YamlList(to_python(v, loader, path, problems) for v in node.value)
        lst.pos, lst.item_pos = mark_pos(node.start_mark), [mark_pos(v.start_mark) for v in node.value]
        return lst
    return loader.construct_object(node, deep=True)


def decode(data: bytes, path: str | None) -> str:
    if len(data) > MAX_BYTES:
        raise MapSyntaxError(diag(
            path, None, f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})",
            code="too-large", fix="split the map into smaller files"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise MapSyntaxError(diag(
            path, (line, col), "the file is not UTF-8 text", got=repr(data[e.start:e.start + 4]),
            code="not-utf8", fix="save the file as UTF-8 in your editor")) from None
    return text.removeprefix("\ufeff")


def read_yaml(text: str, path: str | None, problems: list[Diagnostic]) -> Any:
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise MapSyntaxError(diag(path, (1, 1), "the file is empty", code="empty",
                                   fix="start it with 'title:' and a 'nodes:' list"))
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise MapSyntaxError(diag(path, (1, 1), "the file is empty", code="empty",
                                       fix="start it with 'title:' and a 'nodes:' list"))
        return to_python(node, loader, path, problems)
    except AliasFound as e:
        raise MapSyntaxError(diag(
            path, mark_pos(e.mark), "YAML anchors and aliases (&name, *name) are not allowed in maps",
            code="alias", fix="write the value out in full")) from None
    except TooDeep as e:
        raise MapSyntaxError(diag(
            path, mark_pos(e.mark), f"the YAML is nested more than {MAX_DEPTH} levels deep",
            code="too-deep", fix="a map needs only a few levels: title, nodes, and their fields")) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = (e.problem or "invalid YAML").strip()
        hint = "check the indentation and quoting on this line"
        if e.context and "quoted scalar" in e.context and e.context_mark is not None:
            mark, problem = e.context_mark, "a quoted text starting here is never closed"
            hint = "close the quote with the same mark (\" or ') it opens with"
        if "found character '\\t'" in problem:
            hint = "indent with spaces, not tabs"
        elif "mapping values are not allowed" in problem:
            hint = "put text that contains ': ' in quotes"
        raise MapSyntaxError(diag(path, mark_pos(mark) if mark else None,
                                   f"YAML syntax error: {problem}", code="yaml-syntax", fix=hint)) from None
    except yaml.YAMLError as e:
        raise MapSyntaxError(diag(path, None, f"YAML error: {e}", code="yaml-syntax",
                                   fix="check the file in a YAML-aware editor")) from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise MapSyntaxError(diag(
                str(path), None, f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})",
                code="too-large", fix="split the map into smaller files"))
        data = path.read_bytes()
    except FileNotFoundError:
        raise MapSyntaxError(diag(str(path), None, "no such file", code="no-file",
                                   fix="check the path (ls argmaps/ lists the course maps)")) from None
    except IsADirectoryError:
        raise MapSyntaxError(diag(str(path), None, "this is a folder, not a map file",
                                   code="no-file", fix="give the path of a .yaml file")) from None
    return decode(data, str(path))


def atomic_write(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: it makes the file 0600. Created with 0666, the OS applies the umask, as for any
    # new file, without touching the process-wide umask (a kernel may be running threads).
    while True:
        tmp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():  # keep the mode the file had
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    atomic_write(Path(path), text.encode("utf-8"))
