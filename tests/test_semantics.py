"""Tests for argkit.semantics (argkit.evaluate): grounded labelling against a textbook oracle, and hand examples."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argkit.cli import main
from argkit.model import ArgumentMap, Node, Relation
from argkit.semantics import REJECTED, Labelling, attack_graph, evaluate
from strategies import argument_maps

SETTINGS = settings(max_examples=80, deadline=None)


# -- the oracles: literal textbook definitions, no cleverness ----------------------------------
def grounded_dung(arguments, attacks):
    """Dung (1995), Def. 20: the least fixed point of F(S) = {a | every attacker of a is
    attacked by S}, iterated from the empty set."""
    def attackers(a):
        return {b for (b, c) in attacks if c == a}

    def F(S):
        return {a for a in arguments if all(attackers(b) & S for b in attackers(a))}

    S: set = set()
    while F(S) != S:
        S = F(S)
    IN = S
    OUT = {a for a in arguments if attackers(a) & IN}
    return {a: "IN" if a in IN else "OUT" if a in OUT else "UNDEC" for a in arguments}


def grounded_setaf(arguments, attacks):
    """Nielsen & Parsons (2006): the same, where an attack is a *set* of arguments. S attacks b
    if some attacking set of b lies inside S; F(S) = {a | every attacking set of a has a member
    that S attacks}."""
    def sets_on(a):
        return [set(B) for (B, t) in attacks if t == a]

    def attacks_(S, b):
        return any(B <= S for B in sets_on(b))

    def F(S):
        return {a for a in arguments if all(any(attacks_(S, b) for b in B) for B in sets_on(a))}

    S: set = set()
    while F(S) != S:
        S = F(S)
    IN = S
    OUT = {a for a in arguments if attacks_(IN, a)}
    return {a: "IN" if a in IN else "OUT" if a in OUT else "UNDEC" for a in arguments}


def documented_attacks(m, reject=(), accept=()):
    """The attack sets the evaluate module's docstring describes, built from its words."""
    ids = [n.id for n in m.nodes]
    undercut_groups = {}  # (parent, stance, link or id) -> inference argument name
    def group(n):
        key = (n.parent, n.stance, n.link or n.id)
        members = [c.id for c in m.children(n.parent) if c.link is not None and
                   (c.parent, c.stance, c.link) == (n.parent, n.stance, n.link)] if n.link else [n.id]
        return key, members
    for r in m.relations:
        if r.type == "undercuts":
            key, members = group(m.node(r.to_id))
            undercut_groups.setdefault(key, f"inference:{members[0]}")
    out = set()
    for n in m.nodes:
        if n.parent is not None and n.stance == "con":
            key, members = group(n)
            extra = (undercut_groups[key],) if key in undercut_groups else ()
            out.add((frozenset(members) | frozenset(extra), n.parent))   # rule 1 (+ rule 2)
    for r in m.relations:
        if r.type == "undercuts":
            out.add((frozenset([r.from_id]), undercut_groups[group(m.node(r.to_id))[0]]))  # rule 2
        elif r.type == "attacks":
            out.add((frozenset([r.from_id]), r.to_id))   # rule 3; supports: rule 4, nothing
    out = {(B, t) for (B, t) in out if t not in set(accept)}   # rule 5
    out |= {(frozenset([REJECTED]), x) for x in reject}
    args = set(ids) | set(undercut_groups.values()) | ({REJECTED} if reject else set())
    return args, out


@st.composite
def maps_with_what_if(draw, **kw):
    m = draw(argument_maps(**kw))
    ids = [n.id for n in m.nodes]
    reject = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    accept = draw(st.lists(st.sampled_from([i for i in ids if i not in reject] or ids),
                           max_size=2, unique=True))
    accept = [a for a in accept if a not in reject]
    return m, reject, accept


# -- properties ---------------------------------------------------------------------------------
@SETTINGS
@given(maps_with_what_if())
def test_the_framework_is_the_documented_one(case):
    m, reject, accept = case
    g = attack_graph(m, reject=reject, accept=accept)
    args, attacks = documented_attacks(m, reject, accept)
    assert set(g.arguments) == args
    assert {(a.attackers, a.target) for a in g.attacks} == attacks


