"""The course maps: valid, byte-stable, every quote in its reading, every voice on the right claim."""

from __future__ import annotations

from pathlib import Path

import pytest

import argkit
from argkit.quotes import check_quotes

ARGMAPS = Path(__file__).resolve().parent.parent / "argmaps"
FILES = sorted(ARGMAPS.glob("*.yaml"))
READINGS = {"cox-2022-blog", "cox-2022-update"}


@pytest.fixture(scope="module")
def debate() -> argkit.ArgumentMap:
    return argkit.load(ARGMAPS / "debate.yaml")


def test_the_course_maps_are_there():
    assert [p.name for p in FILES] == ["cox-thesis.yaml", "debate.yaml", "radchenko.yaml", "sceptics.yaml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_map_validates_and_resaves_byte_for_byte(path):
    assert argkit.validate(path) == []
    assert argkit.generate_map(argkit.read_map(path)) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_map_is_reference_material_with_its_readings(path):
    own = argkit.read_map(path)
    assert own.reference and own.description
    ids = {s.id for s in own.sources}
    assert ids >= READINGS
    for s in own.sources:
        assert s.author and s.year and s.publisher, s.id
    blog = own.source("cox-2022-blog")
    assert blog is not None and blog.title is None and blog.note  # no invented title
    assert blog.author == "Michael Cox" and blog.publisher == "LSE IDEAS (China Foresight blog)"


def test_the_overlays_chain_up_to_the_thesis(debate):
    chain, m = [], debate
    while m is not None:
        chain.append(Path(m.path).name)
        m = m.base
    assert chain == ["debate.yaml", "radchenko.yaml", "sceptics.yaml", "cox-thesis.yaml"]


def test_every_claim_says_whose_it_is_and_where_it_comes_from(debate):
    for n in debate.nodes:
        assert n.author and n.source, n.id
        assert debate.source(n.source) is not None, n.id
        assert 5 <= len(n.text.split()) <= 40, n.id  # short enough for a box


def test_every_quote_is_found_in_its_reading(debate, sources_dir):
    maps = [argkit.load(p) for p in FILES]
    results = check_quotes(maps, sources_dir)
    failed = [str(r) for r in results if not r.ok]
    assert failed == []
    assert len(results) == sum(1 for n in debate.nodes if n.quote is not None)


def test_quotes_are_copied_with_their_own_marks_and_spaces(debate, sources_dir):
    """Copied from the file, not retyped: curly marks and no-break spaces survive as printed."""
    import yaml

    index = yaml.safe_load((sources_dir / "index.yaml").read_text(encoding="utf-8"))
    raw = {sid: (sources_dir / e["file"]).read_text(encoding="utf-8") for sid, e in index.items()}
    for n in debate.nodes:
        if n.quote is not None:
            assert n.quote.text in raw[n.quote.source or n.source], n.id
    assert "\u00a0" in debate.node("rr_russia_economy").quote.text


def test_the_foreword_and_the_blurb_are_not_quoted_as_cox(debate):
    for n in debate.nodes:
        assert "Coker" not in (n.author or "")
        if n.quote is not None:
            for phrase in ("cooperation without limits", "Eurasian Iran", "fit for purpose",
                           "if not yet formal allies", "politically committed to its Russian partner"):
                assert phrase not in n.quote.text, n.id


# -- Cox's thesis and its reasons -------------------------------------------------------------------
STRANDS = {
    "r_history": "Cold War",
    "r_multipolar": "multipolar",
    "r_priority": "priority partner",
    "r_cooperation": "After 2014",
    "r_ukraine_backing": "2014 and 2022",
    "r_stands_by": "throughout the war",
    "r_west_pushes": "Western policy",
}


def test_the_contention_is_coxs(debate):
    cox = debate.node("cox")
    assert debate.kind("cox") == "contention" and debate.roots == (cox,)
    assert cox.author == "Michael Cox" and cox.source == "cox-2022-update"


@pytest.mark.parametrize("reason, words", STRANDS.items())
def test_each_main_reason_supports_the_thesis_with_quoted_evidence(debate, reason, words):
    n = debate.node(reason)
    assert n.parent == "cox" and debate.kind(reason) == "reason" and words in n.text
    assert n.author == "Michael Cox" and n.quote is not None
    evidence = [c for c in debate.children(reason) if debate.kind(c.id) == "evidence"]
    assert evidence, reason
    for e in evidence:
        assert e.quote is not None and e.basis in argkit.model.BASES, e.id


def test_evidence_is_dated_and_cites_its_endnotes(debate):
    evidence = [n for n in debate.nodes if debate.kind(n.id) == "evidence"]
    assert len(evidence) >= 25
    assert sum(1 for n in evidence if any(ch.isdigit() for ch in n.text)) >= 20
    notes = {n.quote.endnote for n in debate.nodes if n.quote and n.quote.endnote}
    assert {"14", "16", "26", "27", "30", "34", "39", "40", "41", "43"} <= notes


def test_better_than_allies_is_wang_yis_as_reported_in_the_blog(debate):
    n = debate.node("e_wang_better_than_allies")
    assert n.author == "Wang Yi" and n.source == "cox-2022-blog"
    assert "\u2018better than allies\u2019" in n.quote.text
    assert n.parent == "r_best_ever"


# -- the sceptics -------------------------------------------------------------------------------------
def attacked_by(m: argkit.ArgumentMap, node_id: str) -> set[str]:
    """Ids of the claims that attack ``node_id``, in the tree or by a cross-relation."""
    tree = {c.id for c in m.children(node_id) if c.stance == "con"}
    return tree | {r.from_id for r in m.relations if r.type == "attacks" and r.to_id == node_id}


def test_nye_attacks_the_thesis_with_no_words_of_his_own(debate):
    n = debate.node("o_nye")
    assert n.parent == "cox" and debate.kind("o_nye") == "objection"
    assert "Nye" in n.author and "never unite to challenge the West" in n.text
    assert n.quote is None  # the texts give none of Nye's words
    s = debate.source(n.source)
    assert (s.id, s.publisher, s.year, s.title) == (
        "nye-2015", "Project Syndicate", 2015, "A New Sino-Russia Alliance?")
    assert "endnote 9" in s.note
    assert attacked_by(debate, "o_nye")


def test_kupchan_attacks_the_thesis_and_only_marriage_and_bad_are_his(debate):
    n = debate.node("o_kupchan")
    assert n.parent == "cox" and n.author == "Charles Kupchan" and n.source == "cox-2022-blog"
    assert n.quote.text == "the \u2018marriage\u2019 between the two countries was a \u2018bad\u2019 one"
    assert {"rb_kissinger", "rb_radchenko"} <= attacked_by(debate, "o_kupchan")


def test_balzer_is_named_only_in_endnote_52(debate):
    n = debate.node("o_balzer")
    assert n.parent == "cox" and n.author == "Harley Balzer"
    assert n.quote.endnote == "52" and n.quote.source == "cox-2022-update"
    assert "\u2018fragile\u2019" in n.quote.text or "'fragile'" in n.quote.text
    s = debate.source(n.source)
    assert (s.id, s.publisher, s.year) == ("balzer-2021", "Atlantic Council", 2021)
    assert "endnote 52" in s.note
    rebuttal = debate.node("rb_stand_by")
    assert rebuttal.parent == "o_balzer" and rebuttal.author == "Michael Cox"
    assert rebuttal.quote.endnote == "53"


@pytest.mark.parametrize("node_id, words", [
    ("o_peaked", "\u2018peaked\u2019"),
    ("o_tensions", "\u2018underlying tensions\u2019"),
    ("o_durable", "\u2018durable strategy\u2019"),
    ("o_durable", "\u2018temporary rapprochement\u2019"),
    ("o_convenient", "'convenient'"),
])
def test_the_other_sceptical_voices_are_objections_with_a_reply(debate, node_id, words):
    n = debate.node(node_id)
    assert words in n.quote.text
    assert n.parent == "cox" and debate.kind(node_id) == "objection"
    assert attacked_by(debate, node_id), f"{node_id} has no reply"
    assert "Cox" not in n.author  # the sceptics' claims are not Cox's


def test_the_sceptics_with_endnotes_cite_the_works_the_endnotes_give(debate):
    assert debate.node("o_tensions").quote.endnote == "32"
    assert debate.source("chandran-2018").publisher == "CNBC"
    assert debate.node("o_durable").quote.endnote == "33"
    assert "China Perspectives" in debate.source("alexeeva-lasserre-2018").publisher


# -- Radchenko ----------------------------------------------------------------------------------------
def test_radchenko_rebuts_the_wedge_with_his_real_structure(debate):
    rb = debate.node("rb_radchenko")
    assert rb.author == "Sergey Radchenko" and rb.source == "cox-2022-blog"
    assert rb.parent == "o_kupchan" and debate.kind("rb_radchenko") == "rebuttal"
    # bad for Russia and bad for China: together, as linked premises
    reasons = debate.children("rb_radchenko")
    assert [r.id for r in reasons] == ["rr_russia", "rr_china"]
    assert {r.id for r in debate.co_premises("rr_russia")} == {"rr_russia", "rr_china"}
    # two separate reasons for Russia, one with its trade evidence
    for_russia = debate.children("rr_russia")
    assert [r.id for r in for_russia] == ["rr_russia_economy", "rr_russia_influence"]
    assert all(r.link is None for r in for_russia)
    [trade] = debate.children("rr_russia_economy")
    assert trade.basis == "statistic" and "number one foreign trade partner" in trade.quote.text
    assert "most significant partner" in debate.node("rr_china").quote.text


def test_radchenko_answers_two_claims(debate):
    assert "rb_radchenko" in attacked_by(debate, "o_kupchan")
    assert "rb_radchenko" in attacked_by(debate, "o_tensions")


# -- Cox's concessions --------------------------------------------------------------------------------
@pytest.mark.parametrize("node_id, words", [
    ("c_strains", "stresses and strains"),
    ("c_asymmetry", "Italy"),
    ("c_eaeu", "Eurasian Economic Union"),
    ("c_pulled_in", "pull it into a conflict"),
    ("c_nuclear", "nuclear weapons"),
    ("c_no_alliance", "Treaty of 2001"),
])
def test_coxs_concessions_are_objections_he_answers(debate, node_id, words):
    n = debate.node(node_id)
    assert n.author == "Michael Cox" and words in n.quote.text and "concession" in n.tags
    objection = n if debate.kind(node_id) == "objection" else debate.node(n.parent)
    assert debate.kind(objection.id) == "objection"
    assert attacked_by(debate, node_id), f"{node_id} has no counterpoint"
