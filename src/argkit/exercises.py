"""Exercises with feedback: a student answers in code, the map itself says whether it is right.

Each check takes the map, the claim the question is about and the student's ``answer``, and
returns :class:`Feedback` that explains, in words for the student, why the answer is right or
what to look at. An answer of ``None`` means "not answered yet", so a notebook can be committed
with its questions open.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
    ...     Node("r", "It is tasty.", parent="t", stance="pro"),
    ...     Node("o", "It stains teeth.", parent="t", stance="con", author="Bo")))
    >>> check_target(m, "o", None).ok is None
    True
    >>> print(check_target(m, "o", "t"))  # doctest: +ELLIPSIS
    Right: the objection 'o' (Bo) attacks 't', "Tea is good." ...
    >>> check_kind(m, "o", "objection").ok
    True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from argkit.model import KINDS, ArgumentMap, Node

__all__ = ["Feedback", "check_author", "check_kind", "check_target"]

_VERB = {"pro": "supports", "con": "attacks"}
_LINE = {
    "reason": "a solid line marked 'because'",
    "evidence": "a solid line with a hollow arrow, marked 'as shown by'",
    "objection": "a dashed line marked 'but'",
    "rebuttal": "a dashed line marked 'however'",
}
_RULES = {
    "contention": "a claim with no parent: the thesis the whole map argues about",
    "reason": "a claim for its parent (stance pro) that is not marked as evidence",
    "evidence": "a claim with a basis (a quote, an event, a statistic, a document...) that "
                "supports its parent",
    "objection": "a claim against its parent (stance con) where the parent is not itself an objection",
    "rebuttal": "a claim against an objection: an answer to an attack",
}


@dataclass(frozen=True, slots=True)
class Feedback:
    """The result of a check: ``ok`` is True, False, or None when there is no answer yet."""

    ok: bool | None
    message: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message


def _short(text: str, n: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _who(n: Node) -> str:
    return f" ({n.author})" if n.author else ""


def _unknown(m: ArgumentMap, answer: str) -> Feedback:
    near = difflib.get_close_matches(answer, [n.id for n in m.nodes], n=1, cutoff=0.5)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    return Feedback(False, f"There is no claim '{answer}' in this map.{hint} The ids are the "
                           "words in [brackets] in argkit.to_outline(m).")


def check_target(m: ArgumentMap, node_id: str, answer: str | None) -> Feedback:
    """Which claim does ``node_id`` support or attack? Right answers: its parent, or a claim it
    points at by a cross-relation of the same kind.

    Args:
        m: The map the question is about.
        node_id: The claim whose target the student names.
        answer: The student's answer: the id of a claim, or ``None`` if not answered yet.
    """
    n = m.node(node_id)
    kind = m.kind(node_id)
    if n.parent is None:
        return Feedback(None, f"'{node_id}' is the contention: it supports or attacks nothing.")
    verb = _VERB.get(n.stance or "", "answers")
    if answer is None or not str(answer).strip():
        return Feedback(None, f"Not answered yet: set answer to the id of the claim that "
                              f"'{node_id}' {verb}, in quotes, then run this cell again.")
    answer = str(answer).strip()
    if answer not in m:
        return _unknown(m, answer)
    parent = m.node(n.parent)
    cross = [r.to_id for r in m.relations
             if r.from_id == node_id and r.type == ("attacks" if n.stance == "con" else "supports")]
    if answer == parent.id:
        also = (f" It also {verb} " + ", ".join(f"'{c}'" for c in cross) + " by a cross-relation "
                "(a dotted line)." if cross else "")
        return Feedback(True, f"Right: the {kind} '{node_id}'{_who(n)} {verb} '{parent.id}', "
                              f"\"{_short(parent.text)}\" In the drawing this is "
                              f"{_LINE.get(kind, 'the line')} from '{node_id}' to its parent.{also}")
    if answer in cross:
        return Feedback(True, f"Right, by a cross-relation (a dotted line): '{node_id}' {verb} "
                              f"'{answer}'. In the tree it sits under '{parent.id}', "
                              f"\"{_short(parent.text)}\", which it {verb} as well.")
    if answer == node_id:
        return Feedback(False, f"'{node_id}' is the claim itself; name the claim it {verb}.")
    other = m.node(answer)
    if other.parent == node_id:
        return Feedback(False, f"Not quite: '{answer}' sits under '{node_id}' and is aimed at it, "
                               f"not the other way round. Follow the line from '{node_id}' upwards.")
    return Feedback(False, f"Not quite: '{answer}' is a {m.kind(answer)}{_who(other)}, "
                           f"\"{_short(other.text)}\" Read '{node_id}' again, "
                           f"\"{_short(n.text)}\", and ask which claim it {verb}; then follow "
                           f"{_LINE.get(kind, 'its line')} from its box.")


def check_kind(m: ArgumentMap, node_id: str, answer: str | None) -> Feedback:
    """What kind of claim is ``node_id`` (contention, reason, objection, rebuttal, evidence)?"""
    kind = m.kind(node_id)
    choices = ", ".join(f'"{k}"' for k in KINDS)
    if answer is None or not str(answer).strip():
        return Feedback(None, f"Not answered yet: set answer to one of {choices}, then run this "
                              "cell again.")
    given = str(answer).strip().lower()
    if given not in KINDS:
        near = difflib.get_close_matches(given, KINDS, n=1, cutoff=0.5)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        return Feedback(False, f"'{answer}' is not a kind of claim; the kinds are {choices}.{hint}")
    if given == kind:
        return Feedback(True, f"Right: '{node_id}' is {_article(kind)} {kind}, {_RULES[kind]}.")
    return Feedback(False, f"Not quite: {_article(given)} {given} is {_RULES[given]}. "
                           f"Look at '{node_id}': what is its parent, and is it for or against it?")


def check_author(m: ArgumentMap, node_id: str, answer: str | None) -> Feedback:
    """Whose claim is ``node_id``? Any part of the author's name counts (``"Balzer"``)."""
    n = m.node(node_id)
    if n.author is None:
        return Feedback(None, f"The map does not say whose claim '{node_id}' is.")
    if answer is None or not str(answer).strip():
        return Feedback(None, "Not answered yet: set answer to a name, in quotes, then run this "
                              "cell again.")
    given = str(answer).strip().lower()
    source = m.source(n.source)
    where = f" (source: {source.citation()}, {source.id})" if source else ""
    note = ""
    if n.quote is not None:
        qsource = m.source(n.quote.source) if n.quote.source else source
        printed = f"{qsource.citation()}, {qsource.id}" if qsource else (n.quote.source or n.source)
        endnote = f", endnote {n.quote.endnote}" if n.quote.endnote else ""
        note = (f" Its quoted words are printed in {printed}{endnote}: where Cox reports someone, "
                "only the words inside the inner quotation marks are theirs.")
    names = n.author.lower().replace("(", " ").replace(")", " ").split()
    if all(word in names for word in given.replace(".", "").split()) or given in n.author.lower():
        return Feedback(True, f"Right: '{node_id}' is the claim of {n.author}{where}.{note}")
    return Feedback(False, f"Not quite: the map does not give '{node_id}' to '{answer}'. Read its "
                           "box: the header names the author after the kind. Who is reported as "
                           "saying it, and does an endnote name them?")


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
