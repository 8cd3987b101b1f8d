"""AIF out: a map as Argument Interchange Format JSON, shaped like the AIFdb nodesets OVA loads.

The result is a dict with ``nodes`` (``nodeID``, ``text``, ``type``), ``edges`` (``edgeID``,
``fromID``, ``toID``, ``formEdgeID``) and an empty ``locutions`` list; ids are strings of
numbers, as AIFdb writes them, and the output is the same for the same map.

The mapping:

* every claim is an **I-node** (information) with the claim's text, in the map's node order;
* a **reason** or **evidence** (stance ``pro``) is an **RA-node** ("Default Inference"):
  claim -> RA -> parent. Linked co-premises (the same ``link`` group under the same parent)
  go into **one** RA: each premise -> RA, RA -> parent;
* an **objection** or **rebuttal** (stance ``con``) is a **CA-node** ("Default Conflict"):
  claim -> CA -> parent (linked objections share one CA);
* a cross-relation ``supports`` is an RA and ``attacks`` a CA between the two I-nodes;
* an ``undercuts`` cross-relation attacks the inference, not the claim: claim -> CA -> the RA (or
  CA) node that links the undercut claim to its parent.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Tea", (
    ...     Node("t", "Tea is good."),
    ...     Node("r", "It is tasty.", parent="t", stance="pro"),
    ...     Node("o", "It stains teeth.", parent="t", stance="con"),
    ... ))
    >>> doc = to_aif(m)
    >>> [(n["nodeID"], n["type"], n["text"]) for n in doc["nodes"]]
    [('1', 'I', 'Tea is good.'), ('2', 'I', 'It is tasty.'), ('3', 'I', 'It stains teeth.'), ('4', 'RA', 'Default Inference'), ('5', 'CA', 'Default Conflict')]
    >>> [(e["fromID"], e["toID"]) for e in doc["edges"]]
    [('2', '4'), ('4', '1'), ('3', '5'), ('5', '1')]
"""

from __future__ import annotations

from typing import Any

from argkit.model import ArgumentMap

__all__ = ["CA_TEXT", "RA_TEXT", "to_aif"]

RA_TEXT = "Default Inference"
CA_TEXT = "Default Conflict"


def to_aif(m: ArgumentMap) -> dict[str, Any]:
    """The map as an AIF JSON document (a dict ready for :func:`json.dumps`).

    Raises:
        KeyError: A parent or cross-relation names a claim that is not in the map (validate the
            map first, or load an overlay with :func:`argkit.load` so that it is merged).
    """
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    i_node: dict[str, str] = {}

    def add_node(text: str, kind: str) -> str:
        nid = str(len(nodes) + 1)
        nodes.append({"nodeID": nid, "text": text, "type": kind})
        return nid

    def add_edge(a: str, b: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": a, "toID": b, "formEdgeID": None})

    for n in m.nodes:
        i_node[n.id] = add_node(n.text, "I")

    # One S-node per tree inference; linked co-premises share theirs.
    s_node: dict[str, str] = {}
    groups: dict[tuple[str, str, str], str] = {}
    for n in m.nodes:
        if n.parent is None:
            continue
        m.node(n.parent)  # KeyError naming the map if the parent is missing
        kind, text = ("RA", RA_TEXT) if n.stance == "pro" else ("CA", CA_TEXT)
        key = (n.parent, n.stance or "", n.link) if n.link is not None else None
        if key is not None and key in groups:
            s = groups[key]
        else:
            s = add_node(text, kind)
            if key is not None:
                groups[key] = s
        s_node[n.id] = s
    # Edges: premises into their S-node, each S-node into its conclusion once.
    done: set[str] = set()
    for n in m.nodes:
        if n.parent is None:
            continue
        s = s_node[n.id]
        add_edge(i_node[n.id], s)
        if s not in done:
            done.add(s)
            add_edge(s, i_node[n.parent])
    for r in m.relations:
        src = i_node[r.from_id]
        if r.type == "supports":
            s = add_node(RA_TEXT, "RA")
            target = i_node[r.to_id]
        elif r.type == "attacks":
            s = add_node(CA_TEXT, "CA")
            target = i_node[r.to_id]
        else:  # undercuts: the conflict points at the inference from the target to its parent
            target = s_node.get(r.to_id) or i_node[r.to_id]
            s = add_node(CA_TEXT, "CA")
        add_edge(src, s)
        add_edge(s, target)
    return {"nodes": nodes, "edges": edges, "locutions": []}
