"""Evaluation: which claims survive, as a grounded labelling (IN / OUT / UNDEC) of the map.

The semantics, precisely
------------------------
A map is read as an *argumentation framework with sets of attacking arguments* (a SETAF,
Nielsen & Parsons 2006), the generalisation of Dung's (1995) abstract framework in which an attack
may need several arguments together. Its arguments are

* every claim (node) of the map;
* one *inference* for each group of claims that is undercut: the step from the claim (or its
  linked group) to its parent. In ASPIC+ terms (Modgil & Prakken 2013) it is the defeasible rule
  whose name an undercutter attacks; in AIF terms (Chesñevar et al. 2006) it is the RA/CA node.
  An inference nothing undercuts is always IN, so it is left out of the framework;
* when the student rejects claims, one extra unattacked argument *"you reject it"*.

Its attacks, each written ``{attackers} -> target``:

1. **Objections and rebuttals.** A child with stance ``con`` attacks its parent:
   ``{child} -> parent``. **Linked co-premises** (``con`` siblings sharing a ``link``) attack only
   together: ``{c1, c2, ...} -> parent`` -- the attack stands only when *every* co-premise is IN,
   and fails as soon as one of them is OUT (Nielsen & Parsons' joint attack; Rationale's linked
   premises).
2. **Undercuts.** ``u undercuts t`` attacks the inference from ``t`` (and its co-premises) to
   ``t``'s parent, not ``t`` itself: ``{u} -> inference(t)``, and that inference joins the
   attacking set of rule 1: ``{t, ..., inference(t)} -> parent`` (Pollock 1987; ASPIC+
   undercutting). An undercut objection may be IN and still not defeat its target.
3. **Cross-relation attacks.** ``a attacks b`` gives ``{a} -> b``.
4. **Support does not enter the labelling.** Reasons and evidence (stance ``pro``) and
   ``supports`` relations create no attack. Every claim is treated as a premise a reader may
   grant (an ASPIC+ ordinary premise), so a claim whose reasons are all OUT is *not* thereby OUT:
   it stands until something that attacks it is IN. Nor does support defend: a reason that is IN
   does not save its parent from an objection that is IN. This is the "evidential" reading of
   bipolar frameworks without derived attacks (Cayrol & Lagasquie-Schiex 2005 and 2013 discuss
   the alternatives -- supported, secondary and mediated attacks -- which change conclusions in ways
   students find surprising, so argkit does not use them). A linked *reason* holds only if all its
   co-premises hold; :meth:`Labelling.explain` says so, but the claim it supports keeps its label.
5. **What-if.** ``reject=[x]``: the argument *"you reject it"* attacks ``x``, so ``x`` is OUT and
   every attack ``x`` takes part in fails. ``accept=[y]``: every attack on ``y`` is removed (an
   ASPIC+ axiom cannot be attacked), so ``y`` is IN and what it attacks is OUT.

The labelling is the grounded one: IN is the least fixed point of the characteristic function
``F(S) = {a | every attacking set of a has a member attacked by S}`` (for singleton attacks this
is Dung's ``{a | every attacker of a is attacked by S}``), OUT is what an attacking set inside IN
attacks, UNDEC is the rest (e.g. an odd cycle of ``attacks`` relations). It is computed in linear
time by propagating labels from the unattacked arguments, as in Modgil & Caminada's (2009)
labelling algorithm.

References:
    Dung, P. M. (1995). On the acceptability of arguments... *Artificial Intelligence* 77.
    Nielsen, S. H., & Parsons, S. (2006). A generalization of Dung's abstract framework for
    argumentation: arguing with sets of attacking arguments. *ArgMAS 2006*, LNCS 4766.
    Cayrol, C., & Lagasquie-Schiex, M.-C. (2005). On the acceptability of arguments in bipolar
    argumentation frameworks. *ECSQARU 2005*; (2013) Bipolarity in argumentation graphs.
    Modgil, S., & Prakken, H. (2013). A general account of argumentation with preferences.
    *Artificial Intelligence* 195 (ASPIC+).
    Modgil, S., & Caminada, M. (2009). Proof theories and algorithms for abstract argumentation
    frameworks. In *Argumentation in Artificial Intelligence*.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Tea", (
    ...     Node("t", "Tea is good."),
    ...     Node("o", "It stains teeth.", parent="t", stance="con", author="Ann Dent"),
    ...     Node("b", "Brushing removes stains.", parent="o", stance="con"),
    ... ))
    >>> lab = evaluate(m)
    >>> lab.label("t"), lab.label("o"), lab.label("b")
    ('IN', 'OUT', 'IN')
    >>> lab.explain("o")
    'OUT because rebuttal b is IN'
    >>> evaluate(m, reject=["b"]).explain("t")
    'OUT because objection o (Dent) is IN'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from argkit._text import shorten
from argkit.errors import ChoiceError, EvaluationError, UnknownClaimError
from argkit.model import ArgumentMap, Node

__all__ = ["LABELS", "REJECTED", "Attack", "AttackGraph", "Labelling", "attack_graph", "evaluate"]

IN, OUT, UNDEC = "IN", "OUT", "UNDEC"
LABELS = (IN, OUT, UNDEC)
REJECTED = "<you reject it>"  # the argument standing for the student's rejection (not a valid id)
INFERENCE = "inference:"  # prefix of the argument standing for an undercut step (not a valid id)


# -- the framework ----------------------------------------------------------------------------
class Attack(NamedTuple):  # a tuple, not a dataclass: 100k of them are made in a blink
    """Arguments that attack ``target`` together: the attack fails as soon as one of them is OUT.

    Attributes:
        attackers: The attacking set.
        target: The argument attacked.
        how: The rule of the module docstring that makes it: ``"tree"`` (an objection, a rebuttal
            or a linked group, rule 1, joined by its inference when that is undercut, rule 2),
            ``"undercut"`` (rule 2), ``"relation"`` (an ``attacks`` relation, rule 3) or
            ``"reject"`` (rule 5).
    """

    attackers: frozenset[str]
    target: str
    how: str


@dataclass(frozen=True, slots=True)
class AttackGraph:
    """The framework a map is evaluated over (see the module docstring).

    Attributes:
        arguments: Node ids in map order, then one ``"inference:<id>"`` per undercut step (named
            after the first claim of its group), then :data:`REJECTED` if anything is rejected.
        attacks: Tree attacks (single claims in map order, then linked groups), then the
            relations in file order, then the rejections.
        steps: Ids of the claims that have a parent in the map, so a step to it, in map order.
        inference_of: Claim id -> the argument of its undercut step (every co-premise of a group).
        linked: Claim id -> the ids of its linked group, in map order (co-premises only).
    """

    arguments: tuple[str, ...]
    attacks: tuple[Attack, ...]
    steps: tuple[str, ...] = ()
    inference_of: Mapping[str, str] = field(default_factory=dict)
    linked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _assumptions(m: ArgumentMap, reject: Iterable[str],
                 accept: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The what-if assumptions, each once, checked against the map."""
    rejected, accepted = tuple(dict.fromkeys(reject)), tuple(dict.fromkeys(accept))
    for x in (*rejected, *sorted(accepted)):
        if x not in m:
            raise UnknownClaimError(f"no node {x!r} in map {m.title!r} "
                                    "(argkit.to_outline(m) lists the ids)", x)
    both = sorted(set(rejected) & set(accepted))
    if both:
        raise EvaluationError(f"you both accept and reject {', '.join(map(repr, both))}; "
                              "choose one for each claim")
    return rejected, accepted


