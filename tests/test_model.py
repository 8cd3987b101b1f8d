"""The model: kinds derived as Rationale does, immutable operations."""

from __future__ import annotations

import dataclasses

import pytest

from argkit.model import ArgumentMap, Node, Relation

M = ArgumentMap("Tea", (
    Node("t", "Tea is good."),
    Node("r", "It is tasty.", parent="t", stance="pro"),
    Node("e", "9 in 10 like it.", parent="r", stance="pro", basis="statistic"),
    Node("o", "It stains teeth.", parent="t", stance="con"),
    Node("b", "Brushing helps.", parent="o", stance="con"),
    Node("bo", "Not everyone brushes.", parent="b", stance="con"),
    Node("p1", "Tea has caffeine.", parent="t", stance="pro", link="g"),
    Node("p2", "Caffeine wakes you.", parent="t", stance="pro", link="g"),
), relations=(Relation("b", "attacks", "t"),))


def test_kinds_are_derived_from_stance_and_parent():
    assert {n.id: M.kind(n.id) for n in M.nodes} == {
        "t": "contention", "r": "reason", "e": "evidence", "o": "objection", "b": "rebuttal",
        "bo": "objection", "p1": "reason", "p2": "reason"}


def test_linked_co_premises_are_kept_together():
    assert [n.id for n in M.co_premises("p1")] == ["p1", "p2"]
    assert [n.id for n in M.co_premises("r")] == ["r"]


def test_walk_is_preorder_in_file_order():
    assert [(n.id, d) for n, d in M.walk()] == [
        ("t", 0), ("r", 1), ("e", 2), ("o", 1), ("b", 2), ("bo", 3), ("p1", 1), ("p2", 1)]
    assert [n.id for n in M.ancestors("bo")] == ["b", "o", "t"]


def test_operations_return_new_maps_and_leave_the_old_one_alone():
    m2 = M.add(Node("x", "Too hot.", parent="t", stance="con", added_by="ana"))
    assert "x" in m2 and "x" not in M and len(m2) == len(M) + 1
    m3 = m2.remove("o")
    assert [n.id for n in m3.nodes if n.id in ("o", "b", "bo")] == []
    assert m3.relations == ()  # the relation from the removed rebuttal went with it
    m4 = M.replace_node(dataclasses.replace(M.node("r"), text="Delicious."))
    assert m4.node("r").text == "Delicious." and M.node("r").text == "It is tasty."
    with pytest.raises(dataclasses.FrozenInstanceError):
        M.node("t").text = "changed"  # type: ignore[misc]


def test_add_refuses_clashes_and_unknown_parents():
    with pytest.raises(ValueError, match="already exists"):
        M.add(Node("t", "again"))
    with pytest.raises(ValueError, match="no node 'zz'"):
        M.add(Node("y", "orphan", parent="zz", stance="pro"))
    assert M.new_id("n") == "n9"


def test_repr_is_stable():
    assert repr(M) == "ArgumentMap(title='Tea', nodes=8, relations=1)"


def test_kinds_of_a_3000_deep_chain_need_no_recursion():
    # Issue 12: the recursive kind() raised RecursionError on a chain this deep.
    nodes = [Node("n0", "Top.")]
    nodes += [Node(f"n{i}", "Claim.", parent=f"n{i - 1}", stance="con") for i in range(1, 3000)]
    m = ArgumentMap("Deep", tuple(reversed(nodes)))  # child-first, the hardest order
    assert m.kind("n2999") == "objection" and m.kind("n2998") == "rebuttal"
    assert m.kind("n1") == "objection" and m.kind("n2") == "rebuttal" and m.kind("n0") == "contention"
    assert m.kinds() is m.kinds()  # worked out once per map
    assert set(m.kinds().values()) == {"contention", "objection", "rebuttal"}


def test_kinds_follow_the_glossary_and_survive_a_parent_loop():
    from argkit.model import kind_of

    m = ArgumentMap("Loop", (
        Node("t", "Top."),
        Node("e", "A quote.", parent="t", stance="pro", basis="quote"),
        Node("a", "A.", parent="b", stance="con"),
        Node("b", "B.", parent="a", stance="con"),
        Node("s", "Self.", parent="s", stance="pro"),
    ))
    assert m.kind("e") == "evidence" and m.kind("t") == "contention"
    assert {m.kind("a"), m.kind("b")} == {"objection", "rebuttal"}
    assert m.kind("s") == "reason"
    assert kind_of(Node("x", "X."), None) == "contention"
    with pytest.raises(KeyError, match="no node 'zz'"):
        m.kind("zz")