@SETTINGS
@given(maps_with_what_if())
def test_labelling_is_the_least_fixed_point(case):
    m, reject, accept = case
    g = attack_graph(m, reject=reject, accept=accept)
    expected = grounded_setaf(g.arguments, _pairs(g))
    lab = evaluate(m, reject=reject, accept=accept)
    assert dict(lab.labels) == {n.id: expected[n.id] for n in m.nodes}
    for node_id, label in lab.inferences.items():
        inference = next((a for a in g.arguments if a == f"inference:{node_id}"), None)
        group_args = [a for a in g.arguments if a.startswith("inference:")
                      and node_id in _members(m, a)]
        want = expected[group_args[0]] if group_args else "IN"
        assert label == want, (node_id, inference)


def _pairs(g):
    return [(a.attackers, a.target) for a in g.attacks]


def _members(m, inference_arg):
    first = m.node(inference_arg.removeprefix("inference:"))
    return [c.id for c in m.co_premises(first.id)]


@SETTINGS
@given(argument_maps(links=False, undercuts=False))
def test_without_links_or_undercuts_it_is_plain_dung(m):
    g = attack_graph(m)
    assert all(len(B) == 1 for B, _ in _pairs(g))
    attacks = {(next(iter(B)), t) for B, t in _pairs(g)}
    assert dict(evaluate(m).labels) == grounded_dung(g.arguments, attacks)


@SETTINGS
@given(maps_with_what_if())
def test_labelling_is_conflict_free_and_complete(case):
    m, reject, accept = case
    g = attack_graph(m, reject=reject, accept=accept)
    lab = evaluate(m, reject=reject, accept=accept)
    full = dict(lab.labels)
    full.update(grounded_setaf(g.arguments, _pairs(g)))  # labels of the auxiliary arguments
    full.update(lab.labels)
    for a in g.arguments:
        sets = [B for B, t in _pairs(g) if t == a]
        if full[a] == "IN":
            assert all(any(full[b] == "OUT" for b in B) for B in sets), a
        if full[a] == "OUT":
            assert any(all(full[b] == "IN" for b in B) for B in sets), a
        if full[a] == "UNDEC":
            assert not any(all(full[b] == "IN" for b in B) for B in sets)
            assert not all(any(full[b] == "OUT" for b in B) for B in sets)
    for B, t in _pairs(g):  # conflict-free: no attack from inside IN onto IN
        assert not (all(full[b] == "IN" for b in B) and full[t] == "IN")
    assert all(lab.label(x) == "OUT" for x in reject)
    assert all(lab.label(x) == "IN" for x in accept)


@SETTINGS
@given(maps_with_what_if())
def test_every_claim_has_a_one_line_explanation_starting_with_its_label(case):
    m, reject, accept = case
    lab = evaluate(m, reject=reject, accept=accept)
    for n in m.nodes:
        text = lab.explain(n.id)
        assert text.startswith(lab.label(n.id) + " because "), text
        assert "\n" not in text and "?" not in text.split(" because ")[1][:1]
    assert len(lab.to_text().splitlines()) == len(m.nodes)


# -- hand examples ----------------------------------------------------------------------------
def tree(*rows, relations=()):
    """Nodes as (id, parent, stance[, author[, link]]) rows."""
    nodes = []
    for row in rows:
        node_id, parent, stance, *rest = row
        nodes.append(Node(node_id, f"Claim {node_id}.", parent=parent, stance=stance,
                          author=rest[0] if rest else None, link=rest[1] if len(rest) > 1 else None))
    return ArgumentMap("Hand", tuple(nodes), tuple(Relation(*r) for r in relations))


COX = tree(
    ("cox", None, None, "Michael Cox"),
    ("r1", "cox", "pro", "Michael Cox"),
    ("k2", "cox", "con", "Charles Kupchan"),
    ("rad", "k2", "con", "Sergey Radchenko"),
)


