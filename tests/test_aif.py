"""AIF out: I-nodes for claims, RA for inferences (linked premises share one), CA for conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

import argkit
from argkit.aif import CA_TEXT, RA_TEXT, to_aif
from argkit.model import ArgumentMap, Node, Relation
from strategies import argument_maps

ARGMAPS = Path(__file__).resolve().parent.parent / "argmaps"


def _index(doc: dict) -> tuple[dict[str, dict], dict[str, list[str]], dict[str, list[str]]]:
    nodes = {n["nodeID"]: n for n in doc["nodes"]}
    into: dict[str, list[str]] = {k: [] for k in nodes}
    out: dict[str, list[str]] = {k: [] for k in nodes}
    for e in doc["edges"]:
        into[e["toID"]].append(e["fromID"])
        out[e["fromID"]].append(e["toID"])
    return nodes, into, out


def _i(doc: dict, text: str) -> str:
    return next(n["nodeID"] for n in doc["nodes"] if n["type"] == "I" and n["text"] == text)


def test_linked_premises_go_into_one_ra() -> None:
    m = ArgumentMap("Tea", (
        Node("t", "Tea is good."),
        Node("a", "Tea has antioxidants.", parent="t", stance="pro", link="g"),
        Node("b", "Antioxidants are healthy.", parent="t", stance="pro", link="g"),
        Node("c", "It is tasty.", parent="t", stance="pro"),
    ))
    doc = to_aif(m)
    nodes, into, out = _index(doc)
    ras = [k for k, n in nodes.items() if n["type"] == "RA"]
    assert len(ras) == 2
    linked = next(k for k in ras if len(into[k]) == 2)
    assert sorted(into[linked]) == sorted([_i(doc, "Tea has antioxidants."), _i(doc, "Antioxidants are healthy.")])
    assert out[linked] == [_i(doc, "Tea is good.")]
    assert all(nodes[k]["text"] == RA_TEXT for k in ras)


def test_objection_is_a_conflict_and_undercut_targets_the_inference() -> None:
    m = ArgumentMap("Tea", (
        Node("t", "Tea is good."),
        Node("r", "It is tasty.", parent="t", stance="pro"),
        Node("o", "It stains teeth.", parent="t", stance="con"),
        Node("u", "Taste is no reason.", parent="o", stance="con"),
    ), relations=(Relation("u", "undercuts", "r"), Relation("r", "attacks", "o"),
                  Relation("o", "supports", "u")))
    doc = to_aif(m)
    nodes, _into, out = _index(doc)
    ra_r = out[_i(doc, "It is tasty.")][0]  # the tree inference r -> t comes first
    assert nodes[ra_r]["type"] == "RA" and out[ra_r] == [_i(doc, "Tea is good.")]
    ca_o = out[_i(doc, "It stains teeth.")][0]
    assert nodes[ca_o]["type"] == "CA" and nodes[ca_o]["text"] == CA_TEXT
    assert out[ca_o] == [_i(doc, "Tea is good.")]
    # The undercut: u -> CA -> the RA of r (not r itself).
    undercut = [k for k in out[_i(doc, "Taste is no reason.")] if out[k] == [ra_r]]
    assert len(undercut) == 1 and nodes[undercut[0]]["type"] == "CA"
    # Cross-relations: r attacks o (CA), o supports u (RA).
    kinds = {nodes[k]["type"] for k in out[_i(doc, "It is tasty.")]}
    assert kinds == {"RA", "CA"}
    assert doc["locutions"] == []


def test_ids_are_strings_and_deterministic() -> None:
    m = ArgumentMap("Tea", (Node("t", "Tea."), Node("r", "Tasty.", parent="t", stance="pro")))
    doc = to_aif(m)
    assert doc == to_aif(m)
    assert [n["nodeID"] for n in doc["nodes"]] == ["1", "2", "3"]
    assert [e["edgeID"] for e in doc["edges"]] == ["1", "2"]
    assert set(doc) == {"nodes", "edges", "locutions"}


@settings(max_examples=50, deadline=None)
@given(argument_maps())
def test_structure_of_any_map(m: ArgumentMap) -> None:
    doc = to_aif(m)
    nodes, into, out = _index(doc)
    assert sum(n["type"] == "I" for n in doc["nodes"]) == len(m.nodes)
    assert all(e["fromID"] in nodes and e["toID"] in nodes for e in doc["edges"])
    # Every S-node has premises in and exactly one conclusion out; I-nodes never touch I-nodes.
    for k, n in nodes.items():
        if n["type"] == "I":
            assert all(nodes[x]["type"] != "I" for x in out[k] + into[k])
        else:
            assert len(out[k]) == 1 and into[k]
    groups = {(n.parent, n.stance, n.link) for n in m.nodes if n.link} | {
        n.id for n in m.nodes if n.parent and not n.link}
    assert sum(n["type"] != "I" for n in doc["nodes"]) == len(groups) + len(m.relations)
    json.dumps(doc)


def test_course_maps() -> None:
    maps = sorted(ARGMAPS.glob("*.yaml"))
    if not maps:
        pytest.skip("argmaps/ has no course maps yet")
    for path in maps:
        m = argkit.load(path)
        doc = argkit.to_aif(m)
        assert [n["text"] for n in doc["nodes"] if n["type"] == "I"] == [n.text for n in m.nodes]
