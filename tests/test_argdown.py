"""Argdown in and out: the peer corpus against Argdown's own export, own files, errors, round trips."""

from __future__ import annotations

import collections
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import argkit
from argkit import argdown
from argkit.argdown import (
    ArgdownWriteError,
    generate_argdown,
    parse_argdown,
    parse_argdown_document,
    read_argdown,
    write_argdown,
)
from argkit.errors import MapSyntaxError
from argkit.model import ArgumentMap, Node, Quote, Relation, Source
from strategies import argument_maps, claim_texts

DATA = Path(__file__).parent / "data" / "argdown"
ARGMAPS = Path(__file__).resolve().parent.parent / "argmaps"


# -- the peer corpus: Argdown's own examples and fixtures, with what Argdown 1.7.5 exported ----------
def _peer_names() -> list[str]:
    root = os.environ.get("ARGKIT_SHARED")
    folder = Path(root, "peers", "argdown") if root else None
    if folder is None or not folder.is_dir():
        return ["(peer corpus not available)"]  # the fixture skips with the reason
    return sorted(p.name for p in folder.glob("*.argdown"))


_TREE_TYPE = {"support": "supports", "entails": "supports", "attack": "attacks",
              "contrary": "attacks", "contradictory": "attacks", "undercut": "undercuts"}


def _edges(m: ArgumentMap) -> collections.Counter[tuple[str, str, str]]:
    tree = [(n.id, "supports" if n.stance == "pro" else "attacks", n.parent)
            for n in m.nodes if n.parent is not None]
    return collections.Counter(tree + [(r.from_id, r.type, r.to_id) for r in m.relations])


@pytest.mark.parametrize("name", _peer_names())
def test_peer_file_matches_argdown_export(argdown_peers: Path, name: str) -> None:
    path = argdown_peers / name
    text = path.read_text(encoding="utf-8")
    rejected = path.with_name(name + "-cli.error.txt")
    if rejected.exists():
        with pytest.raises(MapSyntaxError) as e:
            parse_argdown(text, path)
        assert e.value.line is not None
        assert f"{name}:{e.value.line}:" in str(e.value)
        return
    export = json.loads(path.with_name(name + "-cli.json").read_text(encoding="utf-8"))
    doc = parse_argdown_document(text, path)

    # The same statements and arguments, by Argdown's own titles ("Untitled 3" included).
    assert sorted(doc.statements) == sorted(export["statements"])
    assert sorted(doc.arguments) == sorted(export["arguments"])
    # The same relations, with the same types, merged the same way.
    ours = collections.Counter((r.type, r.from_title, r.to_title) for r in doc.relations)
    theirs = collections.Counter((r["relationType"], r["from"], r["to"]) for r in export["relations"])
    assert ours == theirs
    # The same premise-conclusion structures.
    for title, arg in export["arguments"].items():
        pcs = arg.get("pcs") or []
        if pcs:
            assert doc.pcs[title] == (tuple(p["title"] for p in pcs[:-1]), pcs[-1]["title"])
        else:
            assert title not in doc.pcs

    # The map: one node per statement and argument, and every Argdown relation as an edge
    # (tree or cross-relation), plus the support edges that draw each premise-conclusion structure.
    m = doc.to_map()
    assert len(m.nodes) == len(export["statements"]) + len(export["arguments"])
    assert sum("argument" in n.tags for n in m.nodes) == len(export["arguments"])
    assert argkit.validate(m) == []

    def node_id(title: str, kind: str) -> str:
        return doc.node_ids[("argument" if kind == "argument" else "statement", title)]

    expected: collections.Counter[tuple[str, str, str]] = collections.Counter()
    parents = {n.id: n.parent for n in m.nodes}
    for r in export["relations"]:
        a, b = node_id(r["from"], r["fromType"]), node_id(r["to"], r["toType"])
        kind = _TREE_TYPE[r["relationType"]]
        if kind == "undercuts" and parents[b] is None:
            kind = "attacks"  # a contention has no inference to undercut
        if r["relationType"] == "contradictory" and (b, kind, a) in _edges(m):
            a, b = b, a  # symmetric: either direction
        expected[(a, kind, b)] += 1
    for title, (premises, conclusion) in doc.pcs.items():
        arg = node_id(title, "argument")
        for p in premises:
            expected[(node_id(p, "statement"), "supports", arg)] += 1
        expected[(arg, "supports", node_id(conclusion, "statement"))] += 1
    assert _edges(m) == expected