def _first_of_each_id(m: ArgumentMap) -> dict[str, Node]:
    nodes = {n.id: n for n in m.nodes}
    if len(nodes) < len(m.nodes):  # duplicate ids in an unvalidated map: the first one counts
        nodes = {}
        for n in m.nodes:
            nodes.setdefault(n.id, n)
    return nodes


def _graph(m: ArgumentMap, reject: tuple[str, ...], accept: tuple[str, ...]) -> AttackGraph:
    nodes = _first_of_each_id(m)
    keep = frozenset(accept)  # rule 5: no attack on an accepted claim is made
    arguments = list(nodes)

    steps: list[str] = []
    singles: list[Node] = []  # rule 1: objections and rebuttals that are not linked
    groups: dict[tuple[str, str | None, str], list[str]] = {}  # (parent, stance, link) -> group
    for n in nodes.values():
        p = n.parent
        if p is not None and p in nodes:
            steps.append(n.id)
            if n.link is not None:
                groups.setdefault((p, n.stance, n.link), []).append(n.id)
            elif n.stance == "con" and p not in keep:
                singles.append(n)
    linked = {i: tuple(g) for g in groups.values() for i in g}

    # Rule 2: an undercut step is an argument of its own, shared by the group's co-premises.
    inference_of: dict[str, str] = {}
    for r in m.relations:
        if (r.type == "undercuts" and r.from_id in nodes and r.to_id not in inference_of
                and nodes.get(r.to_id, _NONE).parent in nodes):
            group = linked.get(r.to_id, (r.to_id,))
            arguments.append(INFERENCE + group[0])
            for j in group:
                inference_of[j] = INFERENCE + group[0]

    attacks = [Attack(frozenset((n.id, inference_of[n.id]) if n.id in inference_of else (n.id,)),
                      n.parent, "tree") for n in singles if n.parent is not None]
    for (parent, stance, _), members in groups.items():  # rule 1, linked objections
        if stance == "con" and parent not in keep:
            inference = inference_of.get(members[0])
            attackers = frozenset((*members, inference) if inference else members)
            attacks.append(Attack(attackers, parent, "tree"))
    for r in m.relations:
        if r.from_id not in nodes or r.to_id not in nodes:
            continue
        if r.type == "attacks" and r.to_id not in keep:  # rule 3
            attacks.append(Attack(frozenset((r.from_id,)), r.to_id, "relation"))
        elif r.type == "undercuts" and r.to_id in inference_of:  # rule 2
            attacks.append(Attack(frozenset((r.from_id,)), inference_of[r.to_id], "undercut"))
    if reject:  # rule 5
        arguments.append(REJECTED)
        attacks += (Attack(frozenset((REJECTED,)), x, "reject") for x in reject)
    return AttackGraph(tuple(arguments), tuple(attacks), tuple(steps),
                       MappingProxyType(inference_of), MappingProxyType(linked))


