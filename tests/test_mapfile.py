"""The file format: round trips, overlays, reference protection and atomic saves."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import argkit
from argkit.model import BASES, ArgumentMap, Node, Quote, Relation, Source

ROOT = Path(__file__).resolve().parent.parent

ids = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True)
# Any printable text, including the curly quotes, no-break spaces and dashes of the readings.
texts = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85")
    | st.sampled_from(["\u00a0", "\u2019", "\u201c", "\u2014", ":", "#", "'", '"', "-", "\n"]),
    min_size=1, max_size=60,
).filter(lambda t: t.strip() != "")
maybe = lambda s: st.none() | s  # noqa: E731


@st.composite
def maps(draw: st.DrawFn) -> ArgumentMap:
    source_ids = draw(st.lists(ids, max_size=3, unique=True))
    sources = tuple(
        Source(sid, author=draw(maybe(texts)), title=draw(maybe(texts)),
               year=draw(maybe(st.integers(1900, 2100))), note=draw(maybe(texts)))
        for sid in source_ids)
    node_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    nodes = [Node(node_ids[0], draw(texts))]
    for i, nid in enumerate(node_ids[1:], start=1):
        parent = node_ids[draw(st.integers(0, i - 1))]
        quote = draw(maybe(st.builds(
            Quote, texts, endnote=maybe(st.from_regex(r"[1-9][0-9]{0,2}|[ivx]{1,3}", fullmatch=True)),
            page=maybe(st.from_regex(r"[1-9][0-9]{0,2}", fullmatch=True)),
            source=maybe(st.sampled_from(source_ids)) if source_ids else st.none())))
        nodes.append(Node(
            nid, draw(texts), parent=parent, stance=draw(st.sampled_from(["pro", "con"])),
            author=draw(maybe(texts)),
            source=draw(maybe(st.sampled_from(source_ids))) if source_ids else None,
            quote=quote,
            basis=None, tags=tuple(draw(st.lists(ids, max_size=2))), added_by=draw(maybe(ids))))
    # evidence must be pro; linked premises come in pairs of siblings
    nodes = [n if n.stance != "pro" or not draw(st.booleans()) else
             Node(**{**_fields(n), "basis": draw(st.sampled_from(BASES))}) for n in nodes]
    relations = tuple(
        Relation(draw(st.sampled_from(node_ids)), draw(st.sampled_from(["supports", "attacks"])),
                 draw(st.sampled_from(node_ids)))
        for _ in range(draw(st.integers(0, 3))))
    return ArgumentMap(title=draw(texts), nodes=tuple(nodes), relations=relations, sources=sources,
                       description=draw(maybe(texts)), reference=draw(st.booleans()))


def _fields(n: Node) -> dict[str, object]:
    return {f: getattr(n, f) for f in Node.__slots__}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_parse_of_generate_is_the_same_map(m):
    assert argkit.validate(m) == []
    text = argkit.generate_map(m)
    assert argkit.parse_map(text) == m
    assert argkit.generate_map(argkit.parse_map(text)) == text


def test_every_course_map_resaves_byte_for_byte(tmp_path):
    files = sorted((ROOT / "argmaps").glob("*.yaml"))
    if not files:
        pytest.skip("argmaps/ has no maps yet")
    for f in files:
        assert argkit.generate_map(argkit.read_map(f)) == f.read_text(encoding="utf-8"), f.name
        # and through load/save, overlays included, into a copy of the folder
        for g in files:
            (tmp_path / g.name).write_bytes(g.read_bytes())
        m = argkit.load(tmp_path / f.name)
        argkit.save(m, tmp_path / f.name, force=True)
        assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name


# -- overlays and reference maps -----------------------------------------------------------------
REF = "title: Tea\nreference: true\nnodes:\n- id: t\n  text: Tea is good.\n- id: r\n  parent: t\n  stance: pro\n  text: Tasty.\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "argmaps").mkdir()
    (tmp_path / "argmaps" / "tea.yaml").write_text(REF, encoding="utf-8")
    return tmp_path


def test_an_overlay_is_merged_on_load_and_saves_only_its_own_nodes(course):
    overlay = course / "work" / "ana.yaml"
    overlay.parent.mkdir()
    overlay.write_text("title: Ana's tea\nextends: ../argmaps/tea.yaml\nnodes:\n- id: s\n  parent: r\n"
                       "  stance: con\n  text: Not to everyone.\n  added_by: ana\n", encoding="utf-8")
    m = argkit.load(overlay)
    assert [n.id for n in m.nodes] == ["t", "r", "s"]
    assert m.kind("s") == "objection" and m.is_own("s") and not m.is_own("t")
    m2 = m.add(Node("b", "Taste is learnt.", parent="s", stance="con", added_by="ana"))
    argkit.save(m2, overlay)
    text = overlay.read_text(encoding="utf-8")
    assert "Tea is good" not in text and "Taste is learnt" in text
    assert argkit.load(overlay).kind("b") == "rebuttal"
    assert (course / "argmaps" / "tea.yaml").read_text(encoding="utf-8") == REF


def test_saving_an_overlay_elsewhere_rewrites_the_extends_path(course):
    ref = argkit.load(course / "argmaps" / "tea.yaml")
    mine = ArgumentMap("Mine", (*ref.nodes, Node("s", "Hot.", parent="t", stance="con")),
                       base=ref, extends="tea.yaml")
    target = course / "deep" / "er" / "mine.yaml"
    argkit.save(mine, target)
    assert "extends: ../../argmaps/tea.yaml" in target.read_text(encoding="utf-8")
    assert [n.id for n in argkit.load(target).own_nodes()] == ["s"]


def test_a_reference_map_is_never_overwritten_unless_forced(course):
    ref_path = course / "argmaps" / "tea.yaml"
    m = argkit.load(ref_path)
    with pytest.raises(argkit.ReferenceMapError, match="reference material"):
        argkit.save(m.add(Node("x", "X.", parent="t", stance="con")), ref_path)
    assert ref_path.read_text(encoding="utf-8") == REF
    with pytest.raises(PermissionError):  # the error is also a PermissionError
        argkit.save(argkit.parse_map("title: Other\nnodes:\n- id: o\n  text: O.\n"), ref_path)
    argkit.save(m, ref_path, force=True)
    assert ref_path.read_text(encoding="utf-8") == "argkit: 1\n" + REF


def test_student_work_cannot_be_saved_over_the_map_it_extends(course):
    ref_path = course / "argmaps" / "tea.yaml"
    ref_path.write_text(REF.replace("reference: true\n", ""), encoding="utf-8")
    overlay = course / "mine.yaml"
    overlay.write_text("title: Mine\nextends: argmaps/tea.yaml\nnodes: []\n", encoding="utf-8")
    m = argkit.load(overlay)
    with pytest.raises(argkit.ReferenceMapError, match="the map your work extends"):
        argkit.save(m, ref_path)


def test_extends_loops_are_reported(tmp_path):
    (tmp_path / "a.yaml").write_text("title: A\nextends: b.yaml\nnodes: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("title: B\nextends: a.yaml\nnodes: []\n", encoding="utf-8")
    with pytest.raises(argkit.InvalidMapError, match="extends itself"):
        argkit.load(tmp_path / "a.yaml")


# -- atomic saves --------------------------------------------------------------------------------
SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from argkit._io import atomic_write
    target = Path(sys.argv[1])
    texts = [Path(p).read_bytes() for p in sys.argv[2:]]
    print("ready", flush=True)
    i = 0
    while True:
        atomic_write(target, texts[i % 2])  # the atomic write every save goes through
        i += 1
""")


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path):
    target = tmp_path / "map.yaml"
    maps = [ArgumentMap(f"Version {v}", tuple(
        Node(f"n{i}", f"{v} " * 200, parent=None if i == 0 else "n0", stance=None if i == 0 else "pro")
        for i in range(600))) for v in "AB"]
    argkit.save(maps[1], target)
    versions = {argkit.generate_map(m) for m in maps}
    sources = []
    for k, text in enumerate(sorted(versions)):
        sources.append(tmp_path / f"source{k}.txt")
        sources[-1].write_text(text, encoding="utf-8")
    rng = random.Random(1234)
    kills = mid_write = 0
    seen: set[str] = set()
    for _ in range(20):
        p = subprocess.Popen([sys.executable, "-c", SAVER, str(target), *map(str, sources)],
                             stdout=subprocess.PIPE)
        assert p.stdout is not None and p.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.2))
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        p.stdout.close()
        kills += 1
        assert target.read_text(encoding="utf-8") in versions  # whole: the old text or the new
        tmps = {f.name for f in tmp_path.glob(".map.yaml.*.tmp")}
        mid_write += len(tmps - seen)  # a temp file left behind: the kill caught a save mid-write
        seen |= tmps
    print(f"{kills} kills, {mid_write} caught mid-write")  # pytest -s shows the count
    assert kills == 20 and argkit.load(target).title in ("Version A", "Version B")
    assert mid_write >= 3, f"only {mid_write} of {kills} kills landed in a write: the test proves little"
    leftovers = [f.name for f in tmp_path.iterdir() if f.name != "map.yaml" and not f.name.startswith("source")]
    # a kill can strand a temp file (never the map itself); it is hidden and named after the map
    assert all(f.startswith(".map.yaml.") and f.endswith(".tmp") for f in leftovers)