# -- own files -------------------------------------------------------------------------------------
def test_statements_arguments_relations_tags_metadata() -> None:
    m = read_argdown(DATA / "tea.argdown")
    assert m.title == "Tea or coffee"
    assert m.path == str(DATA / "tea.argdown")
    by = {n.id: n for n in m.nodes}
    assert list(by) == ["tea", "antioxidants", "dose", "stains", "brushing", "coffee", "Untitled-1"]
    assert by["tea"].author == "Ana" and by["tea"].tags == ("thesis", "Health")
    assert (by["antioxidants"].parent, by["antioxidants"].stance) == ("tea", "pro")
    assert (by["dose"].parent, by["dose"].stance) == ("antioxidants", "con")  # '<-'
    assert by["stains"].tags == ("argument", "dental care", "Health")
    assert (by["stains"].parent, by["stains"].stance) == ("tea", "con")
    assert (by["coffee"].parent, by["coffee"].stance) == ("tea", "con")  # '><'
    # An undercut is no tree link; '+>' is written from the element above: cross-relations.
    assert by["brushing"].parent is None
    assert m.relations == (Relation("brushing", "undercuts", "stains"),
                           Relation("stains", "supports", "coffee"))
    # '[dose] -> [antioxidants]' repeats the '<-' relation: merged, as Argdown does.
    assert by["Untitled-1"].text == (
        "Plain text is a statement [not a title] with an escaped #hash and a link.")


def test_document_view_counts_like_argdown() -> None:
    doc = parse_argdown_document((DATA / "tea.argdown").read_text(encoding="utf-8"))
    assert doc.statements == ("tea", "antioxidants", "dose", "brushing", "coffee", "Untitled 1")
    assert doc.arguments == ("stains",)
    assert [(r.type, r.from_title, r.to_title) for r in doc.relations] == [
        ("support", "antioxidants", "tea"), ("attack", "dose", "antioxidants"),
        ("attack", "stains", "tea"), ("undercut", "brushing", "stains"),
        ("contradictory", "tea", "coffee"), ("support", "stains", "coffee")]


def test_premise_conclusion_structures() -> None:
    doc = parse_argdown_document((DATA / "pcs.argdown").read_text(encoding="utf-8"))
    assert doc.pcs == {"Caffeine": (("caffeine", "Untitled 1"), "awake"),
                       "Untitled 2": (("Untitled 3", "Untitled 4"), "Untitled 5")}
    assert doc.inferences == {"Caffeine": ("modus ponens",), "Untitled 2": ("",)}
    m = doc.to_map()
    by = {n.id: n for n in m.nodes}
    # Premises support the argument together (one linked group), the argument its conclusion.
    assert [(by[p].parent, by[p].stance, by[p].link) for p in ("caffeine", "Untitled-1")] == [
        ("Caffeine", "pro", "Caffeine")] * 2
    assert (by["Caffeine"].parent, by["Caffeine"].stance) == ("awake", "pro")
    assert by["Caffeine"].text == "Coffee keeps you awake."
    assert by["Untitled-2"].text == "Argument for: Its conclusion."
    assert m.relations == (Relation("awake", "attacks", "sleep"),)


def test_outgoing_relation_of_reconstructed_argument_starts_at_its_conclusion() -> None:
    doc = parse_argdown_document("[s]: S.\n  + <a>\n\n<a>\n\n(1) P.\n----\n(2) [c]: C.\n")
    assert [(r.type, r.from_title, r.to_title) for r in doc.relations] == [("support", "c", "s")]


def test_strict_mode_types() -> None:
    doc = parse_argdown_document((DATA / "strict.argdown").read_text(encoding="utf-8"))
    assert [r.type for r in doc.relations] == ["contrary", "entails"]
    m = doc.to_map()
    assert [(n.id, n.stance) for n in m.nodes] == [("h1", None), ("h2", "con"), ("e", "pro")]


def test_windows_line_endings_and_bom(tmp_path: Path) -> None:
    p = tmp_path / "crlf.argdown"
    p.write_bytes("\ufeff[a]: A.\r\n  + [b]: B\r\n  continued.\r\n".encode())
    m = read_argdown(p)
    assert [(n.id, n.text, n.parent) for n in m.nodes] == [("a", "A.", None), ("b", "B continued.", "a")]


def test_comments_are_not_blank_lines() -> None:
    m = parse_argdown("a // note\n<!-- one\ntwo -->\n  + b /* x */\n  - c\n")
    assert [(n.text, n.parent, n.stance) for n in m.nodes] == [
        ("a", None, None), ("b", "Untitled-1", "pro"), ("c", "Untitled-1", "con")]


