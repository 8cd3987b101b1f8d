"""Private I/O shared by the text formats: a safe YAML loader that keeps positions, decoding and
size limits, and atomic writes."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from argkit._text import shorten
from argkit.errors import Diagnostic, MapSyntaxError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "REFUSED",
    "SYSTEM",
    "AliasFound",
    "BadValue",
    "Loader",
    "TooDeep",
    "YamlList",
    "YamlMap",
    "atomic_write",
    "decode",
    "diag",
    "display_path",
    "mark_pos",
    "read_bytes",
    "read_text",
    "read_yaml",
    "refused_char",
    "write_new",
    "write_text",
]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64


# -- reading YAML with positions --------------------------------------------------------------
class AliasFound(Exception):
    def __init__(self, mark: Any):
        self.mark = mark


# Characters a map may not contain, in the file or in a value (YAML escapes such as "\x1b" or
# "\ud800" make them too): C0/C1 controls but tab, line feed, carriage return and NEL; lone
# surrogates (they cannot be written as UTF-8 and crash every later stage); the non-characters
# U+FFFE/U+FFFF; and the bidirectional embeddings, overrides and isolates, which make text display
# in another order than it is stored (a "Trojan source" spoof of a claim or an id).
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
                     "\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_VALUE_REFUSED = re.compile(REFUSED.pattern.replace("\x0e", "\x0d\x0e"))  # a value: no CR either
_CHAR_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x1b: "ESC", 0x7f: "DEL", 0x202e: "right-to-left override",
               0x202d: "left-to-right override", 0x202b: "right-to-left embedding",
               0x202a: "left-to-right embedding", 0x202c: "pop directional formatting",
               0x2066: "left-to-right isolate", 0x2067: "right-to-left isolate",
               0x2068: "first strong isolate", 0x2069: "pop directional isolate", 0x0d: "carriage return"}


def refused_char(ch: str) -> str:
    """A refused character named for a message: ``U+001B (ESC)``."""
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (a lone surrogate)"
    name = _CHAR_NAMES.get(code, "a bidirectional control" if code >= 0x2000 else "a control character")
    return f"U+{code:04X} ({name})"


class BadValue(yaml.constructor.ConstructorError):
    """A scalar that YAML parses but cannot turn into a value (``!!int abc``, a bad escape)."""


if TYPE_CHECKING:  # the mixin is used on loaders; say so to the type checker only
    _LoaderBase = yaml.SafeLoader
else:
    _LoaderBase = object


class _Guarded(_LoaderBase):
    """What argkit adds to a YAML loader: no anchors/aliases (no alias bombs), bounded nesting,
    and values that are refused with their place instead of raising from deep inside PyYAML.

    Every value that cannot be constructed (``!!bool maybe``, ``!!float abc``, a 4,400-digit
    integer) and every string with a refused character raises :class:`BadValue` at the value's
    line and column; dates stay text as written (no field of a map is a date, and ``2001-13-45``
    is not one).
    """

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError, OverflowError, ArithmeticError) as e:
            kind = str(node.tag).rsplit(":", 1)[-1]
            shown = node.value if isinstance(node.value, str) else kind
            if isinstance(e, ValueError) and "digits" in str(e):
                problem = f"the number has too many digits ({len(shown):,})"
            else:
                problem = f"cannot read {shorten(shown, 40)!r} as {kind}"
            raise BadValue(None, None, problem, node.start_mark) from None
        if isinstance(value, str):
            bad = _VALUE_REFUSED.search(value)
            if bad:
                raise BadValue(None, None, f"the text contains the invisible character "
                               f"{refused_char(bad.group())}", node.start_mark)
        return value

    def construct_yaml_timestamp(self, node: Any) -> Any:
        return self.construct_scalar(node)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise AliasFound(event.start_mark)
        if getattr(event, "anchor", None):
            raise AliasFound(event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise TooDeep(event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class Loader(_Guarded, yaml.SafeLoader):
    """A safe loader that refuses anchors/aliases (no alias bombs) and too-deep nesting (see _Guarded)."""


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)

try:
    from yaml._yaml import CParser as _CParser

    _FAST = True
except ImportError:  # PyYAML built without libyaml (e.g. in the browser): the Python parser only
    _FAST = False


if _FAST:
    class _FastLoader(_Guarded, yaml.composer.Composer, _CParser,
                      yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's parser (C) under the same Python composer and checks as :class:`Loader`.

        Pure-Python scanning made a 1 MB map take seconds; with libyaml's events it is several
        times faster. Only the event stream is libyaml's: positions, the alias and depth checks and
        every value are as with :class:`Loader`, and a file libyaml rejects is read again by
        :class:`Loader` so that the message is the same on every machine.
        """

        def __init__(self, stream: str):
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastLoader.construct_yaml_timestamp)


