"""The input boundary (argkit._io): hostile files give argkit's own errors with file:line:col, never hang."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

import argkit
from argkit.errors import InvalidMapError, MapSyntaxError
from conftest import bounded_call as bounded

HEAD = "title: T\nnodes:\n- id: t\n"


def one_problem(path: Path):
    problems = bounded(lambda: argkit.validate(path))
    assert len(problems) == 1, problems
    return problems[0]


@contextlib.contextmanager
def as_nobody():
    """Run the block as an ordinary user: root reads any file whatever its mode."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


def write(tmp_path: Path, text: str | bytes, name: str = "m.yaml") -> Path:
    p = tmp_path / name
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return p


# -- YAML values that fail to construct -------------------------------------------------------
@pytest.mark.parametrize(("value", "message"), [
    ("!!bool maybe", "cannot read 'maybe' as bool"),
    ("!!float abc", "cannot read 'abc' as float"),
    ("!!int abc", "cannot read 'abc' as int"),
    ("9" * 4400, "the number has too many digits (4,400)"),
])
def test_a_value_yaml_cannot_construct_is_a_diagnostic(tmp_path, value, message):
    p = write(tmp_path, HEAD + f"  text: {value}\n")
    d = one_problem(p)
    assert (d.path, d.line, d.column, d.code) == (str(p), 4, 9, "bad-value")
    assert d.message == message and d.fix
    with pytest.raises(MapSyntaxError):
        argkit.load(p)


def test_a_big_integer_as_a_key_is_a_diagnostic(tmp_path):
    d = one_problem(write(tmp_path, HEAD + "  text: x\n  ? " + "7" * 5000 + "\n  : 1\n"))
    assert (d.line, d.column, d.code) == (5, 5, "bad-value")


@pytest.mark.parametrize("value", ["[a, b]", "{a: 1}", "!!binary aGk=", "true"])
def test_a_text_of_the_wrong_type_says_so_once(tmp_path, value):
    d = one_problem(write(tmp_path, HEAD + f"  text: {value}\n"))
    assert (d.line, d.code) == (4, "wrong-type")


@pytest.mark.parametrize("value", ["2001-13-45", "2001-12-14", "!!timestamp x", "2001-12-14 21:59:43.10 -5"])
def test_a_date_is_text_as_written(tmp_path, value):
    """A date is kept as the text written: no crash on 2001-13-45, one message at most, not two."""
    p = write(tmp_path, HEAD + f"  text: {value}\n")
    assert bounded(lambda: argkit.validate(p)) == []
    assert argkit.load(p).root.text == value.removeprefix("!!timestamp ")


def test_a_date_where_a_number_belongs_says_so_once(tmp_path):
    p = write(tmp_path, "title: T\nsources:\n- id: s\n  year: 2001-12-14\nnodes:\n- id: t\n  text: x\n")
    d = one_problem(p)
    assert (d.line, d.code, d.got) == (4, "wrong-type", "2001-12-14")


def test_an_alias_is_refused_even_without_its_anchor(tmp_path):
    d = one_problem(write(tmp_path, HEAD + "  text: *quote\n"))
    assert (d.line, d.column, d.code) == (4, 9, "alias")


def test_a_key_that_is_not_a_word_is_a_diagnostic_and_the_rest_is_read(tmp_path):
    d = one_problem(write(tmp_path, HEAD + "  text: x\n  2: two\n"))
    assert (d.line, d.column, d.code, d.got) == (5, 3, "bad-key", "2")
    assert "a key must be a word" in d.message and "'text'" in d.fix


def test_argkit_true_is_not_version_1(tmp_path):
    d = one_problem(write(tmp_path, "argkit: true\n" + HEAD + "  text: x\n"))
    assert (d.line, d.column, d.code) == (1, 9, "version")


# -- bytes and characters ----------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "col", "name"), [
    (b"\x00", 11, "U+0000 (NUL)"),
    (b"\x07", 11, "U+0007 (BEL)"),
    (b"\x1b[2J", 11, "U+001B (ESC)"),
    ("\u202e".encode(), 11, "U+202E (right-to-left override)"),
    (b"\xc2\x9b", 11, "U+009B (a control character)"),
])
def test_a_control_or_bidi_character_in_the_file_is_refused_with_its_place(tmp_path, raw, col, name):
    p = write(tmp_path, HEAD.encode() + b"  text: ab" + raw + b"c\n")
    d = one_problem(p)
    assert (d.line, d.column, d.code) == (4, col, "bad-character")
    assert name in d.message