def test_dedent_between_levels_goes_to_the_enclosing_level() -> None:
    # As Argdown's lexer does: G at an indent between A's children and D's is A's child.
    doc = parse_argdown_document("A\n  + B\n  - C\n      <+ D\n    -> G\n")
    assert ("attack", "Untitled 1", "Untitled 5") in {(r.type, r.from_title, r.to_title)
                                                      for r in doc.relations}


def test_ids_from_titles() -> None:
    m = parse_argdown("[Statement 1]: A.\n  + <Statement 1>: B.\n  - [Ärger über Köln]: C.\n")
    assert [n.id for n in m.nodes] == ["Statement-1", "Statement-1-2", "Arger-uber-Koln"]


def test_undercut_of_a_contention_becomes_an_attack() -> None:
    m = parse_argdown("<a>: A.\n  _ [b]: B.\n")
    assert m.relations == (Relation("b", "attacks", "a"),)


def test_unknown_source_in_metadata_is_added_to_sources() -> None:
    m = parse_argdown('[a]: A. {source: "C1a", isInMap: false}\n')
    assert m.nodes[0].source == "C1a"
    assert m.sources == (Source("C1a"),)


_ERRORS = [
    ("a\n\n    + b\n", 3, "no statement or argument above it"),
    ("+ b\n", 1, "no statement or argument above it"),
    ("# Heading\n  + b\n", 2, "a relation must follow"),
    ("a\n----\nb\n", 2, "inference line must follow numbered premises"),
    ("(1) <A>: x\n----\n(2) c\n", 1, "argument cannot be a premise"),
    ("(1) a\n(2) b\n", 1, "no inference line"),
    ("(1) a\n----\n", 1, "missing conclusion"),
    ("a\n<!-- open\n", 2, "comment '<!--' is not closed"),
    ("x\n/* open\n", 2, "comment '/*' is not closed"),
    ("a <!-- open\nb // later comment\n", 1, "comment '<!--' is not closed"),
    ("===\ntitle: x\n", 1, "front matter that starts here is not closed"),
    ("===\ntitle: [x\n===\n", 2, "cannot read the front matter"),
    ("[a]: text {author: [}\n", 1, "cannot read the metadata"),
    ("[a]: text {b} more\n", 1, "'{' in the middle of a text"),
    ("--\nrule\n", 1, "has no closing '--'"),
    ("===\nargkit: {sources: 5}\n===\n[a]: A.\n", 1, "'sources' in the front matter must be a list"),
    ("===\nargkit: {reference: maybe}\n===\n[a]: A.\n", 1, "must be true or false"),
    ("===\nargkit: {order: [a, a]}\n===\n[a]: A.\n", 1, "must list every node id once"),
    ("[a]: A. {quote: {page: 3}}\n", 1, "'quote' in metadata needs a 'text'"),
    ("[a]: A. {tags: one}\n", 1, "'tags' in metadata must be a list"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), _ERRORS)
def test_unsupported_constructs_say_where_and_what_to_do(text: str, line: int, fragment: str) -> None:
    with pytest.raises(MapSyntaxError) as e:
        parse_argdown(text, "x.argdown")
    assert e.value.line == line
    assert fragment in str(e.value)
    assert str(e.value).startswith(f"x.argdown:{line}")
    assert e.value.diagnostic.fix  # always says what to do


def test_invalid_map_from_valid_argdown() -> None:
    with pytest.raises(argkit.InvalidMapError, match="too long"):
        parse_argdown("[a]: " + "x" * 2500 + "\n")


def test_missing_file() -> None:
    with pytest.raises(MapSyntaxError, match="no such file"):
        read_argdown(DATA / "nope.argdown")


# -- generating and round trips ----------------------------------------------------------------------
_FULL = ArgumentMap(
    title="Tea: a debate",
    description="Two lines\nof description.",
    reference=True,
    sources=(Source("blog", author="A. Writer", title="On tea", year=2020, url="https://x.org/a//b"),),
    nodes=(
        Node("t", "Tea is good.", author="Ana", source="blog", tags=("thesis",)),
        Node("r1", "It is tasty [really] #1 {yes}.", parent="t", stance="pro", link="g",
             quote=Quote("tasty <!-- not a comment -->", endnote="3", page="p. 4", source="blog")),
        Node("r2", "And warm // not a comment /* nor this */", parent="t", stance="pro", link="g"),
        Node("o", "  It stains teeth.", parent="t", stance="con", tags=("argument", "two words")),
        Node("b", "Brush.\nTwice a day.", parent="o", stance="con", added_by="ben", tags=("x)y", "")),
        Node("e", "A study \\ says so.", parent="r1", stance="pro", basis="statistic",
             tags=("data", "argument")),
    ),
    relations=(Relation("b", "undercuts", "r1"), Relation("e", "attacks", "o"),
               Relation("t", "supports", "e")),
)