def test_reinstatement_chain():
    lab = evaluate(COX)
    assert dict(lab.labels) == {"cox": "IN", "r1": "IN", "k2": "OUT", "rad": "IN"}
    assert lab.explain("k2") == "OUT because rebuttal rad (Radchenko) is IN"
    assert lab.explain("cox") == "IN because no attack on it stands: objection k2 (Kupchan) is OUT"
    assert lab.explain("rad") == "IN because nothing attacks it"


def test_rejecting_the_rebuttal_brings_the_objection_back():
    lab = evaluate(COX, reject=["rad"])
    assert lab.label("k2") == "IN"
    assert lab.explain("cox") == "OUT because objection k2 (Kupchan) is IN"
    assert lab.explain("rad") == "OUT because you reject it"
    assert evaluate(COX).changes(lab) == {"cox": ("IN", "OUT"), "k2": ("OUT", "IN"), "rad": ("IN", "OUT")}


def test_accepting_a_claim_makes_it_unattackable():
    m = COX.add(Node("k3", "Counter.", parent="rad", stance="con", author="Charles Kupchan"))
    assert [evaluate(m).label(i) for i in ("cox", "k2", "rad", "k3")] == ["OUT", "IN", "OUT", "IN"]
    lab = evaluate(m, accept=["rad"])
    assert [lab.label(i) for i in ("cox", "k2", "rad", "k3")] == ["IN", "OUT", "IN", "IN"]
    assert lab.explain("rad") == "IN because you accept it (nothing can attack it)"
    assert repr(lab) == "Labelling(IN=4, OUT=1, UNDEC=0, accept=('rad',))"


def test_odd_cycle_of_attacks_is_undecided():
    m = tree(("t", None, None), ("a", "t", "con"), ("b", "t", "con"), ("c", "t", "con"),
             relations=[("a", "attacks", "b"), ("b", "attacks", "c"), ("c", "attacks", "a")])
    lab = evaluate(m)
    assert set(lab.labels.values()) == {"UNDEC"}
    assert lab.explain("a") == "UNDEC because c, which attacks it, is UNDEC, and no attack on it is IN"
    assert lab.explain("t").startswith("UNDEC because objection a is UNDEC; objection b is UNDEC")
    # breaking the cycle by rejecting one claim decides everything
    lab = evaluate(m, reject=["c"])
    assert [lab.label(i) for i in "tabc"] == ["OUT", "IN", "OUT", "OUT"]


def test_even_cycle_is_undecided_and_a_self_attack_too():
    m = tree(("t", None, None), ("a", "t", "con"), ("b", "a", "con"),
             relations=[("a", "attacks", "b"), ("b", "attacks", "a")])
    assert set(evaluate(m).labels.values()) == {"UNDEC"}
    m = tree(("t", None, None), ("a", "t", "con"), relations=[("a", "attacks", "a")])
    assert dict(evaluate(m).labels) == {"t": "UNDEC", "a": "UNDEC"}


def test_an_undercut_disables_the_attack_but_not_the_claim():
    m = tree(("t", None, None), ("o", "t", "con", "Charles Kupchan"), ("u", "t", "pro", "Bobo Lo"),
             relations=[("u", "undercuts", "o")])
    lab = evaluate(m)
    assert dict(lab.labels) == {"t": "IN", "o": "IN", "u": "IN"}
    assert lab.inferences == {"o": "OUT", "u": "IN"}
    assert lab.explain("t") == ("IN because no attack on it stands: "
                                "objection o (Kupchan) is undercut by u (Lo)")
    assert lab.explain("o") == "IN because nothing attacks it; its attack on t is undercut by u (Lo)"
    lab = evaluate(m, reject=["u"])
    assert lab.label("t") == "OUT" and lab.inferences["o"] == "IN"


def test_an_undercut_of_a_linked_group_cuts_the_whole_group():
    m = tree(("t", None, None), ("o1", "t", "con", None, "g"), ("o2", "t", "con", None, "g"),
             ("u", "o2", "pro"), relations=[("u", "undercuts", "o1")])
    lab = evaluate(m)
    assert lab.label("t") == "IN"
    assert lab.inferences["o1"] == lab.inferences["o2"] == "OUT"


