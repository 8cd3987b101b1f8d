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

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from argkit.errors import ChoiceError, EvaluationError, UnknownClaimError
from argkit.model import ArgumentMap

__all__ = ["LABELS", "AttackGraph", "Labelling", "attack_graph", "check_label", "check_reject", "evaluate"]

IN, OUT, UNDEC = "IN", "OUT", "UNDEC"
LABELS = (IN, OUT, UNDEC)
REJECTED = "<you reject it>"  # the argument standing for the student's rejection (not a valid id)


@dataclass(frozen=True, slots=True)
class AttackGraph:
    """The framework a map is evaluated over (see the module docstring).

    Attributes:
        arguments: Node ids, then one ``"inference:<id>"`` per undercut inference (named after
            the first claim of its group), then :data:`REJECTED` if anything is rejected.
        attacks: ``(attackers, target)`` pairs; ``attackers`` is a tuple of arguments that
            attack only together.
    """

    arguments: tuple[str, ...]
    attacks: tuple[tuple[tuple[str, ...], str], ...]


# -- building the framework -------------------------------------------------------------------
class _Frame:
    """The framework with integer arguments, plus what explanations need to know."""

    __slots__ = ("_kinds", "_sets", "args", "children", "extra", "hows", "index", "inference_of",
                 "linked", "map", "members", "n_nodes", "nodes", "primary", "sizes", "targets")

    def __init__(self, m: ArgumentMap, reject: Iterable[str], accept: Iterable[str]):
        index = {n.id: i for i, n in enumerate(m.nodes)}
        if len(index) == len(m.nodes):
            nodes = list(m.nodes)
        else:  # duplicate ids in an unvalidated map: the first one counts
            index, nodes = {}, []
            for n in m.nodes:
                if n.id not in index:
                    index[n.id] = len(nodes)
                    nodes.append(n)
        self.map = m
        self.nodes = nodes
        self.n_nodes = len(nodes)
        self.index = index
        self.args: list[str] = list(index)
        self._kinds: list[str] | None = None
        self._sets: list[tuple[tuple[int, ...], int, str]] | None = None
        reject = tuple(dict.fromkeys(reject))
        accept = set(accept)
        for x in (*reject, *sorted(accept)):
            if x not in index:
                raise UnknownClaimError(f"no node {x!r} in map {m.title!r} "
                                        "(argkit.to_outline(m) lists the ids)", x)
        both = sorted(set(reject) & accept)
        if both:
            raise EvaluationError(f"you both accept and reject {', '.join(map(repr, both))}; "
                             "choose one for each claim")
        keep = {index[x] for x in accept}  # accepted claims: no attack on them is made

        # Attacking set k: members[k] (an int for a single attacker, else a tuple), targets[k],
        # sizes[k], and hows[k] for the explanations. Flat lists keep 100k claims under a second.
        members: list[Any] = []
        targets: list[int] = []
        sizes: list[int] = []
        hows: list[str] = []
        # primary[a]: the first set argument a is a member of (-1: none); extra: the others.
        primary = [-1] * len(nodes)
        extra: dict[int, list[int]] = {}
        self.members, self.targets, self.sizes, self.hows = members, targets, sizes, hows
        self.primary, self.extra = primary, extra

        self.children: list[str] = []  # ids of the nodes that have a parent in the map
        has_parent = self.children.append
        groups: dict[tuple[str, str | None, str], list[int]] = {}
        get = index.get
        for i, n in enumerate(nodes):
            p = n.parent
            if p is None:
                continue
            t = get(p)
            if t is None:
                continue
            has_parent(n.id)
            if n.link is not None:
                groups.setdefault((p, n.stance, n.link), []).append(i)
            elif n.stance == "con" and t not in keep:
                primary[i] = len(targets)  # a node is in at most one tree attack: its own
                members.append(i)
                targets.append(t)
                sizes.append(1)
                hows.append("tree")
        self.linked: dict[int, list[int]] = {}  # node index -> its linked group
        group_set: dict[tuple[str, str | None, str], int] = {}
        for key, group in groups.items():
            for i in group:
                self.linked[i] = group
            if key[1] == "con" and index[key[0]] not in keep:
                group_set[key] = len(targets)
                for i in group:
                    primary[i] = len(targets)
                members.append(tuple(group))
                targets.append(index[key[0]])
                sizes.append(len(group))
                hows.append("tree")

        # An undercut inference becomes an argument, added to the attacking set it enables.
        self.inference_of: dict[int, int] = {}  # node index -> its group's inference argument
        for r in m.relations:
            if r.from_id not in index or r.to_id not in index:
                continue
            if r.type == "attacks":
                t = index[r.to_id]
                if t not in keep:
                    self._add(index[r.from_id], t, "relation")
            elif r.type == "undercuts":
                t = index[r.to_id]
                n = nodes[t]
                if n.parent is None or n.parent not in index:
                    continue  # a contention has no inference to undercut (validate reports it)
                if t not in self.inference_of:
                    inf = len(self.args)
                    group = self.linked.get(t, [t])
                    self.args.append(f"inference:{nodes[group[0]].id}")
                    primary.append(-1)
                    for j in group:
                        self.inference_of[j] = inf
                    k = primary[t] if n.stance == "con" and index[n.parent] not in keep else -1
                    if k >= 0:
                        old = members[k]
                        members[k] = (*((old,) if isinstance(old, int) else old), inf)
                        sizes[k] += 1
                        primary[inf] = k
                self._add(index[r.from_id], self.inference_of[t], "undercut")
        if reject:
            given = len(self.args)
            self.args.append(REJECTED)
            primary.append(-1)
            for x in reject:
                self._add(given, index[x], "reject")

    def _add(self, attacker: int, target: int, how: str) -> None:
        k = len(self.targets)
        self.members.append(attacker)
        self.targets.append(target)
        self.sizes.append(1)
        self.hows.append(how)
        if self.primary[attacker] < 0:
            self.primary[attacker] = k
        else:
            self.extra.setdefault(attacker, []).append(k)

    @property
    def sets(self) -> list[tuple[tuple[int, ...], int, str]]:
        """``(members, target, how)`` per attacking set, for explanations and :class:`AttackGraph`."""
        if self._sets is None:
            self._sets = [((x,) if isinstance(x, int) else x, t, h)
                          for x, t, h in zip(self.members, self.targets, self.hows, strict=True)]
        return self._sets

    @property
    def kinds(self) -> list[str]:
        if self._kinds is None:
            kinds = self.map.kinds()  # the first of duplicate ids counts, there as here
            self._kinds = [kinds[n.id] for n in self.nodes]
        return self._kinds

    def graph(self) -> AttackGraph:
        return AttackGraph(
            arguments=tuple(self.args),
            attacks=tuple((tuple(self.args[a] for a in members), self.args[t])
                          for members, t, _ in self.sets),
        )


