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
    >>> check_label(m, "t", "OUT").ok
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from argkit._suggest import nearest
from argkit._text import shorten
from argkit.model import KINDS, ArgumentMap, Node
from argkit.semantics import LABELS, evaluate

__all__ = ["Feedback", "check_answered_by", "check_author", "check_choice", "check_kind", "check_label",
           "check_question", "check_reject", "check_reply", "check_target", "check_time_order"]

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


def _who(n: Node) -> str:
    return f" ({n.author})" if n.author else ""


def _unknown(m: ArgumentMap, answer: str) -> Feedback:
    near = nearest(answer, [n.id for n in m.nodes])
    hint = f" Did you mean '{near}'?" if near else ""
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
                              f"\"{shorten(parent.text, 300)}\" In the drawing this is "
                              f"{_LINE.get(kind, 'the line')} from '{node_id}' to its parent.{also}")
    if answer in cross:
        return Feedback(True, f"Right, by a cross-relation (a dotted line): '{node_id}' {verb} "
                              f"'{answer}'. In the tree it sits under '{parent.id}', "
                              f"\"{shorten(parent.text, 300)}\", which it {verb} as well.")
    if answer == node_id:
        return Feedback(False, f"'{node_id}' is the claim itself; name the claim it {verb}.")
    other = m.node(answer)
    if other.parent == node_id:
        return Feedback(False, f"Not quite: '{answer}' sits under '{node_id}' and is aimed at it, "
                               f"not the other way round. Follow the line from '{node_id}' upwards.")
    return Feedback(False, f"Not quite: '{answer}' is a {m.kind(answer)}{_who(other)}, "
                           f"\"{shorten(other.text, 300)}\" Read '{node_id}' again, "
                           f"\"{shorten(n.text, 300)}\", and ask which claim it {verb}; then follow "
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
        near = nearest(given, KINDS)
        hint = f" Did you mean '{near}'?" if near else ""
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


# -- what survives (evaluation) -----------------------------------------------------------
def _what_if_words(reject: tuple[str, ...], accept: tuple[str, ...]) -> str:
    parts = []
    if reject:
        parts.append("you reject " + ", ".join(reject))
    if accept:
        parts.append("you accept " + ", ".join(accept))
    return "if " + " and ".join(parts) if parts else "as the map stands"


def check_label(m: ArgumentMap, node_id: str, answer: str | None, *,
                reject: Iterable[str] = (), accept: Iterable[str] = ()) -> Feedback:
    """What label does ``node_id`` get (given what you reject or accept)?

    Returns :class:`Feedback` that explains the right label; ``answer=None`` means not answered yet.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con")))
        >>> check_label(m, "t", "IN")
        Not quite: as the map stands, t is OUT, not IN, because objection o is IN.
    """
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


def check_reject(m: ArgumentMap, target: str, answer: str | None) -> Feedback:
    """Name one claim which, if you rejected it, would make ``target`` OUT.

    Returns :class:`Feedback` that shows what the rejection changes.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("b", "Brushing helps.", parent="o", stance="con")))
        >>> check_reject(m, "t", "b").ok
        True
    """
    if answer is None or not str(answer).strip():
        return Feedback(None, "Not answered yet: set answer to the id of one claim, in quotes, "
                              "then run this cell again.")
    answer = str(answer).strip()
    if answer not in m:
        return _unknown(m, answer)
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


# -- the argument itself: how a reply answers, time order, multiple choice ---------------------
def _replies(m: ArgumentMap, target: str) -> dict[str, str]:
    """Claims that answer ``target``: id -> "rebuttal" (denies it) or "undercut" (cuts its step)."""
    out = {c.id: "rebuttal" for c in m.children(target) if c.stance == "con"}
    for r in m.relations:
        if r.to_id == target and r.type == "attacks":
            out.setdefault(r.from_id, "rebuttal")
        elif r.to_id == target and r.type == "undercuts":
            out[r.from_id] = "undercut"
    return out


def _how(m: ArgumentMap, reply: str, target: str, how: str) -> str:
    lab = evaluate(m)
    t = m.node(target)
    if how == "undercut":
        return (f"'{reply}' grants '{target}' and attacks only its step to '{t.parent}': '{target}' "
                f"stays {lab.label(target)} ({lab.explain(target)}), but it no longer counts against "
                f"'{t.parent}'. In the drawing: a dotted line marked 'undercuts the step'.")
    return (f"'{reply}' denies '{target}' itself: '{target}' is {lab.label(target)} "
            f"({lab.explain(target)}).")


def check_reply(m: ArgumentMap, reply: str, target: str, answer: str | None) -> Feedback:
    """Does ``reply`` answer ``target`` with a rebuttal (it denies the claim) or an undercut (it
    grants the claim and attacks only its step to its parent)?

    Example:
        >>> from argkit.model import ArgumentMap, Node, Relation
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("u", "Brushing removes the stains.", parent="t", stance="pro")),
        ...     relations=(Relation("u", "undercuts", "o"),))
        >>> check_reply(m, "u", "o", "undercut").ok, check_reply(m, "u", "o", "rebuttal").ok
        (True, False)
    """
    replies = _replies(m, target)
    if reply not in replies:
        return Feedback(None, f"'{reply}' does not answer '{target}' in this map: it neither attacks "
                              "it nor undercuts its step.")
    if answer is None or not str(answer).strip():
        return Feedback(None, 'Not answered yet: set answer to "rebuttal" or "undercut", then run '
                              "this cell again.")
    given = str(answer).strip().lower()
    near = nearest(given, ["rebuttal", "undercut"], cutoff=0.6)
    if given not in ("rebuttal", "undercut"):
        hint = f" Did you mean '{near}'?" if near else ""
        return Feedback(False, f"'{answer}' is neither; answer \"rebuttal\" or \"undercut\".{hint}")
    right = replies[reply]
    if given == right:
        return Feedback(True, f"Right: {_article(right)} {right}. " + _how(m, reply, target, right))
    ask = ("Does the reply say the claim is false, or does it grant the claim and deny that it "
           "counts against what it attacks? Look for 'even so', 'yet', 'nonetheless'.")
    return Feedback(False, f"Not quite. {ask} {_how(m, reply, target, right)}")


def check_answered_by(m: ArgumentMap, target: str, answer: str | None) -> Feedback:
    """Which claim answers ``target`` (attacks it, or undercuts its step)? Any of them counts; the
    feedback says how it answers.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("o", "It stains teeth.", parent="t", stance="con"),
        ...     Node("b", "Not green tea.", parent="o", stance="con")))
        >>> check_answered_by(m, "o", "b").ok, check_answered_by(m, "o", "t").ok
        (True, False)
    """
    replies = _replies(m, target)
    if answer is None or not str(answer).strip():
        return Feedback(None, f"Not answered yet: set answer to the id of a claim that answers "
                              f"'{target}', in quotes, then run this cell again.")
    answer = str(answer).strip()
    if answer not in m:
        return _unknown(m, answer)
    if answer in replies:
        how = replies[answer]
        return Feedback(True, f"Right: {_article(how)} {how}. " + _how(m, answer, target, how))
    t = m.node(target)
    if answer == t.parent:
        return Feedback(False, f"Not quite: '{answer}' is the claim '{target}' attacks, not an answer "
                               f"to it. Look for a claim that attacks '{target}' (under it) or a dotted "
                               "line marked 'undercuts the step' that ends at it.")
    if not replies:
        return Feedback(None, f"Nothing in this map answers '{target}' yet: that is a job for you.")
    return Feedback(False, f"Not quite: '{answer}' does not attack '{target}' or undercut its step. "
                           f"Look under '{target}', and for dotted lines that end at it.")


def check_time_order(m: ArgumentMap, doubt: str, answer: str | None) -> Feedback:
    """Name a dated claim of the map that comes *after* ``doubt``, so that it could answer it.

    Dates come from the claims' ``when-`` tags (see :mod:`argkit.timeline`).

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."),
        ...     Node("d", "Tea will go out of fashion.", parent="t", stance="con", tags=("when-1900",)),
        ...     Node("a", "It sold well.", parent="t", stance="pro", tags=("when-1890",)),
        ...     Node("b", "It still sold well.", parent="t", stance="pro", tags=("when-1950",))))
        >>> check_time_order(m, "d", "b").ok, check_time_order(m, "d", "a").ok
        (True, False)
    """
    from argkit.timeline import when, year_of

    start = year_of(m, doubt)
    if start is None:
        return Feedback(None, f"The map gives no date for '{doubt}'.")
    if answer is None or not str(answer).strip():
        return Feedback(None, f"Not answered yet: '{doubt}' is dated {when(m, doubt)}. Set answer to "
                              "the id of a dated claim that comes after it, then run this cell again.")
    answer = str(answer).strip()
    if answer not in m:
        return _unknown(m, answer)
    if answer == doubt:
        return Feedback(False, f"'{doubt}' is the doubt itself; name a claim that comes after it.")
    at = year_of(m, answer)
    if at is None:
        return Feedback(False, f"The map gives no date for '{answer}': a reply needs a date to show "
                               "it comes after the doubt. print(timeline.chronology(m)) lists the "
                               "dated claims.")
    if int(at) > int(start) or (at > start and when(m, answer) != when(m, doubt)):
        return Feedback(True, f"Right: '{answer}' is dated {when(m, answer)}, after '{doubt}' "
                              f"({when(m, doubt)}), so it can bear on the doubt: \"{shorten(m.node(answer).text, 160)}\"")
    return Feedback(False, f"Not quite: '{answer}' is dated {when(m, answer)}, and '{doubt}' "
                           f"{when(m, doubt)}. Evidence from before a doubt was voiced cannot answer "
                           "it: the doubter knew it, or could have.")


def check_choice(answer: str | None, options: dict[str, str], right: str,
                 why: dict[str, str]) -> Feedback:
    """A multiple-choice question: ``options`` maps a letter to a statement, ``right`` is the right
    letter and ``why`` says, for each letter, why it is right or wrong.

    Example:
        >>> opts = {"a": "Tea is a drink.", "b": "Tea is a rock."}
        >>> print(check_choice("b", opts, "a", {"a": "It is.", "b": "Rocks are not drunk."}))
        Not quite: (b) Tea is a rock. Rocks are not drunk.
    """
    if answer is None or not str(answer).strip():
        listed = "".join(f"\n  ({k}) {v}" for k, v in options.items())
        return Feedback(None, f"Not answered yet: set answer to one letter, then run this cell again:{listed}")
    given = str(answer).strip().lower().strip("()")
    if given not in options:
        return Feedback(False, f"'{answer}' is not one of the letters "
                               + ", ".join(f'"{k}"' for k in options) + ".")
    verdict = "Right" if given == right else "Not quite"
    return Feedback(given == right, f"{verdict}: ({given}) {options[given]} {why.get(given, '')}".rstrip())


# The course's multiple-choice questions: kept here, not in the notebooks, so that a notebook's code
# does not show the answer (a self-study learner finds the model answer under "Show the model answer").
QUESTIONS: dict[str, tuple[dict[str, str], str, dict[str, str]]] = {
    "warrant": (
        {
            "a": "If a split is a bad idea for a side, that side will not want one.",
            "b": "A wedge can succeed only if at least one side wants a split.",
            "c": "A wedge fails only if neither side wants a split.",
            "d": "Russia and China have never split before.",
        },
        "b",
        {
            "a": "That premise is needed too, but it links 'bad idea' to 'not wanted'; it does not get "
                 "you from 'neither wants a split' to 'a wedge won't work'.",
            "b": "With it, 'a split is a bad idea for Russia and for China' gives 'neither wants one', "
                 "and so 'a wedge won't work'. The map adds it as rr_warrant, linked with the two sides, "
                 "and adds the obvious counter: a wedge changes what each side is offered (rr_offer).",
            "c": "That is the converse: it says when a wedge fails, not what it needs to succeed, so it "
                 "does not get you from 'neither wants a split' to 'a wedge won't work'.",
            "d": "False (the Sino-Soviet split of the 1960s) and beside the point: Radchenko argues from "
                 "interests today, not from history.",
        },
    ),
    "sovereignty-date": (
        {
            "a": "e_2014_agreement: its endnote dates the agreement to 2015.",
            "b": "e_sovereignty: it sits in Cox's account of 2014, but its endnote 29 cites a press "
                 "conference of 22 February 2022.",
            "c": "e_2013_trade: trade could not rise eightfold in ten years.",
            "d": "e_2021_no_limit: the 'no limit' remark was made in February 2022.",
        },
        "b",
        {
            "a": "Endnote 34 names the May 2014 joint statement; the date fits where Cox tells it.",
            "b": "The words Cox uses for 2014 come from 2022, two days before the invasion. Either China "
                 "said the same in 2014 and Cox cites a later instance, or 2022 is read back into 2014: "
                 "the text does not say which. The war that had 'not yet begun' is the 2022 one.",
            "c": "'By 2013, trade between them had risen eightfold over a ten-year period' is Cox's figure, "
                 "and its date fits where it is told.",
            "d": "Cox dates it 'by early 2021' (endnote 41); the February 2022 statement is a different "
                 "'no limits' (see the glossary in notebook 07).",
        },
    ),
}


def check_question(name: str, answer: str | None) -> Feedback:
    """One of the course's multiple-choice questions (:data:`QUESTIONS`), checked with :func:`check_choice`.

    Example:
        >>> check_question("warrant", "c").ok
        False
    """
    options, right, why = QUESTIONS[name]
    return check_choice(answer, options, right, why)
