"""Exercise checks: open questions stay open, right and wrong answers explain themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

import argkit
from argkit.exercises import (
    Feedback,
    check_answered_by,
    check_author,
    check_choice,
    check_kind,
    check_label,
    check_question,
    check_reject,
    check_reply,
    check_target,
    check_time_order,
)
from argkit.model import ArgumentMap, Node

ARGMAPS = Path(__file__).resolve().parent.parent / "argmaps"


@pytest.fixture(scope="module")
def m() -> argkit.ArgumentMap:
    return argkit.load(ARGMAPS / "debate.yaml")


@pytest.mark.parametrize("check, node", [(check_target, "o_nye"), (check_kind, "o_nye"),
                                         (check_author, "o_balzer")])
@pytest.mark.parametrize("answer", [None, "", "   "])
def test_no_answer_yet_is_neither_right_nor_wrong(m, check, node, answer):
    fb = check(m, node, answer)
    assert fb.ok is None and fb.message.startswith("Not answered yet: set answer to")


def test_feedback_shows_as_its_message(m):
    fb = check_target(m, "o_nye", "cox")
    assert isinstance(fb, Feedback) and repr(fb) == str(fb) == fb.message


def test_the_right_target_explains_the_line(m):
    fb = check_target(m, "o_nye", "cox")
    assert fb.ok is True
    assert fb.message.startswith("Right: the objection 'o_nye' (Joseph S. Nye Jr) attacks 'cox'")
    assert "a dashed line marked 'but'" in fb.message


def test_a_cross_relation_target_counts_and_is_explained(m):
    fb = check_target(m, "rb_radchenko", "o_tensions")
    assert fb.ok is True and "cross-relation" in fb.message and "o_wedge" in fb.message
    fb = check_target(m, "rb_radchenko", "o_wedge")
    assert fb.ok is True and "It also attacks 'o_tensions'" in fb.message


def test_nye_attacks_the_multipolar_aim_too(m):
    fb = check_target(m, "o_nye", "r_multipolar")
    assert fb.ok is True and "cross-relation" in fb.message


def test_a_wrong_target_gives_a_hint_not_the_answer(m):
    fb = check_target(m, "o_nye", "r_priority")
    assert fb.ok is False and "'r_priority' is a reason (Michael Cox)" in fb.message
    assert "'cox'" not in fb.message


def test_answering_with_a_child_says_the_line_goes_the_other_way(m):
    fb = check_target(m, "o_nye", "rb_united")
    assert fb.ok is False and "not the other way round" in fb.message


def test_an_unknown_id_suggests_the_nearest(m):
    fb = check_target(m, "o_nye", "o_ney")
    assert fb.ok is False and "There is no claim 'o_ney'" in fb.message and "'o_nye'" in fb.message


@pytest.mark.parametrize("node, kind", [("cox", "contention"), ("r_history", "reason"),
                                        ("e_2015_arms", "evidence"), ("o_wedge", "objection"),
                                        ("rb_kissinger", "rebuttal")])
def test_check_kind(m, node, kind):
    assert check_kind(m, node, kind).ok is True
    assert check_kind(m, node, kind.upper() + " ").ok is True
    wrong = "reason" if kind != "reason" else "objection"
    assert check_kind(m, node, wrong).ok is False
    fb = check_kind(m, node, "rebutal")
    assert fb.ok is False and "Did you mean 'rebuttal'?" in fb.message


@pytest.mark.parametrize("answer, ok", [("Balzer", True), ("harley balzer", True), ("Cox", False),
                                        ("Nye", False)])
def test_check_author(m, answer, ok):
    fb = check_author(m, "o_balzer", answer)
    assert fb.ok is ok
    if ok:
        assert "endnote 52" in fb.message and "inner quotation marks" in fb.message


def test_the_contention_has_no_target(m):
    assert check_target(m, "cox", "cox").ok is None


# -- what survives: labels and rejections (moved from argkit.semantics) -------------------------
COX = ArgumentMap("Hand", (
    Node("cox", "Claim cox.", author="Michael Cox"),
    Node("r1", "Claim r1.", parent="cox", stance="pro", author="Michael Cox"),
    Node("k2", "Claim k2.", parent="cox", stance="con", author="Charles Kupchan"),
    Node("rad", "Claim rad.", parent="k2", stance="con", author="Sergey Radchenko"),
))


def test_check_label_explains_the_right_label():
    assert check_label(COX, "k2", None).ok is None
    fb = check_label(COX, "k2", "out")
    assert fb.ok is True and str(fb) == ("Right: as the map stands, k2 is OUT because "
                                         "rebuttal rad (Radchenko) is IN.")
    fb = check_label(COX, "cox", "IN", reject=["rad"])
    assert fb.ok is False and "if you reject rad, cox is OUT, not IN, because objection k2" in str(fb)
    fb = check_label(COX, "cox", "OUT", reject=["r1"])
    assert fb.ok is False and "support neither defeats nor defends" in str(fb)
    assert check_label(COX, "cox", "maybe").ok is False


def test_check_reject_shows_what_changes():
    assert check_reject(COX, "cox", None).ok is None
    fb = check_reject(COX, "cox", "rad")
    assert fb.ok is True and str(fb) == ("Right: if you reject rad, cox is OUT because objection k2 "
                                         "(Kupchan) is IN. What changes: cox IN→OUT; k2 OUT→IN; rad IN→OUT.")
    fb = check_reject(COX, "cox", "r1")
    assert fb.ok is False and "cox is still IN" in str(fb)
    assert "Did you mean 'rad'?" in str(check_reject(COX, "cox", "rdd"))
    assert check_reject(COX, "cox", "cox").ok is False


# -- the argument: rebuttal or undercut, who answers, time order, multiple choice -------------------
@pytest.mark.parametrize("reply, target, right", [
    ("rb_stand_by", "o_balzer", "undercut"), ("rb_remarkable", "c_nuclear", "undercut"),
    ("rb_little_difference", "o_statecraft", "undercut"), ("rb_kissinger", "o_wedge", "rebuttal"),
    ("rb_answer", "o_tensions", "rebuttal"), ("rb_united", "o_nye", "rebuttal"),
])
def test_check_reply_tells_a_rebuttal_from_an_undercut(m, reply, target, right):
    wrong = "rebuttal" if right == "undercut" else "undercut"
    fb = check_reply(m, reply, target, right)
    assert fb.ok is True and fb.message.startswith(f"Right: {'an' if right == 'undercut' else 'a'} {right}")
    assert ("stays IN" in fb.message) is (right == "undercut")
    fb = check_reply(m, reply, target, wrong)
    assert fb.ok is False and "even so" in fb.message
    assert check_reply(m, reply, target, None).ok is None
    assert "Did you mean 'undercut'" in check_reply(m, reply, target, "undercutt").message


def test_check_reply_on_a_claim_that_does_not_answer(m):
    assert check_reply(m, "rb_kissinger", "o_nye", "rebuttal").ok is None


@pytest.mark.parametrize("target, answer, ok", [
    ("o_balzer", "rb_stand_by", True), ("c_nuclear", "rb_nato", True), ("c_nuclear", "rb_remarkable", True),
    ("o_wedge", "rb_officials", True), ("o_wedge", "o_kupchan", False), ("o_statecraft", "r_ukraine_backing", False),
])
def test_check_answered_by(m, target, answer, ok):
    fb = check_answered_by(m, target, answer)
    assert fb.ok is ok
    if answer == m.node(target).parent:
        assert "is the claim" in fb.message


def test_check_answered_by_says_when_nothing_answers(m):
    assert check_answered_by(m, "rr_offer", "cox").ok is None  # the counter is left for the class


@pytest.mark.parametrize("answer, ok", [("e_2014_agreement", False), ("e_2016_internet", False),
                                        ("e_2019_xinjiang", True), ("e_2022_sept_meeting", True),
                                        ("r_history", False), ("o_durable", False)])
def test_check_time_order(m, answer, ok):
    fb = check_time_order(m, "o_durable", answer)
    assert fb.ok is ok
    if answer == "r_history":
        assert "no date" in fb.message


def test_check_choice():
    opts = {"a": "A.", "b": "B."}
    why = {"a": "Yes.", "b": "No."}
    assert check_choice(None, opts, "a", why).ok is None
    assert check_choice(" (A) ", opts, "a", why).message == "Right: (a) A. Yes."
    assert check_choice("b", opts, "a", why).ok is False
    assert "not one of the letters" in check_choice("z", opts, "a", why).message


@pytest.mark.parametrize("name", ["warrant", "sovereignty-date"])
def test_the_course_questions_have_one_right_letter_and_a_reason_for_each(name):
    from argkit.exercises import QUESTIONS

    options, right, why = QUESTIONS[name]
    assert right in options and set(why) == set(options)
    assert check_question(name, right).ok is True
    assert all(check_question(name, k).ok is False for k in options if k != right)
    assert all(f"({k})" in check_question(name, None).message for k in options)


# -- what a student sees on the less common paths ----------------------------------------------------------
TEA = ArgumentMap("Tea", (
    Node("t", "Tea is good."),
    Node("o", "It stains teeth.", parent="t", stance="con", author="A. Dentist", tags=("when-1900",)),
    Node("u", "It warms you.", parent="t", stance="pro"),
    Node("b", "Not green tea.", parent="o", stance="con", tags=("when-1950",)),
))


@pytest.mark.parametrize("check, args", [
    (check_answered_by, ("o",)), (check_time_order, ("o",)),
])
def test_the_answer_checks_say_not_answered_yet_and_name_the_nearest_id(check, args):
    fb = check(TEA, *args, "  ")
    assert fb.ok is None and fb.message.startswith("Not answered yet:")
    fb = check(TEA, *args, "bb")
    assert fb.ok is False and fb.message.startswith("There is no claim 'bb' in this map. Did you mean 'b'?")


def test_the_claim_itself_is_not_its_own_target_or_reply():
    assert check_target(TEA, "o", "o") == Feedback(False, "'o' is the claim itself; name the claim it attacks.")
    fb = check_time_order(TEA, "o", "o")
    assert fb.ok is False and fb.message == "'o' is the doubt itself; name a claim that comes after it."


def test_a_claim_with_no_date_or_no_author_is_said_to_have_none():
    assert check_time_order(TEA, "u", "b") == Feedback(None, "The map gives no date for 'u'.")
    assert check_author(TEA, "b", "A. Dentist") == Feedback(None, "The map does not say whose claim 'b' is.")
    assert check_time_order(TEA, "o", None).message.startswith("Not answered yet: 'o' is dated 1900.")


def test_check_label_says_what_you_accepted():
    fb = check_label(TEA, "t", "OUT", accept=["o"])
    assert fb.ok is True and fb.message.startswith("Right: if you accept o, t is OUT because ")


def test_check_reject_on_a_target_already_out_says_so():
    m = ArgumentMap("Tea", TEA.nodes[:3])  # nothing answers the objection
    fb = check_reject(m, "t", "u")
    assert fb.ok is None and fb.message.startswith("t is already OUT as the map stands, because ")


def test_the_checks_are_one_namespace_on_argkit_without_importing_it(monkeypatch):
    import argkit.exercises as ex

    monkeypatch.delattr(argkit, "exercises")  # as in a fresh kernel: only `import argkit` was run
    assert argkit.exercises is ex and argkit.exercises.check_kind is check_kind