def test_generate_reads_back_equal_with_every_field() -> None:
    text = generate_argdown(_FULL)
    assert parse_argdown(text) == _FULL
    assert "[t]: Tea is good. #thesis" in text
    assert "  - <o>: " in text and "  + [r1]: It is tasty \\[really\\] \\#1 \\{yes\\}." in text


def test_generate_keeps_node_order_that_is_not_reading_order() -> None:
    m = replace(_FULL, nodes=tuple(reversed(_FULL.nodes)))
    assert parse_argdown(generate_argdown(m)) == m


def test_write_and_read(tmp_path: Path) -> None:
    p = tmp_path / "sub" / "tea.argdown"
    write_argdown(_FULL, p)
    assert read_argdown(p) == _FULL
    assert [f.name for f in p.parent.iterdir()] == ["tea.argdown"]  # no temporary file left


def test_generate_refuses_what_it_cannot_write() -> None:
    overlay = ArgumentMap("o", (Node("x", "X.", parent="elsewhere", stance="pro"),), extends="base.yaml")
    with pytest.raises(ArgdownWriteError, match=r"argkit\.load"):
        generate_argdown(overlay)
    dangling = replace(_FULL, relations=(Relation("t", "attacks", "gone"),))
    with pytest.raises(ArgdownWriteError, match="'gone'"):
        generate_argdown(dangling)
    twice = replace(_FULL, relations=(*_FULL.relations, _FULL.relations[0]))
    with pytest.raises(ArgdownWriteError, match="written twice"):
        generate_argdown(twice)


def test_course_maps_round_trip() -> None:
    maps = sorted(ARGMAPS.glob("*.yaml"))
    if not maps:
        pytest.skip("argmaps/ has no course maps yet")
    for path in maps:
        m = argkit.load(path)
        assert parse_argdown(generate_argdown(m)) == m, path.name


def _unique_relations(m: ArgumentMap) -> ArgumentMap:
    # Argdown merges repeated relations, so a map that repeats one cannot come back the same.
    tree = {(n.id, "supports" if n.stance == "pro" else "attacks", n.parent) for n in m.nodes if n.parent}
    rels: list[Relation] = []
    for r in m.relations:
        if r not in rels and (r.from_id, r.type, r.to_id) not in tree:
            rels.append(r)
    return replace(m, relations=tuple(rels))


_AWKWARD = st.sampled_from([" lead", "trail ", "a  b", "x\ny", "#tag", "[t]: x", "a // b", "<!-- c -->",
                            "{a: 1}", "\\[", "(1) x", "- y", "tab\there", "@[mention]", "\"q\" 'q'"])
_TAGS = st.one_of(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), claim_texts(12),
                  st.sampled_from(["argument", "two words", "a)b(", " pad", "x\ny"]))


@st.composite
def _maps(draw: st.DrawFn) -> ArgumentMap:
    m = _unique_relations(draw(argument_maps(texts=st.one_of(claim_texts(), _AWKWARD))))
    nodes = tuple(replace(n, tags=tuple(dict.fromkeys(draw(st.lists(_TAGS, max_size=3)))))
                  for n in m.nodes)
    if draw(st.booleans()):
        nodes = tuple(reversed(nodes))
    return replace(m, nodes=nodes, title=draw(claim_texts()), description=draw(st.none() | claim_texts()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_maps())
def test_round_trip_property(m: ArgumentMap) -> None:
    assert parse_argdown(generate_argdown(m)) == m


def test_module_is_lazy_export() -> None:
    assert argkit.parse_argdown is argdown.parse_argdown
    assert argkit.generate_argdown is argdown.generate_argdown


def _plain_key(k: str) -> bool:  # not a word YAML reads as something else (on, no, null...)
    import yaml

    return yaml.safe_load(k) == k


def _allowed_text(**kw: int) -> st.SearchStrategy[str]:
    from argkit import _io  # characters every map refuses (controls, bidi, lone surrogates)

    return st.text(**kw).filter(lambda t: not _io.REFUSED.search(t) and "\r" not in t)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(_plain_key),
                       st.one_of(_allowed_text(), st.integers(-10**6, 10**6), st.booleans(),
                                 st.lists(_allowed_text(max_size=5), max_size=3)), max_size=4))