_NONE = Node("", "")  # stands for a missing node: no parent, no stance


def attack_graph(m: ArgumentMap, reject: Iterable[str] = (), accept: Iterable[str] = ()) -> AttackGraph:
    """The attack framework :func:`evaluate` labels, for checking it or drawing it.

    Example:
        >>> from argkit.model import ArgumentMap, Node, Relation
        >>> m = ArgumentMap("Tea", (
        ...     Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("u", "Only black tea does.", parent="t", stance="pro"),
        ... ), relations=(Relation("u", "undercuts", "o"),))
        >>> for a in attack_graph(m).attacks:
        ...     print(sorted(a.attackers), "->", a.target, f"({a.how})")
        ['inference:o', 'o'] -> t (tree)
        ['u'] -> inference:o (undercut)
    """
    return _graph(m, *_assumptions(m, reject, accept))


# -- labelling ---------------------------------------------------------------------------------
def grounded(g: AttackGraph) -> dict[str, str]:
    """The grounded labelling of the framework, argument -> ``"IN"``, ``"OUT"`` or ``"UNDEC"``.

    A worklist (Modgil & Caminada's labelling algorithm), linear in the size of the graph: the
    unattacked arguments are IN. When an argument becomes IN, each attack it is in waits for one
    member fewer, and an attack whose members are all IN makes its target OUT. When an argument
    becomes OUT, each attack it is in fails, and an argument whose attacks have all failed is IN.
    What the worklist never reaches is UNDEC.
    """
    attacks = g.attacks
    first: dict[str, int] = {}  # argument -> the first attack it is a member of ...
    more: dict[str, list[int]] = {}  # ... and the others (few arguments are in more than one)
    standing = dict.fromkeys(g.arguments, 0)  # attacks on the argument that have not failed
    waiting: list[int] = []  # members of each attack not yet IN
    for k, (attackers, target, _) in enumerate(attacks):
        standing[target] += 1
        waiting.append(len(attackers))
        for a in attackers:
            if a in first:
                more.setdefault(a, []).append(k)
            else:
                first[a] = k
    failed = [False] * len(attacks)
    label = {a: IN for a, n in standing.items() if not n}
    work = list(label)
    while work:
        a = work.pop()
        k0 = first.get(a)
        if k0 is None:
            continue
        now_in = label[a] is IN
        for k in (k0, *more[a]) if a in more else (k0,):
            target = attacks[k][1]
            if now_in:
                waiting[k] -= 1
                if not waiting[k] and target not in label:
                    label[target] = OUT
                    work.append(target)
            elif not failed[k]:
                failed[k] = True
                standing[target] -= 1
                if not standing[target] and target not in label:
                    label[target] = IN
                    work.append(target)
    return {a: label.get(a, UNDEC) for a in g.arguments}


