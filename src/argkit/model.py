"""The argument-map model: immutable claims, their tree and cross-relations.

Glossary (used the same way everywhere in argkit):

claim
    Any statement in a map; every node is a claim.
contention
    A claim with no parent: the thesis the map is about (the root of the tree).
reason
    A claim that supports its parent (stance ``pro``).
objection
    A claim that attacks its parent (stance ``con``) when the parent is not itself an objection.
rebuttal
    A claim that attacks an objection (stance ``con`` under an objection).
evidence
    A basis for its parent (a quote, an event, a statistic, a document); marked with ``basis``.
co-premise (linked)
    Sibling claims that share a ``link`` group: they support or attack their parent only together,
    as one reason (Rationale's "linked premises").
support, attack, undercut
    The three cross-relations. *support* and *attack* point at a claim; *undercut* attacks the
    inference from the target claim to its parent, not the claim itself.
source
    A work a claim comes from (a reading, an article), listed once in the map's ``sources``.
quote
    The exact words of a source that a claim rests on, with the endnote or page that cites them.
endnote
    The number of the note in the source that gives the reference for a passage.

Every value is a frozen dataclass; operations return new maps, so an editor's undo is a stack of
maps.

Example:
    >>> m = ArgumentMap(title="Demo", nodes=(
    ...     Node("t", "Tea is good."),
    ...     Node("r", "It is tasty.", parent="t", stance="pro"),
    ...     Node("o", "It stains teeth.", parent="t", stance="con"),
    ... ))
    >>> [m.kind(n.id) for n in m.nodes]
    ['contention', 'reason', 'objection']
    >>> m2 = m.add(Node("b", "Brushing helps.", parent="o", stance="con", added_by="ana"))
    >>> m2.kind("b"), len(m.nodes), len(m2.nodes)
    ('rebuttal', 3, 4)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from argkit.errors import MapEditError, UnknownClaimError

__all__ = [
    "BASES",
    "ID_PATTERN",
    "KINDS",
    "RELATION_TYPES",
    "STANCES",
    "ArgumentMap",
    "Node",
    "Quote",
    "Relation",
    "Source",
    "kind_of",
]

STANCES = ("pro", "con")
RELATION_TYPES = ("supports", "attacks", "undercuts")
BASES = ("quote", "event", "statistic", "document", "expert", "common-knowledge")
KINDS = ("contention", "reason", "objection", "rebuttal", "evidence")
ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


class _Index:
    """The lookups of one map, built on first use (a map never changes, so neither do they)."""

    __slots__ = ("by_id", "children", "kinds", "sources")

    def __init__(self, m: ArgumentMap):
        self.by_id: dict[str, Node] = {}
        children: dict[str | None, list[str]] = {}
        for n in m.nodes:
            self.by_id.setdefault(n.id, n)
            children.setdefault(n.parent, []).append(n.id)
        self.children = {k: tuple(v) for k, v in children.items()}
        self.sources = {s.id: s for s in m.sources}
        self.kinds: Mapping[str, str] | None = None


def kind_of(node: Node, parent_kind: str | None) -> str:
    """The kind rule of the glossary, in the one place it is written down.

    Args:
        node: The claim.
        parent_kind: The kind of its parent, or ``None`` when it has no parent in the map.

    Example:
        >>> kind_of(Node("b", "Brushing helps.", parent="o", stance="con"), "objection")
        'rebuttal'
    """
    if parent_kind is None:
        return "contention"
    if node.basis is not None:
        return "evidence"
    if node.stance == "pro":
        return "reason"
    return "rebuttal" if parent_kind == "objection" else "objection"


@dataclass(frozen=True, slots=True)
class Quote:
    """Verbatim words of a source, with where they stand in it.

    Attributes:
        text: The exact words, copied from the source.
        endnote: The endnote number that closes the sentence, as a string (``"52"``).
        page: A page or section, when there is no endnote.
        source: The source id the words can be checked against, when it differs from the
            claim's source (e.g. a sceptic's words as reported in Cox's text).
    """

    text: str
    endnote: str | None = None
    page: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A work that claims in the map come from."""

    id: str
    author: str | None = None
    title: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None

    def citation(self) -> str:
        """A short citation such as ``Cox 2022``."""
        who = (self.author or self.id).split(",")[0].split(" and ")[0].strip()
        surname = who.split()[-1] if who.split() else who
        return f"{surname} {self.year}" if self.year else surname