def test_linked_objection_needs_every_co_premise():
    rows = [("t", None, None), ("o1", "t", "con", "Charles Kupchan", "g"),
            ("o2", "t", "con", "Charles Kupchan", "g")]
    lab = evaluate(tree(*rows))
    assert lab.label("t") == "OUT"
    assert lab.explain("t") == "OUT because linked objection o1 + o2 holds (all its co-premises are IN)"
    lab = evaluate(tree(*rows, ("b", "o2", "con")))
    assert [lab.label(i) for i in ("t", "o1", "o2", "b")] == ["IN", "IN", "OUT", "IN"]
    assert lab.explain("t") == "IN because no attack on it stands: linked objection o1 + o2 fails (o2 is OUT)"


def test_support_neither_defeats_nor_defends():
    # a claim whose only reason is OUT is still IN ...
    m = tree(("t", None, None), ("r", "t", "pro"), ("o", "r", "con"))
    assert [evaluate(m).label(i) for i in "tro"] == ["IN", "OUT", "IN"]
    # ... and a reason that is IN does not save its parent from an objection that is IN
    m = tree(("t", None, None), ("r", "t", "pro"), ("o", "t", "con"), relations=[("r", "supports", "t")])
    assert [evaluate(m).label(i) for i in "tro"] == ["OUT", "IN", "IN"]


def test_a_linked_reason_explains_when_it_does_not_hold():
    m = tree(("t", None, None), ("r1", "t", "pro", None, "g"), ("r2", "t", "pro", None, "g"),
             ("o", "r2", "con"))
    lab = evaluate(m)
    assert lab.label("t") == "IN"
    assert lab.explain("r1") == ("IN because nothing attacks it; "
                                 "the linked reason r1 + r2 does not hold (r2 not IN)")


def test_unknown_or_contradictory_what_if_is_refused_with_a_clear_message():
    with pytest.raises(KeyError, match="no node 'zz'"):
        evaluate(COX, reject=["zz"])
    with pytest.raises(ValueError, match="both accept and reject 'rad'"):
        evaluate(COX, reject=["rad"], accept=["rad"])
    with pytest.raises(KeyError, match="no claim 'zz'"):
        evaluate(COX).label("zz")
    with pytest.raises(ValueError, match="unknown label"):
        evaluate(COX).ids("in")


def test_labelling_api_and_stable_repr():
    lab = evaluate(COX, reject=iter(["rad"]))  # any iterable, consumed once
    assert lab.reject == ("rad",)
    assert repr(lab) == "Labelling(IN=2, OUT=2, UNDEC=0, reject=('rad',))"
    assert "0x" not in repr(lab) and "0x" not in repr(lab.explanations)
    assert lab.ids("OUT") == ("cox", "rad") and lab.counts() == {"IN": 2, "OUT": 2, "UNDEC": 0}
    assert lab == evaluate(COX, reject=["rad"]) and lab != evaluate(COX)
    assert isinstance(lab, Labelling) and set(lab.explanations) == set(lab.labels)
    assert lab.to_text().splitlines() == [
        "OUT    cox  Claim cox. — objection k2 (Kupchan) is IN",
        "IN       r1  Claim r1. — nothing attacks it",
        "IN       k2  Claim k2. — no attack on it stands: rebuttal rad (Radchenko) is OUT",
        "OUT        rad  Claim rad. — you reject it",
    ]


def test_deep_chains_do_not_recurse():
    rows = [("n0", None, None), *((f"n{i}", f"n{i - 1}", "con") for i in range(1, 5000))]
    lab = evaluate(tree(*rows))
    assert lab.label("n4999") == "IN" and lab.label("n0") == "OUT"
    assert lab.explain("n1").startswith("IN because no attack on it stands: rebuttal n2")


# -- the command line -------------------------------------------------------------------------
COX_YAML = textwrap.dedent("""\
    title: Cox, briefly
    nodes:
    - id: cox
      author: Michael Cox
      text: The China-Russia partnership is deep and lasting.
    - id: k2
      parent: cox
      stance: con
      author: Charles Kupchan
      text: Russia will not accept being China's junior partner.
    - id: rad
      parent: k2
      stance: con
      author: Sergey Radchenko
      text: Moscow has already accepted the junior role.
    """)