def evaluate(m: ArgumentMap, reject: Iterable[str] = (), accept: Iterable[str] = ()) -> Labelling:
    """Label every claim IN, OUT or UNDEC under grounded semantics, with an explanation each.

    Args:
        m: The map (an overlay merged by :func:`argkit.load` is evaluated as a whole).
        reject: Ids of claims you do not accept: they are OUT as a given.
        accept: Ids of claims you take as given: nothing can attack them, so they are IN.

    Raises:
        UnknownClaimError: An id in ``reject`` or ``accept`` is not in the map (a ``KeyError``).
        EvaluationError: The same id is both accepted and rejected (a ``ValueError``).

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (
        ...     Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("b", "Brushing helps.", parent="o", stance="con"),
        ... ))
        >>> print(evaluate(m, reject=["b"]).to_text())
        OUT    t  Tea is good. — objection o is IN
        IN       o  It stains teeth. — no attack on it stands: rebuttal b is OUT
        OUT        b  Brushing helps. — you reject it
    """
    reject, accept = _assumptions(m, reject, accept)
    g = _graph(m, reject, accept)
    label = grounded(g)
    n_claims = len(g.arguments) - len(set(g.inference_of.values())) - (1 if reject else 0)
    labels = {i: label[i] for i in g.arguments[:n_claims]}
    inferences = dict.fromkeys(g.steps, IN)
    for node_id, inference in g.inference_of.items():
        inferences[node_id] = label[inference]
    why = _Why(m, g, label, frozenset(accept))
    return Labelling(
        labels=MappingProxyType(labels),
        explanations=_Lazy(labels, lambda i: f"{labels[i]} because {why.reason(i)}"),
        inferences=MappingProxyType(inferences),
        reject=reject,
        accept=accept,
        map=m,
        reasons=_Lazy(labels, why.reason),
    )


# -- explanations ------------------------------------------------------------------------------
class _Lazy(Mapping[str, str]):
    """Claim id -> text, worked out when first asked for (so evaluation stays fast)."""

    def __init__(self, keys: Mapping[str, str], make: Callable[[str], str]):
        self._keys = keys
        self._make = make
        self._cache: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __getitem__(self, node_id: str) -> str:
        if node_id not in self._cache:
            if node_id not in self._keys:
                raise KeyError(node_id)
            self._cache[node_id] = self._make(node_id)
        return self._cache[node_id]

    def __repr__(self) -> str:
        return f"<explanations of {len(self._keys)} claims>"


def _surname(author: str | None) -> str | None:
    """``Charles Kupchan`` -> ``Kupchan``; a description (``many analysts (unnamed)``) stays whole."""
    if not author:
        return None
    who = re.sub(r"\s*\([^)]*\)", "", author).strip() or author.strip()
    if who[:1].islower():
        return who  # "many analysts", "a senior Chinese official": not a name
    words = [w for w in who.split(",")[0].split(" and ")[0].split() if w.rstrip(".") not in ("Jr", "Sr")]
    return words[-1] if words else who