def attack_graph(m: ArgumentMap, reject: Iterable[str] = (), accept: Iterable[str] = ()) -> AttackGraph:
    """The attack framework :func:`evaluate` labels, for checking it or drawing it.

    Example:
        >>> from argkit.model import ArgumentMap, Node, Relation
        >>> m = ArgumentMap("Tea", (
        ...     Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("u", "Only black tea does.", parent="t", stance="pro"),
        ... ), relations=(Relation("u", "undercuts", "o"),))
        >>> attack_graph(m).attacks
        ((('o', 'inference:o'), 't'), (('u',), 'inference:o'))
    """
    return _Frame(m, reject, accept).graph()


# -- labelling ---------------------------------------------------------------------------------
def _grounded(f: _Frame) -> list[str]:
    """Grounded labels of the framework in linear time.

    An argument is IN once every attacking set on it has a member OUT; it is OUT once some
    attacking set on it is wholly IN. Propagating from the unattacked arguments reaches exactly
    the least fixed point; what is never reached is UNDEC.
    """
    n_args, targets, primary, extra = len(f.args), f.targets, f.primary, f.extra
    alive = [0] * n_args  # attacking sets on the argument that have not failed yet
    for t in targets:
        alive[t] += 1
    missing = list(f.sizes)  # members of each set not yet IN
    failed = [False] * len(targets)
    label: list[Any] = [None] * n_args
    stack = [a for a in range(n_args) if not alive[a]]
    for a in stack:
        label[a] = IN
    while stack:
        a = stack.pop()
        k = primary[a]
        if k < 0:
            continue
        ks = (k, *extra[a]) if a in extra else (k,)
        if label[a] is IN:
            for k in ks:
                missing[k] -= 1
                if not missing[k] and not failed[k]:
                    t = targets[k]
                    if label[t] is None:
                        label[t] = OUT
                        stack.append(t)
        else:
            for k in ks:
                if not failed[k]:
                    failed[k] = True
                    t = targets[k]
                    alive[t] -= 1
                    if not alive[t] and label[t] is None:
                        label[t] = IN
                        stack.append(t)
    return [UNDEC if v is None else v for v in label]