# -- light imports -------------------------------------------------------------------------------
def test_import_argkit_does_not_import_heavy_packages():
    code = ("import sys, argkit; argkit.load; heavy = [m for m in ('pandas', 'ipywidgets', 'IPython', "
            "'matplotlib', 'wasmtime') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_saved_file_gets_the_usual_mode_and_keeps_an_existing_one(tmp_path):
    m = argkit.parse_map("title: T\nnodes:\n- id: a\n  text: A.\n")
    mask = os.umask(0o022)
    try:
        argkit.save(m, tmp_path / "new.yaml")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644  # not the 0600 of a temp file
    (tmp_path / "new.yaml").chmod(0o640)
    argkit.save(m, tmp_path / "new.yaml")
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o640


def test_a_number_as_a_claims_text_is_that_text():
    m = argkit.parse_map("title: Dates\nnodes:\n- id: t\n  text: 1914\n- id: r\n  parent: t\n  stance: pro\n"
                         "  text: 2.5\n")
    assert (m.node("t").text, m.node("r").text) == ("1914", "2.5")


@pytest.mark.parametrize(("text", "place", "code", "message"), [
    ("title: T\nsources:\n- author: Cox\nnodes:\n- id: t\n  text: T.\n", (3, 3), "missing-id",
     "sources entry 1 has no 'id'"),
    ("title: T\nnodes:\n- id: t\n  text: T.\n- text: No id.\n  parent: t\n  stance: pro\n", (5, 3), "missing-id",
     "nodes entry 2 has no 'id'"),
    ("title: T\nnodes:\n- id: t\n  text: T.\n  quote:\n    endnote: 3\n", (6, 5), "missing-text",
     "the quote of node 't' has no 'text'"),
])
def test_an_entry_without_its_id_or_a_quote_without_words_is_named_at_its_line(text, place, code, message):
    with pytest.raises(argkit.InvalidMapError) as e:
        argkit.parse_map(text, "m.yaml")
    d = next(d for d in e.value.diagnostics if d.code == code)
    assert ((d.line, d.column), d.message) == (place, message) and d.fix


def test_write_map_writes_the_canonical_text_whatever_the_file_says(tmp_path):
    from argkit.mapfile import generate_map, write_map

    ref = tmp_path / "ref.yaml"
    ref.write_text("title: T\nreference: true\nnodes:\n- id: t\n  text: T.\n", encoding="utf-8")
    m = argkit.parse_map("title: T\nnodes:\n- {id: t, text: T.}\n")
    write_map(m, ref)  # the low-level writer: no reference check (argkit.save has it)
    assert ref.read_text(encoding="utf-8") == generate_map(m) and argkit.load(ref) == m
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref.yaml"]