class _Why:
    """Why each claim has its label, in words: the reason after "IN because"."""

    def __init__(self, m: ArgumentMap, g: AttackGraph, label: Mapping[str, str], accept: frozenset[str]):
        self._m = m
        self._g = g
        self._label = label
        self._accept = accept
        self._on: dict[str, list[Attack]] | None = None
        self._order: dict[str, int] | None = None

    @functools.cached_property
    def _nodes(self) -> dict[str, Node]:
        return _first_of_each_id(self._m)

    @functools.cached_property
    def _kinds(self) -> Mapping[str, str]:
        return self._m.kinds()

    # The words for arguments and attacks.
    def _name(self, a: str) -> str:
        n = self._nodes.get(a) if not a.startswith(INFERENCE) else None
        if n is None:
            return "you" if a == REJECTED else a
        who = _surname(n.author)
        return f"{n.id} ({who})" if who else n.id

    def _members(self, attack: Attack) -> list[str]:
        """The attackers in map order (claims before inferences)."""
        if self._order is None:
            self._order = {a: i for i, a in enumerate(self._g.arguments)}
        return sorted(attack.attackers, key=self._order.__getitem__)

    def _claims(self, attack: Attack) -> list[str]:
        return [a for a in self._members(attack) if a in self._nodes and not a.startswith(INFERENCE)]

    def _attack_name(self, attack: Attack) -> str:
        if attack.how == "tree":
            claims = self._claims(attack)
            kind = self._kinds[claims[0]]
            if len(claims) > 1:
                return f"linked {kind} " + " + ".join(claims)
            return f"{kind} {self._name(claims[0])}"
        return self._name(self._members(attack)[0])

    def _attacks_on(self, a: str) -> list[Attack]:
        if self._on is None:
            on: dict[str, list[Attack]] = {}
            for attack in self._g.attacks:
                on.setdefault(attack.target, []).append(attack)
            self._on = on
        return self._on.get(a, [])

    def _all_in(self, attack: Attack) -> bool:
        return all(self._label[a] == IN for a in attack.attackers)

    def _undercutter(self, inference: str) -> str:
        return next(self._name(self._members(k)[0]) for k in self._attacks_on(inference) if self._all_in(k))

    def _standing(self, attack: Attack) -> str:
        name = self._attack_name(attack)
        if attack.how == "reject":
            return "you reject it"
        if attack.how == "relation":
            return f"{name} attacks it and is IN"
        if len(self._claims(attack)) > 1:
            return f"{name} holds (all its co-premises are IN)"
        return f"{name} is IN"

    def _fallen(self, attack: Attack) -> str:
        name = self._attack_name(attack)
        out = next(a for a in self._members(attack) if self._label[a] == OUT)
        if out.startswith(INFERENCE) and out not in self._nodes:
            return f"{name} is undercut by {self._undercutter(out)}"
        if attack.how == "relation":
            return f"{name}, which attacks it, is OUT"
        if len(self._claims(attack)) > 1:
            return f"{name} fails ({out} is OUT)"
        return f"{name} is OUT"

    def _open(self, attack: Attack) -> str:
        name = self._attack_name(attack)
        undec = next(a for a in self._members(attack) if self._label[a] == UNDEC)
        if undec.startswith(INFERENCE) and undec not in self._nodes:
            return f"{name} may be undercut (its undercutter is UNDEC)"
        if attack.how == "relation":
            return f"{name}, which attacks it, is UNDEC"
        if len(self._claims(attack)) > 1:
            return f"{name} is undecided ({undec} is UNDEC)"
        return f"{name} is UNDEC"

    def reason(self, node_id: str) -> str:
        """The reason for the claim's label, and what happens to its step to its parent."""
        lab = self._label[node_id]
        attacks = self._attacks_on(node_id)
        if node_id in self._accept:
            text = "you accept it (nothing can attack it)"
        elif lab == OUT:
            text = self._standing(next(k for k in attacks if self._all_in(k)))
        elif lab == IN:
            text = ("no attack on it stands: " + _first([self._fallen(k) for k in attacks], 3)
                    if attacks else "nothing attacks it")
        else:
            open_ = [self._open(k) for k in attacks
                     if all(self._label[a] != OUT for a in k.attackers)]
            text = _first(open_, 2) + ", and no attack on it is IN"
        return text + self._step_note(node_id)

    def _step_note(self, node_id: str) -> str:
        """What happens to the claim's own step to its parent (undercut, linked co-premises)."""
        node = self._nodes[node_id]
        if node.parent is None or node.parent not in self._nodes:
            return ""
        what = "support for" if node.stance == "pro" else "attack on"
        notes = []
        inference = self._g.inference_of.get(node_id)
        if inference is not None:
            if self._label[inference] == OUT:
                notes.append(f"its {what} {node.parent} is undercut by {self._undercutter(inference)}")
            elif self._label[inference] == UNDEC:
                notes.append(f"its {what} {node.parent} may be undercut (undecided)")
        group = self._g.linked.get(node_id)
        if group is not None and node.stance == "pro":
            weak = [j for j in group if self._label[j] != IN]
            if weak:
                notes.append(f"the linked reason {' + '.join(group)} does not hold ({', '.join(weak)} not IN)")
        return "".join(f"; {n}" for n in notes)