def test_metadata_the_writer_writes_reads_back_as_yaml(d: dict) -> None:
    import yaml

    from argkit.argdown import lexer, writer

    text = writer._flow(d)
    assert lexer.read_metadata(text, None, 1, "metadata") == yaml.safe_load(text) == d


# -- hostile input (issue 16's Argdown findings) -------------------------------------------------
@pytest.mark.parametrize("text, message", [
    ("===\nargkit: {sources: [{id: null}]}\n===\n[t]: Tea.\n", "needs an 'id'"),
    ("===\nargkit: {sources: [{id: ''}]}\n===\n[t]: Tea.\n", "needs an 'id'"),
    ("[t]: Tea. {author: \"a\\0b\"}\n", "invisible character U+0000"),
    ("[t]: Tea\x00.\n", "invisible character U+0000 (NUL)"),
    ("===\ntitle: \x07\n===\n[t]: Tea.\n", "U+0007 (BEL)"),
    ("[t]: Tea. " + "{a: " * 1000 + "\n", "a '{' in the middle of a text"),
    ("[t]: Tea. " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", "nested too deeply"),
    ("===\ntitle: x\nargkit: " + "{a: " * 1000 + "\n===\n[t]: Tea.\n", "nested too deeply"),
    ("[t]: Tea. {author: " + "9" * 4400 + "}\n", "too many digits"),
    ("===\nargkit: {sources: [{id: s, year: " + "9" * 5000 + "}]}\n===\n[t]: Tea.\n", "too many digits"),
    ("[t]: Tea. {author: !!int abc}\n", "cannot read 'abc' as int"),
])
def test_hostile_metadata_is_a_syntax_error_with_a_line(text: str, message: str) -> None:
    with pytest.raises(MapSyntaxError, match=re.escape(message)) as e:
        parse_argdown(text)
    assert e.value.line is not None


def test_dates_in_metadata_stay_text_as_written() -> None:
    m = parse_argdown("[t]: Tea. {author: 2001-13-45, added_by: 2001-12-14, source: !!timestamp x}\n")
    assert (m.node("t").author, m.node("t").added_by) == ("2001-13-45", "2001-12-14")


def test_a_long_chain_reads_and_its_loops_are_still_refused() -> None:
    # Each block links one more claim under the one before: 3,000 links, and the last one would
    # close a loop (issue 16: the loop check walked the whole chain for every link).
    n = 3000
    text = "\n".join(f"[s{i}]: Claim {i}.\n  + [s{i + 1}]: Claim {i + 1}.\n" for i in range(n))
    text += f"\n[s{n}]\n  + [s0]\n"
    m = parse_argdown(text)
    assert m.node(f"s{n}").parent == f"s{n - 1}" and m.node("s0").parent is None
    assert Relation("s0", "supports", f"s{n}") in m.relations  # the closing link stays a cross-relation
    assert m.kind(f"s{n}") == "reason"


@pytest.mark.parametrize("front", ["reference: true", "reference: TRUE", "reference: yes", "reference: on",
                                   "reference: !!bool true", '"reference": true', "reference : true",
                                   "argkit: {reference: true}"])
def test_reference_front_matter_in_any_spelling(front: str, tmp_path: Path) -> None:
    text = f"===\n{front}\n===\n[t]: Tea.\n"
    assert argdown.is_reference(text)
    assert parse_argdown(text).reference is True
    target = tmp_path / "course.argdown"
    target.write_text(text, encoding="utf-8")
    source = tmp_path / "mine.yaml"
    source.write_text("title: Mine\nnodes:\n- id: m\n  text: Mine.\n", encoding="utf-8")
    with pytest.raises(argkit.ReferenceMapError, match="reference material"):
        _convert(source, target)
    assert target.read_text(encoding="utf-8") == text
    _convert(source, target, force=True)
    assert "[m]: Mine." in target.read_text(encoding="utf-8")


def _convert(a: Path, b: Path, force: bool = False) -> None:
    from argkit.convert import convert

    convert(a, b, force=force)


def test_not_reference_material() -> None:
    for text in ("[t]: Tea.\n", "===\nreference: false\n===\n[t]: T.\n", "===\nreference: [\n===\n",
                 "===\nargkit: {reference: 'yes'}\n===\n[t]: T.\n"):
        assert not argdown.is_reference(text)