def evaluate(m: ArgumentMap, reject: Iterable[str] = (), accept: Iterable[str] = ()) -> Labelling:
    """Label every claim IN, OUT or UNDEC under grounded semantics, with an explanation each.

    Args:
        m: The map (an overlay merged by :func:`argkit.load` is evaluated as a whole).
        reject: Ids of claims you do not accept: they are OUT as a given.
        accept: Ids of claims you take as given: nothing can attack them, so they are IN.

    Raises:
        KeyError: An id in ``reject`` or ``accept`` is not in the map.
        ValueError: The same id is both accepted and rejected.

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
    reject, accept = tuple(dict.fromkeys(reject)), tuple(dict.fromkeys(accept))
    f = _Frame(m, reject, accept)
    label = _grounded(f)
    inferences = dict.fromkeys(f.children, IN)
    for i, a in f.inference_of.items():
        inferences[f.args[i]] = label[a]
    return Labelling(
        labels=MappingProxyType(dict(zip(f.args[: f.n_nodes], label, strict=False))),
        explanations=_Explanations(f, label, reject, frozenset(accept)),
        inferences=MappingProxyType(inferences),
        reject=reject,
        accept=accept,
        map=m,
    )


# -- explanations ------------------------------------------------------------------------------
def _surname(author: str | None) -> str | None:
    """``Charles Kupchan`` -> ``Kupchan``; a description (``many analysts (unnamed)``) stays whole."""
    if not author:
        return None
    who = re.sub(r"\s*\([^)]*\)", "", author).strip() or author.strip()
    if who[:1].islower():
        return who  # "many analysts", "a senior Chinese official": not a name
    words = [w for w in who.split(",")[0].split(" and ")[0].split() if w.rstrip(".") not in ("Jr", "Sr")]
    return words[-1] if words else who


class _Explanations(Mapping[str, str]):
    """Node id -> one-line explanation, worked out when first asked for (evaluation stays fast)."""

    def __init__(self, f: _Frame, label: list[str], reject: tuple[str, ...], accept: frozenset[str]):
        self._f = f
        self._label = label
        self._reject = frozenset(reject)
        self._accept = accept
        self._on: list[list[int]] | None = None
        self._cache: dict[str, str] = {}

    def __len__(self) -> int:
        return self._f.n_nodes

    def __iter__(self) -> Any:
        return iter(self._f.args[: self._f.n_nodes])

    def __contains__(self, key: object) -> bool:
        return key in self._f.index

    def __getitem__(self, node_id: str) -> str:
        if node_id not in self._cache:
            self._cache[node_id] = self._explain(self._f.index[node_id])
        return self._cache[node_id]

    def __repr__(self) -> str:
        return f"<explanations of {self._f.n_nodes} claims>"

    # The words for arguments and attacking sets.
    def _name(self, a: int) -> str:
        f = self._f
        if a >= f.n_nodes:
            return "you" if f.args[a] == REJECTED else f.args[a]
        who = _surname(f.nodes[a].author)
        return f"{f.nodes[a].id} ({who})" if who else f.nodes[a].id

    def _set_name(self, k: int) -> str:
        members, _, how = self._f.sets[k]
        claims = [a for a in members if a < self._f.n_nodes]
        if how == "tree":
            kind = self._f.kinds[claims[0]]
            if len(claims) > 1:
                return f"linked {kind} " + " + ".join(self._f.nodes[a].id for a in claims)
            return f"{kind} {self._name(claims[0])}"
        return self._name(members[0])

    def _attackers_on(self, a: int) -> list[int]:
        if self._on is None:
            on: list[list[int]] = [[] for _ in self._f.args]
            for k, (_, t, _) in enumerate(self._f.sets):
                on[t].append(k)
            self._on = on
        return self._on[a]

    def _standing(self, k: int) -> str:
        members, _, how = self._f.sets[k]
        name = self._set_name(k)
        if how == "reject":
            return "you reject it"
        if how == "relation":
            return f"{name} attacks it and is IN"
        if len(members) > 1 and sum(a < self._f.n_nodes for a in members) > 1:
            return f"{name} holds (all its co-premises are IN)"
        return f"{name} is IN"

    def _fallen(self, k: int) -> str:
        members, _, how = self._f.sets[k]
        name = self._set_name(k)
        out = next(a for a in members if self._label[a] == OUT)
        if out >= self._f.n_nodes:  # the inference is undercut
            undercutters = [s for s in self._attackers_on(out) if self._all_in(s)]
            by = self._name(self._f.sets[undercutters[0]][0][0]) if undercutters else "?"
            return f"{name} is undercut by {by}"
        if how == "relation":
            return f"{name}, which attacks it, is OUT"
        if sum(a < self._f.n_nodes for a in members) > 1:
            return f"{name} fails ({self._f.nodes[out].id} is OUT)"
        return f"{name} is OUT"

    def _open(self, k: int) -> str:
        members, _, how = self._f.sets[k]
        name = self._set_name(k)
        undec = next(a for a in members if self._label[a] == UNDEC)
        if undec >= self._f.n_nodes:
            return f"{name} may be undercut (its undercutter is UNDEC)"
        if how == "relation":
            return f"{name}, which attacks it, is UNDEC"
        if sum(a < self._f.n_nodes for a in members) > 1:
            return f"{name} is undecided ({self._f.nodes[undec].id} is UNDEC)"
        return f"{name} is UNDEC"

    def _all_in(self, k: int) -> bool:
        return all(self._label[a] == IN for a in self._f.sets[k][0])

    def _explain(self, i: int) -> str:
        f, lab = self._f, self._label[i]
        node = f.nodes[i]
        sets = self._attackers_on(i)
        if node.id in self._accept:
            text = "IN because you accept it (nothing can attack it)"
        elif lab == OUT:
            k = next(k for k in sets if self._all_in(k))
            text = f"OUT because {self._standing(k)}"
        elif lab == IN:
            if not sets:
                text = "IN because nothing attacks it"
            else:
                text = "IN because no attack on it stands: " + _first(
                    [self._fallen(k) for k in sets], 3)
        else:
            open_ = [self._open(k) for k in sets
                     if all(self._label[a] != OUT for a in f.sets[k][0])]
            text = "UNDEC because " + _first(open_, 2) + ", and no attack on it is IN"
        return text + self._step_note(i)

    def _step_note(self, i: int) -> str:
        """What happens to the claim's own step to its parent (undercut, linked co-premises)."""
        f = self._f
        node = f.nodes[i]
        parent = node.parent
        if parent is None or parent not in f.index:
            return ""
        what = "support for" if node.stance == "pro" else "attack on"
        notes = []
        if i in f.inference_of:
            inf = f.inference_of[i]
            if self._label[inf] == OUT:
                by = next(self._name(f.sets[k][0][0]) for k in self._attackers_on(inf) if self._all_in(k))
                notes.append(f"its {what} {parent} is undercut by {by}")
            elif self._label[inf] == UNDEC:
                notes.append(f"its {what} {parent} may be undercut (undecided)")
        if i in f.linked and node.stance == "pro":
            group = f.linked[i]
            weak = [f.nodes[j].id for j in group if self._label[j] != IN]
            if weak:
                ids = " + ".join(f.nodes[j].id for j in group)
                notes.append(f"the linked reason {ids} does not hold ({', '.join(weak)} not IN)")
        return "".join(f"; {n}" for n in notes)