def _first(items: list[str], n: int) -> str:
    if len(items) <= n:
        return "; ".join(items)
    return "; ".join(items[:n]) + f"; and {len(items) - n} more"


# -- the result --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class Labelling:
    """The result of :func:`evaluate`: a label and an explanation for every claim.

    Attributes:
        labels: Node id -> ``"IN"``, ``"OUT"`` or ``"UNDEC"``.
        explanations: Node id -> one line saying why (``"OUT because objection k2 (Kupchan) is IN"``).
        inferences: Node id -> the label of its step to its parent: ``"OUT"`` when that step is
            undercut by a claim that is IN (the renderer may draw such an edge dashed).
        reject: The claims you rejected.
        accept: The claims you accepted.
        map: The map that was evaluated.
        reasons: Node id -> the explanation without its label (``"objection k2 (Kupchan) is IN"``).
    """

    labels: Mapping[str, str]
    explanations: Mapping[str, str]
    inferences: Mapping[str, str]
    reject: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    map: ArgumentMap | None = field(default=None, repr=False)
    reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    def label(self, node_id: str) -> str:
        """``"IN"``, ``"OUT"`` or ``"UNDEC"`` for one claim."""
        try:
            return self.labels[node_id]
        except KeyError:
            raise UnknownClaimError(f"no claim {node_id!r} in this labelling", node_id) from None

    def explain(self, node_id: str) -> str:
        """Why the claim has its label, in one line."""
        try:
            return self.explanations[node_id]
        except KeyError:
            raise UnknownClaimError(f"no claim {node_id!r} in this labelling", node_id) from None

    def reason(self, node_id: str) -> str:
        """The explanation without its label: ``"objection k2 (Kupchan) is IN"``."""
        try:
            return self.reasons[node_id]
        except KeyError:
            raise UnknownClaimError(f"no claim {node_id!r} in this labelling", node_id) from None

    def ids(self, label: str) -> tuple[str, ...]:
        """The ids with this label, in map order (``lab.ids("OUT")``)."""
        if label not in LABELS:
            raise ChoiceError(f"unknown label {label!r} (must be one of 'IN', 'OUT', 'UNDEC')",
                              label, LABELS)
        return tuple(i for i, v in self.labels.items() if v == label)

    def counts(self) -> dict[str, int]:
        """How many claims have each label: ``{"IN": 5, "OUT": 2, "UNDEC": 0}``."""
        out = dict.fromkeys(LABELS, 0)
        for v in self.labels.values():
            out[v] += 1
        return out

    def changes(self, other: Labelling) -> dict[str, tuple[str, str]]:
        """Claims whose label differs in ``other``: id -> (label here, label there).

        The what-if question "what changes if I reject k2?" is
        ``evaluate(m).changes(evaluate(m, reject=["k2"]))``.
        """
        return {i: (v, other.labels[i]) for i, v in self.labels.items()
                if i in other.labels and other.labels[i] != v}

    def to_text(self, width: int = 60) -> str:
        """One line per claim in outline order: label, id, text, and why."""
        lines = []
        seen: set[str] = set()
        order: list[tuple[str, int]] = []
        if self.map is not None:
            for n, d in self.map.walk():
                order.append((n.id, d))
                seen.add(n.id)
        order += [(i, 0) for i in self.labels if i not in seen]
        for node_id, depth in order:
            if node_id not in self.labels:
                continue
            text = self.map.node(node_id).text if self.map is not None else ""
            why = self.reason(node_id)
            lines.append(f"{self.labels[node_id]:<6} {'  ' * depth}{node_id}  "
                         f"{shorten(text, width)} — {why}")
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Labelling):
            return NotImplemented
        return (dict(self.labels), dict(self.inferences), self.reject, self.accept) == (
            dict(other.labels), dict(other.inferences), other.reject, other.accept)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        c = self.counts()
        extra = "".join(f", {k}={v!r}" for k, v in (("reject", self.reject), ("accept", self.accept)) if v)
        return f"Labelling(IN={c['IN']}, OUT={c['OUT']}, UNDEC={c['UNDEC']}{extra})"