@dataclass(frozen=True, slots=True)
class Node:
    """One claim in the map.

    Attributes:
        id: Unique name, ``[A-Za-z_][A-Za-z0-9_-]*``.
        text: The claim, in the map author's words (paraphrase lives here, never in a quote).
        parent: The id of the claim this one supports or attacks; ``None`` for a contention.
        stance: ``"pro"`` or ``"con"`` toward the parent; ``None`` for a contention.
        author: Whose claim it is (e.g. ``"Charles Kupchan"``).
        source: The id of the source the claim comes from.
        quote: The words of a source the claim rests on.
        basis: Set for evidence: one of :data:`BASES`.
        link: Co-premise group: siblings with the same ``link`` work only together.
        tags: Free labels for filtering.
        added_by: Who added the node (set for student work).
    """

    id: str
    text: str
    parent: str | None = None
    stance: str | None = None
    author: str | None = None
    source: str | None = None
    quote: Quote | None = None
    basis: str | None = None
    link: str | None = None
    tags: tuple[str, ...] = ()
    added_by: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A cross-relation the tree cannot show: ``from_id`` supports/attacks/undercuts ``to_id``."""

    from_id: str
    type: str
    to_id: str


@dataclass(frozen=True, slots=True)
class ArgumentMap:
    """A tree of claims rooted at one or more contentions, with sources and cross-relations.

    ``extends`` names the map this one is an overlay on (a student's work on the teacher's map);
    after :func:`argkit.load` the overlay is merged and ``base`` holds the map it extends.
    ``reference`` marks teaching material that :func:`argkit.save` never overwrites unforced.
    ``extends_fingerprint`` records which version of the base map an overlay was made on.
    """

    title: str
    nodes: tuple[Node, ...] = ()
    relations: tuple[Relation, ...] = ()
    sources: tuple[Source, ...] = ()
    description: str | None = None
    extends: str | None = None
    reference: bool = False
    extends_fingerprint: str | None = None
    base: ArgumentMap | None = field(default=None, compare=False, repr=False)
    path: str | None = field(default=None, compare=False, repr=False)
    # Where each value was written, if loaded: ("nodes", index, field) or ("", field) -> (line, column).
    locations: dict[tuple[str | int, ...], tuple[int, int]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )
    _index: _Index | None = field(default=None, init=False, compare=False, repr=False, hash=False)

    # -- lookups ---------------------------------------------------------------------------
    def _idx(self) -> _Index:
        if self._index is None:
            object.__setattr__(self, "_index", _Index(self))
        assert self._index is not None
        return self._index

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._idx().by_id

    def __len__(self) -> int:
        return len(self.nodes)

    def node(self, node_id: str) -> Node:
        """The node with this id.

        Raises:
            UnknownClaimError: There is none (a ``KeyError``).
        """
        try:
            return self._idx().by_id[node_id]
        except KeyError:
            raise UnknownClaimError(f"no node {node_id!r} in map {self.title!r}", node_id) from None

    def source(self, source_id: str | None) -> Source | None:
        """The source with this id, or ``None``."""
        return self._idx().sources.get(source_id) if source_id is not None else None

    def children(self, node_id: str | None) -> tuple[Node, ...]:
        """The nodes directly under ``node_id`` (``None``: the contentions), in file order."""
        idx = self._idx()
        return tuple(idx.by_id[c] for c in idx.children.get(node_id, ()))

    @property
    def roots(self) -> tuple[Node, ...]:
        """The contentions."""
        return self.children(None)

    @property
    def root(self) -> Node:
        """The first contention."""
        return self.roots[0]

    def walk(self, start: str | None = None) -> Iterator[tuple[Node, int]]:
        """Pre-order ``(node, depth)`` over the tree, from ``start`` or every contention."""
        stack = [(n, 0) for n in reversed(self.roots)] if start is None else [(self.node(start), 0)]
        seen: set[str] = set()
        while stack:
            n, d = stack.pop()
            if n.id in seen:  # a cycle in an unvalidated map must not hang us
                continue
            seen.add(n.id)
            yield n, d
            stack.extend((c, d + 1) for c in reversed(self.children(n.id)))

    def ancestors(self, node_id: str) -> tuple[Node, ...]:
        """The chain of parents from ``node_id`` up to its contention (nearest first)."""
        out: list[Node] = []
        seen = {node_id}
        n = self.node(node_id)
        while n.parent is not None and n.parent in self and n.parent not in seen:
            seen.add(n.parent)
            n = self.node(n.parent)
            out.append(n)
        return tuple(out)

    def depth(self, node_id: str) -> int:
        """0 for a contention, 1 for its children, and so on."""
        return len(self.ancestors(node_id))

    def kind(self, node_id: str) -> str:
        """The node's kind, derived as Rationale does (see the module glossary)."""
        self.node(node_id)
        return self.kinds()[node_id]

    def kinds(self) -> Mapping[str, str]:
        """Every node's kind by id, worked out once per map (without recursion: deep maps are fine)."""
        idx = self._idx()
        if idx.kinds is None:
            by_id = idx.by_id
            kinds: dict[str, str] = {}
            for start in by_id:
                # Climb to the first ancestor whose kind is known, then label back down.
                chain: list[str] = []
                on_chain: set[str] = set()
                i: str | None = start
                while i is not None and i not in kinds and i not in on_chain:
                    chain.append(i)
                    on_chain.add(i)
                    p = by_id[i].parent
                    i = p if p in by_id else None
                for j in reversed(chain):
                    n = by_id[j]
                    # "" for a parent on a loop (an unvalidated map): its kind is not known yet.
                    kinds[j] = kind_of(n, kinds.get(n.parent, "") if n.parent in by_id else None)
            idx.kinds = MappingProxyType(kinds)
        return idx.kinds

    def co_premises(self, node_id: str) -> tuple[Node, ...]:
        """The node's linked group (itself included), or just the node if it is not linked."""
        n = self.node(node_id)
        if n.link is None:
            return (n,)
        return tuple(
            c for c in self.children(n.parent) if c.link == n.link and c.stance == n.stance
        )

    def own_nodes(self) -> tuple[Node, ...]:
        """The nodes this map adds to the map it extends (all nodes if it extends none)."""
        if self.base is None:
            return self.nodes
        return tuple(n for n in self.nodes if n.id not in self.base)

    def own_sources(self) -> tuple[Source, ...]:
        """The sources this map adds to the one it extends."""
        return self.sources if self.base is None else self.sources[len(self.base.sources):]

    def own_relations(self) -> tuple[Relation, ...]:
        """The cross-relations this map adds to the one it extends."""
        if self.base is None:
            return self.relations
        base = set(self.base.relations)
        return tuple(r for r in self.relations if r not in base)

    def is_own(self, node_id: str) -> bool:
        """True if the node belongs to this map, not to the reference map it extends."""
        return self.base is None or node_id not in self.base

    # -- operations (each returns a new map) -------------------------------------------------
    def _with(self, **changes: Any) -> ArgumentMap:
        return replace(self, **changes)

    def add(self, node: Node) -> ArgumentMap:
        """A new map with ``node`` appended.

        Raises:
            MapEditError: The id is taken or the parent is not in the map (a ``ValueError``).
        """
        if node.id in self:
            raise MapEditError(f"a node with id {node.id!r} already exists; choose another id")
        if node.parent is not None and node.parent not in self:
            raise MapEditError(f"no node {node.parent!r} to attach {node.id!r} to")
        return self._with(nodes=(*self.nodes, node))

    def replace_node(self, node: Node) -> ArgumentMap:
        """A new map with the node of the same id replaced by ``node``."""
        self.node(node.id)
        return self._with(nodes=tuple(node if n.id == node.id else n for n in self.nodes))

    def remove(self, node_id: str) -> ArgumentMap:
        """A new map without ``node_id``, its subtree, and relations touching them."""
        gone = {n.id for n, _ in self.walk(node_id)}
        return self._with(
            nodes=tuple(n for n in self.nodes if n.id not in gone),
            relations=tuple(
                r for r in self.relations if r.from_id not in gone and r.to_id not in gone
            ),
        )

    def relate(self, relation: Relation) -> ArgumentMap:
        """A new map with a cross-relation added."""
        return self._with(relations=(*self.relations, relation))

    def new_id(self, prefix: str = "n") -> str:
        """An id not yet used in the map, e.g. ``n7``."""
        i = len(self.nodes) + 1
        while f"{prefix}{i}" in self:
            i += 1
        return f"{prefix}{i}"

    def __repr__(self) -> str:
        extra = f", extends={self.extends!r}" if self.extends else ""
        return (
            f"ArgumentMap(title={self.title!r}, nodes={len(self.nodes)}, "
            f"relations={len(self.relations)}{extra})"
        )

    def _repr_mimebundle_(self, include: Any = None,
                          exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        if _display is None:
            return {"text/plain": repr(self)}, {}
        data, meta = _display(self, include, exclude)
        return {**data, "text/plain": repr(self)}, meta


# How a map shows itself in a notebook is the renderer's business, a later stage: the package
# (argkit/__init__.py) installs it here, so the model imports nothing from the stages above it.
Display = Callable[[ArgumentMap, Any, Any], tuple[dict[str, Any], dict[str, Any]]]
_display: Display | None = None


def set_display(show: Display | None) -> None:
    """Choose how a map shows itself in a notebook: ``show(m, include, exclude)`` returns the
    MIME bundle and its metadata (``None``: as text only)."""
    global _display
    _display = show