class TooDeep(Exception):
    def __init__(self, mark: Any):
        self.mark = mark


class YamlMap(dict[str, Any]):
    """A YAML mapping that remembers where it, its keys and its values were written."""

    pos: tuple[int, int]
    key_pos: dict[str, tuple[int, int]]
    val_pos: dict[str, tuple[int, int]]


class YamlList(list[Any]):
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


def _utf16(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:2000]
    if len(head) < 4:
        return False
    # ASCII text in UTF-16: every other byte is zero
    zeros = max(head[0::2].count(0), head[1::2].count(0))
    return zeros * 4 >= len(head)


def decode(data: bytes, path: str | None) -> str:
    """The text of a file's bytes (from :func:`read_bytes`, which bounds their size): UTF-8, with
    no refused character (see :data:`REFUSED`).

    Raises:
        MapSyntaxError: Not UTF-8 (UTF-16 is named as such), or a refused character, with its line
            and column.
    """
    if _utf16(data):
        raise MapSyntaxError(diag(
            path, (1, 1), "the file is UTF-16 text, not UTF-8", code="not-utf8",
            fix="save the file as UTF-8 in your editor (in Notepad: Save as, Encoding: UTF-8)"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise MapSyntaxError(diag(
            path, (line, col), "the file is not UTF-8 text", got=repr(data[e.start:e.start + 4]),
            code="not-utf8", fix="save the file as UTF-8 in your editor")) from None
    text = text.removeprefix("\ufeff")
    _refuse_characters(text, path)
    return text


def _refuse_characters(text: str, path: str | None) -> None:
    bad = REFUSED.search(text)
    if bad:
        head = text[: bad.start()]
        line = head.count("\n") + 1
        col = bad.start() - (head.rfind("\n") + 1) + 1
        raise MapSyntaxError(diag(
            path, (line, col), f"the file contains the invisible character {refused_char(bad.group())}",
            code="bad-character",
            fix="delete it (most editors do not show it; it can come from copying out of a terminal, "
                "a PDF or a word processor)"))


def read_yaml(text: str, path: str | None, problems: list[Diagnostic]) -> Any:
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise MapSyntaxError(diag(path, (1, 1), "the file is empty", code="empty",
                                   fix="start it with 'title:' and a 'nodes:' list"))
    # Text given as a string (parse_map) has not been through decode(): a lone surrogate would
    # crash the YAML reader, and a control character would get a message without a place.
    _refuse_characters(text, path)
    loader: Any = None
    try:
        node = None
        if _FAST:
            loader = _FastLoader(text)
            try:
                node = loader.get_single_node()
            except (AliasFound, TooDeep):
                raise
            except yaml.YAMLError:  # libyaml words its errors differently: the Python parser says it
                loader.dispose()
                loader = None
        if loader is None:
            loader = Loader(text)
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
    except BadValue as e:
        raise MapSyntaxError(diag(
            path, mark_pos(e.problem_mark) if e.problem_mark else None, e.problem or "bad value",
            code="bad-value", fix="write it as plain text in quotes, or as the kind of value the "
            "field needs (a number, true/false)")) from None
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
    # The one YAML error without a place, the reader's for a character YAML does not allow, cannot
    # happen: REFUSED holds every such character.
    finally:
        if loader is not None:
            loader.dispose()


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be shown and written anywhere: bytes that are not UTF-8 as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


SYSTEM = ("/proc/", "/sys/", "/dev/")  # folders that hold no map (reading them leaks or never ends)
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((k for test, k in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_BYTES, what: str = "a map file",
               fix: str = "give the path of a .yaml file") -> bytes:
    """The bytes of a regular file, at most ``limit`` of them: the one way argkit reads a file.

    A FIFO, a device, a socket or a folder is refused without reading (a FIFO would block
    forever, ``/dev/zero`` never ends), and so is anything under /proc, /sys or /dev; the size
    is checked before reading and again while reading (a file in /proc reports size 0).

    Raises:
        MapSyntaxError: With the place and what to do; it never shows the file's content.
    """
    name = display_path(path)

    def refuse(message: str, why: str = fix, code: str = "no-file") -> MapSyntaxError:
        return MapSyntaxError(diag(name, None, message, code=code, fix=why))

    try:
        real = os.path.realpath(path)
        if real.startswith(SYSTEM):
            raise refuse(f"this is a system file ({display_path(real)}), not {what}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except MapSyntaxError:
        raise
    except FileNotFoundError:
        if os.path.lexists(path):
            raise refuse("this is a symbolic link to a file that does not exist",
                         "point the link at the file, or give the file's own path") from None
        raise refuse("no such file", "check the path (ls argmaps/ lists the course maps)") from None
    except PermissionError:
        raise refuse("you may not read this file (permission denied)",
                     "ask its owner to make it readable, or copy it to your own folder") from None
    except ValueError:  # a NUL in the name
        raise refuse("the file name contains a NUL character") from None
    except OSError as e:
        import errno

        if e.errno == errno.ELOOP:
            raise refuse("the path is a loop of symbolic links", "give the path of the file itself") from None
        if e.errno == errno.ENAMETOOLONG:
            raise refuse("the file name is too long", "use a name of at most 255 characters") from None
        if e.errno == errno.ENXIO:  # opening a socket
            with contextlib.suppress(OSError):
                raise refuse(f"this is {_kind(os.stat(path).st_mode)}, not {what}") from None
        raise refuse(f"cannot read the file ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refuse(f"this is {_kind(st.st_mode)}, not {what}")
        if st.st_size > limit:
            raise refuse(f"file is too large ({st.st_size:,} bytes; the limit is {limit:,})",
                         "split the map into smaller files", code="too-large")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise refuse(f"file is too large (over {limit:,} bytes)", "split the map into smaller files",
                         code="too-large")
        return b"".join(chunks)
    except OSError as e:
        raise refuse(f"cannot read the file ({e.strerror or e})") from None
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], *, limit: int = MAX_BYTES, what: str = "a map file",
              fix: str = "give the path of a .yaml file") -> str:
    """The text of a regular UTF-8 file (see :func:`read_bytes` and :func:`decode`)."""
    return decode(read_bytes(path, limit=limit, what=what, fix=fix), display_path(path))


STALE_TMP_SECONDS = 60  # a temporary file this old was left by a killed write, not a running one


def atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically: the old file or the new one, never half of one.

    An error (disk full, read-only folder) names ``target``, never the hidden temporary file,
    and leaves no temporary file behind; temporary files that killed writes left beside
    ``target`` are removed by the next write.
    """
    _write_named(_atomic_write, target, data)


def _sweep(target: Path) -> None:
    import glob
    import time

    folder = target.parent if str(target.parent) else Path(".")
    now = time.time()
    for stale in folder.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - stale.lstat().st_mtime > STALE_TMP_SECONDS:
                stale.unlink()


def _atomic_write(target: Path, data: bytes) -> None:
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


def write_new(target: Path, data: bytes) -> None:
    """Write a file that must not exist yet, atomically: whole or not at all.

    As with :func:`atomic_write`, an error names ``target``, not the temporary file, and
    temporary files left by killed writes beside it are removed.

    Raises:
        FileExistsError: ``target`` exists (it is left untouched).
    """
    _write_named(_write_new, target, data)


def _write_named(write: Callable[[Path, bytes], None], target: Path, data: bytes) -> None:
    """``write(target, data)``, with an error naming ``target`` (not its temporary file), then
    the temporary files that killed writes left beside ``target`` removed."""
    try:
        write(target, data)
    except OSError as e:
        if e.filename is None or str(e.filename).endswith(".tmp"):
            raise OSError(e.errno, e.strerror or str(e), display_path(target)) from None
        raise
    _sweep(target)


def _write_new(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, target)  # unlike rename, link never replaces an existing file
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create, then copy in
            out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(out, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