def test_cli_evaluate_with_reject(tmp_path, capsys):
    f = tmp_path / "cox.yaml"
    f.write_text(COX_YAML, encoding="utf-8")
    assert main(["evaluate", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("IN     cox  The China-Russia partnership")
    assert main(["evaluate", str(f), "--reject", "rad"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("— objection k2 (Kupchan) is IN") and lines[0].startswith("OUT")
    assert lines[2].endswith("— you reject it")


def test_cli_evaluate_bad_input_exits_without_traceback(tmp_path, capsys):
    f = tmp_path / "cox.yaml"
    f.write_text(COX_YAML, encoding="utf-8")
    assert main(["evaluate", str(f), "--reject", "nope"]) == 2
    assert "no node 'nope'" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nnodes:\n- id: a\n  text: [unclosed\n", encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err


def test_import_argkit_stays_light():
    import subprocess
    import sys
    code = "import argkit, sys; argkit.evaluate; print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"



def test_argkit_evaluate_stays_the_function_after_the_module_is_imported():
    import importlib

    import argkit

    first = argkit.evaluate(COX)
    mod = importlib.import_module("argkit.semantics")
    assert argkit.evaluate is mod.evaluate
    assert argkit.evaluate(COX, reject=["rad"]).label("cox") == "OUT"
    assert mod.evaluate(COX) == first


def test_an_undecided_undercutter_leaves_the_step_open_and_says_so():
    # u undercuts o's attack on t, but u and v attack each other: u is UNDEC, so is o's step
    m = tree(("t", None, None), ("o", "t", "con", "Charles Kupchan"), ("u", "t", "pro", "Bobo Lo"), ("v", "t", "pro"),
             relations=[("u", "undercuts", "o"), ("u", "attacks", "v"), ("v", "attacks", "u")])
    lab = evaluate(m)
    assert dict(lab.labels) == {"t": "UNDEC", "o": "IN", "u": "UNDEC", "v": "UNDEC"}
    assert lab.inferences["o"] == "UNDEC"
    assert lab.explain("t") == ("UNDEC because objection o (Kupchan) may be undercut (its undercutter is UNDEC), "
                                "and no attack on it is IN")
    assert lab.explain("o") == "IN because nothing attacks it; its attack on t may be undercut (undecided)"
    assert lab.reason("u") == "v, which attacks it, is UNDEC, and no attack on it is IN"


def test_an_unknown_claim_in_a_labelling_is_an_argkit_error_and_a_key_error():
    from argkit.errors import UnknownClaimError

    lab = evaluate(tree(("t", None, None), ("o", "t", "con")))
    for ask in (lab.explain, lab.reason):
        with pytest.raises(UnknownClaimError, match="no claim 'zz' in this labelling") as e:
            ask("zz")
        assert isinstance(e.value, KeyError) and e.value.claim_id == "zz"
    assert len(lab.explanations) == 2 and list(lab.explanations) == ["t", "o"]
    assert "o" in lab.explanations and "zz" not in lab.explanations
    with pytest.raises(KeyError):
        lab.explanations["zz"]


def test_labellings_compare_by_labels_not_identity():
    m = tree(("t", None, None), ("o", "t", "con"))
    assert evaluate(m) == evaluate(m) and evaluate(m) != evaluate(m, reject=["o"])
    assert evaluate(m) != {"t": "OUT", "o": "IN"}


def test_a_map_built_in_code_with_duplicate_ids_or_dangling_relations_is_evaluated_as_validate_reads_it():
    # validate() reports both; evaluate() of the unchecked map takes the first of each id and
    # ignores relations to claims that are not there, instead of failing.
    m = ArgumentMap("H", (Node("t", "T."), Node("o", "O.", parent="t", stance="con"),
                          Node("o", "P.", parent="t", stance="pro")),
                    (Relation("o", "attacks", "ghost"), Relation("ghost", "attacks", "t")))
    lab = evaluate(m)
    assert dict(lab.labels) == {"t": "OUT", "o": "IN"} and lab.explain("t") == "OUT because objection o is IN"