@pytest.mark.parametrize(("escape", "name"), [
    ("\\x1b]0;owned\\x07", "U+001B (ESC)"),
    ("a\\ud800b", "U+D800 (a lone surrogate)"),
    ("\\u202eevil", "U+202E (right-to-left override)"),
    ("fake\\rok", "U+000D (carriage return)"),
    ("\\0", "U+0000 (NUL)"),
])
def test_a_refused_character_written_as_an_escape_is_refused_at_the_value(tmp_path, escape, name):
    p = write(tmp_path, HEAD + f'  text: "{escape}"\n')
    d = one_problem(p)
    assert (d.line, d.column, d.code) == (4, 9, "bad-value")
    assert name in d.message


@pytest.mark.parametrize(("text", "place", "name"), [
    (HEAD + "  text: ab\x1bc\n", (4, 11), "U+001B (ESC)"),
    (HEAD + "  text: a\ud800b\n", (4, 10), "U+D800 (a lone surrogate)"),  # was a UnicodeEncodeError
    ("title: T\u202e\n", (1, 9), "U+202E (right-to-left override)"),
])
def test_text_given_as_a_string_is_checked_like_a_file(text, place, name):
    with pytest.raises(MapSyntaxError) as e:
        argkit.parse_map(text)
    d = e.value.diagnostic
    assert (d.line, d.column, d.code) == (*place, "bad-character") and name in d.message


def test_a_string_with_a_byte_order_mark_and_only_comments_is_empty():
    # Text read with encoding="utf-8" from a file Notepad saved keeps its BOM.
    with pytest.raises(MapSyntaxError) as e:
        argkit.parse_map("\ufeff# title: to do\n")
    assert (e.value.diagnostic.code, e.value.diagnostic.message) == ("empty", "the file is empty")


def test_tabs_newlines_and_crlf_are_fine(tmp_path):
    p = write(tmp_path, (HEAD + '  text: "a\\tb\\nc"\n').replace("\n", "\r\n"))
    assert argkit.validate(p) == []


def test_utf16_without_a_bom_is_named(tmp_path):
    d = one_problem(write(tmp_path, (HEAD + "  text: x\n").encode("utf-16-le")))
    assert (d.message, d.code) == ("the file is UTF-16 text, not UTF-8", "not-utf8")


# -- files that are not regular files ----------------------------------------------------------
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    d = one_problem(fifo)
    assert "named pipe" in d.message
    with pytest.raises(MapSyntaxError, match="named pipe"):
        bounded(lambda: argkit.load(fifo))


def test_a_socket_is_named_as_such(tmp_path):
    import socket

    path = tmp_path / "m.yaml"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        d = one_problem(path)
    assert d.message == "this is a socket, not a map file"  # was "cannot read the file (No such device ...)"


def test_a_file_you_may_not_read_says_so(tmp_path):
    p = write(tmp_path, HEAD + "  text: x\n")
    p.chmod(0)
    with as_nobody():
        d = one_problem(p)
    assert "permission denied" in d.message and "readable" in d.fix


def test_a_path_through_a_file_says_what_is_wrong(tmp_path):
    p = write(tmp_path, HEAD + "  text: x\n")
    d = one_problem(p / "m.yaml")
    assert d.message == "cannot read the file (Not a directory)" and d.path == str(p / "m.yaml")


@pytest.mark.parametrize("target", ["/dev/zero", "/proc/self/environ"])
def test_a_system_file_is_refused_without_reading_it(tmp_path, target):
    link = tmp_path / "m.yaml"
    link.symlink_to(target)
    for path in (link, Path(target)):
        d = one_problem(path)
        assert "system file" in d.message and target.split("/")[1] in d.message