def _first(items: list[str], n: int) -> str:
    if len(items) <= n:
        return "; ".join(items)
    return "; ".join(items[:n]) + f"; and {len(items) - n} more"


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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
    """

    labels: Mapping[str, str]
    explanations: Mapping[str, str]
    inferences: Mapping[str, str]
    reject: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    map: ArgumentMap | None = field(default=None, repr=False)

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
        return self.explain(node_id).split(" because ", 1)[-1]

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
                         f"{_one_line(text, width)} — {why}")
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


# -- exercises ---------------------------------------------------------------------------------
def _what_if_words(reject: tuple[str, ...], accept: tuple[str, ...]) -> str:
    parts = []
    if reject:
        parts.append("you reject " + ", ".join(reject))
    if accept:
        parts.append("you accept " + ", ".join(accept))
    return "if " + " and ".join(parts) if parts else "as the map stands"


def check_label(m: ArgumentMap, node_id: str, answer: str | None, *,
                reject: Iterable[str] = (), accept: Iterable[str] = ()) -> Any:
    """Exercise: what label does ``node_id`` get (given what you reject or accept)?

    Returns an :class:`argkit.exercises.Feedback` that explains the right label; ``answer=None``
    means not answered yet.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con")))
        >>> check_label(m, "t", "IN")
        Not quite: as the map stands, t is OUT, not IN, because objection o is IN.
    """
    from argkit.exercises import Feedback

    reject, accept = tuple(reject), tuple(accept)
    lab = evaluate(m, reject=reject, accept=accept)
    right = lab.label(node_id)
    if answer is None or not str(answer).strip():
        return Feedback(None, 'Not answered yet: set answer to "IN", "OUT" or "UNDEC", then run '
                              "this cell again.")
    given = str(answer).strip().upper()
    if given not in LABELS:
        return Feedback(False, f"'{answer}' is not a label; the labels are \"IN\" (it stands), "
                               "\"OUT\" (it is defeated) and \"UNDEC\" (undecided).")
    when = _what_if_words(reject, accept)
    if given == right:
        return Feedback(True, f"Right: {when}, {node_id} is {right} because {lab.reason(node_id)}.")
    hint = ""
    if any(m.node(x).parent == node_id and m.node(x).stance == "pro" for x in reject):
        hint = (" Rejecting a reason takes support away, but a claim stands until an attack on it "
                "stands: support neither defeats nor defends.")
    return Feedback(False, f"Not quite: {when}, {node_id} is {right}, not {given}, because "
                           f"{lab.reason(node_id)}.{hint}")


def check_reject(m: ArgumentMap, target: str, answer: str | None) -> Any:
    """Exercise: name one claim which, if you rejected it, would make ``target`` OUT.

    Returns an :class:`argkit.exercises.Feedback` that shows what the rejection changes.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("b", "Brushing helps.", parent="o", stance="con")))
        >>> check_reject(m, "t", "b").ok
        True
    """
    import difflib

    from argkit.exercises import Feedback

    if answer is None or not str(answer).strip():
        return Feedback(None, "Not answered yet: set answer to the id of one claim, in quotes, "
                              "then run this cell again.")
    answer = str(answer).strip()
    if answer not in m:
        near = difflib.get_close_matches(answer, [n.id for n in m.nodes], n=1, cutoff=0.5)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        return Feedback(False, f"There is no claim '{answer}' in this map.{hint} The ids are the "
                               "words in [brackets] in argkit.to_outline(m).")
    if answer == target:
        return Feedback(False, f"Rejecting {target} itself makes it OUT, but that is no argument: "
                               "name a claim whose loss defeats it.")
    before = evaluate(m)
    after = evaluate(m, reject=[answer])
    changes = before.changes(after)
    moved = "; ".join(f"{i} {a}→{b}" for i, (a, b) in changes.items()) or "nothing"
    if after.label(target) == "OUT" and before.label(target) != "OUT":
        return Feedback(True, f"Right: if you reject {answer}, {target} is OUT because "
                              f"{after.reason(target)}. What changes: {moved}.")
    if before.label(target) == "OUT":
        return Feedback(None, f"{target} is already OUT as the map stands, because "
                              f"{before.reason(target)}.")
    return Feedback(False, f"Not quite: if you reject {answer}, {target} is still "
                           f"{after.label(target)}, because {after.reason(target)}. What changes: "
                           f"{moved}. Look for an objection that only one claim answers.")
