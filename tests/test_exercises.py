"""Exercise checks: open questions stay open, right and wrong answers explain themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

import argkit
from argkit.exercises import Feedback, check_author, check_kind, check_label, check_reject, check_target
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