def test_a_symlink_loop_a_long_name_a_nul_and_a_dangling_link(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    assert "loop of symbolic links" in one_problem(a).message
    assert "too long" in one_problem(tmp_path / ("x" * 300 + ".yaml")).message
    assert "NUL" in one_problem(Path(str(tmp_path / "a\0b.yaml"))).message
    dangling = tmp_path / "gone.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    assert "does not exist" in one_problem(dangling).message


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    from argkit import _io

    p = write(tmp_path, HEAD + "  text: " + "x" * 200 + "\n")
    with pytest.raises(MapSyntaxError, match=r"file is too large \(233 bytes; the limit is 100\)"):
        _io.read_text(p, limit=100)


def test_a_file_growing_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    # As a file in /proc, or one another program is still writing: its size said it was small.
    from argkit import _io

    p = write(tmp_path, HEAD + "  text: x\n")
    real_fstat = os.fstat

    def then_grows(fd):
        st = real_fstat(fd)
        with open(p, "ab") as f:
            f.write(b"  # " + b"x" * 200 + b"\n")
        return st

    monkeypatch.setattr(os, "fstat", then_grows)
    with pytest.raises(MapSyntaxError) as e:
        _io.read_text(p, limit=100)
    assert (e.value.diagnostic.message, e.value.diagnostic.code) == ("file is too large (over 100 bytes)", "too-large")


def test_a_non_utf8_file_name_is_shown_escaped(tmp_path):
    p = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.yaml"))
    p.write_bytes(b"title: [\n")
    d = one_problem(p)
    assert d.path.endswith("caf\\xe9.yaml")
    d.path.encode("utf-8")  # printable anywhere


# -- other readers use the same boundary -------------------------------------------------------
def test_argdown_reads_through_the_boundary(tmp_path):
    from argkit.argdown import read_argdown

    fifo = tmp_path / "m.argdown"
    os.mkfifo(fifo)
    with pytest.raises(MapSyntaxError, match="named pipe"):
        bounded(lambda: read_argdown(fifo))
    p = tmp_path / "n.argdown"
    p.write_bytes(b"[t]: Tea\x1b[2J is good.\n")
    with pytest.raises(MapSyntaxError, match="U\\+001B"):
        read_argdown(p)


def test_check_quotes_index_and_texts_use_the_boundary(tmp_path):
    from argkit.errors import SourceTextError
    from argkit.model import ArgumentMap, Node, Quote, Source
    from argkit.quotes import check_quotes

    d = tmp_path / "src"
    d.mkdir()
    os.mkfifo(d / "index.yaml")
    m = ArgumentMap("Q", (Node("t", "T.", source="r", quote=Quote("words")),), sources=(Source("r"),))
    with pytest.raises(SourceTextError, match="named pipe"):
        bounded(lambda: check_quotes([m], d))
    (d / "index.yaml").unlink()
    (d / "index.yaml").write_text("r: {file: r.txt}\nbad: !!int x\n", encoding="utf-8")
    with pytest.raises(SourceTextError, match=r"index\.yaml:2:6"):
        check_quotes([m], d)
    (d / "index.yaml").write_text("r: {file: r.txt}\n", encoding="utf-8")
    os.mkfifo(d / "r.txt")
    [r] = bounded(lambda: check_quotes([m], d))
    assert not r.ok and "named pipe" in r.message
    (d / "r.txt").unlink()
    (d / "r.txt").write_text("Some words.\fPage two.\n", encoding="utf-8")  # a form feed from a PDF
    [r] = check_quotes([m], d)
    assert r.ok


def test_a_lone_surrogate_never_reaches_evaluate_table_or_convert(tmp_path):
    p = write(tmp_path, HEAD + '  text: "a\\ud800b"\n')
    from argkit.convert import convert

    for stage in (argkit.load, argkit.validate, lambda q: convert(q, tmp_path / "out.argdown")):
        try:
            problems = stage(p)
        except (MapSyntaxError, InvalidMapError) as e:
            assert "surrogate" in str(e)
        else:
            assert "surrogate" in problems[0].message


# -- writes: errors name the file, no temporary files left behind -------------------------------
def test_a_failed_write_names_the_target_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import errno

    from argkit import _io

    target = tmp_path / "work" / "m.yaml"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as e:
        _io.atomic_write(target, b"new")
    assert e.value.errno == errno.ENOSPC and e.value.filename == str(target)
    assert ".tmp" not in str(e.value)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["m.yaml"]
    monkeypatch.undo()

    real_open = os.open

    def read_only(path, flags, mode=0o777):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(OSError) as e:
        _io.atomic_write(target, b"new")
    assert e.value.filename == str(target) and e.value.errno == errno.EROFS


def test_another_writers_temporary_file_is_never_overwritten(tmp_path, monkeypatch):
    from argkit import _io

    target = tmp_path / "m.yaml"
    theirs = tmp_path / ".m.yaml.00000000.tmp"
    theirs.write_bytes(b"another write, in progress")
    names = iter(["00000000", "00000001"])
    monkeypatch.setattr(_io.secrets, "token_hex", lambda n: next(names))
    _io.atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and theirs.read_bytes() == b"another write, in progress"


def test_temporary_files_of_killed_writes_are_cleared_by_the_next_write(tmp_path):
    import time

    from argkit import _io

    target = tmp_path / "m.yaml"
    old = [tmp_path / f".m.yaml.{i:08x}.tmp" for i in range(8)]
    for p in old:
        p.write_bytes(b"half")
        t = time.time() - 3600
        os.utime(p, (t, t))
    fresh = tmp_path / ".m.yaml.ffffffff.tmp"  # another writer's, in progress
    fresh.write_bytes(b"half")
    other = tmp_path / ".other.yaml.00000001.tmp"
    other.write_bytes(b"x")
    os.utime(other, (time.time() - 3600,) * 2)
    _io.atomic_write(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, other.name, "m.yaml"]


# -- extends: only map files, never a foreign file's content ---------------------------------
OVERLAY = "title: S\nextends: {}\nnodes:\n- id: n\n  parent: t\n  stance: pro\n  text: x\n"


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/hostname", "/proc/self/environ", "/dev/zero",
                                    "x" * 300 + ".yaml", "loop.yaml", "fifo.yaml", "secret.txt",
                                    "secret.yaml"])
def test_extends_never_reads_or_echoes_a_file_that_is_not_a_course_map(tmp_path, target):
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "secret.txt").write_text("title: T\nnodes:\n- id: t\n  text: TOPSECRET\n", encoding="utf-8")
    (tmp_path / "secret.yaml").write_text("password: TOPSECRET\n", encoding="utf-8")
    p = write(tmp_path, OVERLAY.format(target))
    problems = bounded(lambda: argkit.validate(p))
    assert problems and all(d.path == str(p) for d in problems), problems
    shown = "\n".join(map(str, problems))
    assert "TOPSECRET" not in shown and "root:" not in shown and "PATH=" not in shown
    assert problems[0].line == 2 and problems[0].code.startswith("extends")


def test_a_long_chain_of_overlays_is_refused_not_a_crash(tmp_path):
    (tmp_path / "m0.yaml").write_text("title: T\nnodes:\n- id: t\n  text: x\n", encoding="utf-8")
    for i in range(1, 1100):
        (tmp_path / f"m{i}.yaml").write_text(
            f"title: T\nextends: m{i - 1}.yaml\nnodes:\n- id: n{i}\n  parent: t\n  stance: pro\n  text: x\n",
            encoding="utf-8")
    problems = bounded(lambda: argkit.validate(tmp_path / "m1099.yaml"))
    assert len(problems) == 1 and problems[0].code in ("extends-loop", "extends-invalid"), problems


def test_write_new_names_the_target_and_sweeps_like_atomic_write(tmp_path):
    import time

    from argkit import _io

    target = tmp_path / "hand-in.yaml"
    stale = tmp_path / ".hand-in.yaml.0badf00d.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 3600,) * 2)
    _io.write_new(target, b"one")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hand-in.yaml"]
    with pytest.raises(FileExistsError) as e:
        _io.write_new(target, b"two")
    assert e.value.filename == str(target) and ".tmp" not in str(e.value)
    assert target.read_bytes() == b"one" and sorted(p.name for p in tmp_path.iterdir()) == ["hand-in.yaml"]


def test_write_new_without_hard_links_still_never_replaces_a_file(tmp_path, monkeypatch):
    # A USB stick (FAT) or some network shares: os.link is refused; exclusive create instead.
    import errno

    from argkit import _io

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted", str(src), None, str(dst))

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "hand-in.yaml"
    _io.write_new(target, b"one")
    assert target.read_bytes() == b"one" and sorted(p.name for p in tmp_path.iterdir()) == ["hand-in.yaml"]
    with pytest.raises(FileExistsError) as e:
        _io.write_new(target, b"two")
    assert e.value.filename == str(target)
    assert target.read_bytes() == b"one" and sorted(p.name for p in tmp_path.iterdir()) == ["hand-in.yaml"]


def test_write_new_into_a_folder_that_cannot_be_made_names_the_folder(tmp_path):
    from argkit import _io

    blocker = tmp_path / "hand-in"
    blocker.write_bytes(b"a file where the folder should be")
    with pytest.raises(OSError) as e:
        _io.write_new(blocker / "m-ana.yaml", b"one")
    assert e.value.filename == str(blocker)
    assert blocker.read_bytes() == b"a file where the folder should be"
