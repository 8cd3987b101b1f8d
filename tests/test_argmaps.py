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
    assert [p.name for p in FILES] == ["cox-thesis.yaml", "debate.yaml", "radchenko.yaml", "sceptics.yaml",
                                       "ukraine-taiwan.yaml"]


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
    quoted = {(n.id, n.quote.text) for m in maps for n in m.nodes if n.quote is not None}
    assert len(results) == len(quoted) > sum(1 for n in debate.nodes if n.quote is not None)


def test_quotes_are_copied_with_their_own_marks_and_spaces(debate, sources_dir):
    """Copied from the file, not retyped: curly marks and no-break spaces survive as printed."""
    import yaml

    index = yaml.safe_load((sources_dir / "index.yaml").read_text(encoding="utf-8"))
    raw = {sid: (sources_dir / e["file"]).read_text(encoding="utf-8") for sid, e in index.items()}
    for m in (debate, argkit.load(ARGMAPS / "ukraine-taiwan.yaml")):
        for n in m.nodes:
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
    "r_cooperation": "cooperation grew and widened",
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


def test_kupchan_is_split_into_his_bad_marriage_and_coxs_wedge_step(debate):
    """Only 'marriage' and 'bad' are Kupchan's (blog L10); 'so bad perhaps ... exploited' is Cox's wording."""
    kupchan, wedge = debate.node("o_kupchan"), debate.node("o_wedge")
    assert kupchan.author == "Charles Kupchan" and kupchan.source == "cox-2022-blog"
    assert kupchan.quote.text == "the \u2018marriage\u2019 between the two countries was a \u2018bad\u2019 one"
    assert (kupchan.parent, kupchan.stance) == ("o_wedge", "pro")
    assert wedge.parent == "cox" and debate.kind("o_wedge") == "objection"
    assert "Kupchan" not in wedge.quote.text and "perhaps" in wedge.quote.text
    assert not wedge.author.startswith("Charles Kupchan") and "Cox" in wedge.author
    # the answers attack the wedge step, not the bad marriage
    assert {"rb_kissinger", "rb_radchenko", "rb_officials"} <= attacked_by(debate, "o_wedge")
    assert attacked_by(debate, "o_kupchan") == set()
    assert "push the two countries even closer together" in debate.node("rb_officials").quote.text


def test_the_kissinger_reply_keeps_coxs_hedge_and_the_split_that_came_first(debate):
    n = debate.node("rb_kissinger")
    assert "may have been able to" in n.text and "already deeply divided" in n.text
    assert n.quote.text.startswith("Henry Kissinger may have been able to drive a wedge")


def test_balzer_is_named_only_in_endnote_52_and_cox_undercuts_him(debate):
    n = debate.node("o_balzer")
    assert n.parent == "cox" and n.author == "Harley Balzer"
    assert n.quote.endnote == "52" and n.quote.source == "cox-2022-update"
    assert "\u2018fragile\u2019" in n.quote.text or "'fragile'" in n.quote.text
    s = debate.source(n.source)
    assert (s.id, s.publisher, s.year) == ("balzer-2021", "Atlantic Council", 2021)
    assert "endnote 52" in s.note
    reply = debate.node("rb_stand_by")
    assert reply.author == "Michael Cox" and reply.quote.endnote == "53"
    # Cox does not deny 'fragile': he attacks the step from it to 'not deep or lasting'
    assert (reply.parent, reply.stance) == ("r_stands_by", "pro")
    assert argkit.Relation("rb_stand_by", "undercuts", "o_balzer") in debate.relations
    lab = argkit.evaluate(debate)
    assert lab.label("o_balzer") == "IN" and lab.inferences["o_balzer"] == "OUT"
    assert "undercut by rb_stand_by" in lab.explain("o_balzer")


def test_nye_is_answered_by_what_cox_narrates_and_also_attacks_the_multipolar_aim(debate):
    assert debate.node("rb_united").parent == "o_nye"
    assert argkit.Relation("o_nye", "attacks", "r_multipolar") in debate.relations
    # 'has become as significant' answers 'of little international consequence', not Nye
    assert debate.node("rb_significant").parent == "o_convenient"
    conv = debate.node("o_convenient")
    assert "once" in conv.text and "others" in conv.text and "only Nye" in conv.text
    assert conv.quote.endnote == "9" and "Nye" not in conv.author


def test_the_answer_to_the_2018_doubts_is_backed_by_later_evidence(debate):
    backers = {r.from_id for r in debate.relations if r.type == "supports" and r.to_id == "rb_answer"}
    assert backers and "e_2014_agreement" not in backers
    for e in backers:
        years = [int(w) for w in debate.node(e).text.replace(",", " ").split() if w.isdigit() and len(w) == 4]
        assert years and min(years) >= 2019, e
    assert "2018" in debate.node("rb_answer").text


def test_names_are_spelled_right_with_the_endnotes_misprints_flagged(debate):
    assert debate.node("o_durable").author == "Olga Alexeeva and Fr\u00e9d\u00e9ric Lasserre"
    assert "Lassere" in debate.source("alexeeva-lasserre-2018").note
    assert debate.node("e_2021_strongest").author.startswith("Nigel Gould-Davies")
    assert "Gould Davis" in debate.node("e_2021_strongest").text


def test_hedges_are_kept(debate):
    assert "from all appearances it seems" in debate.node("rb_opposite").quote.text
    assert "perhaps" in debate.node("e_2014_xinhua").quote.text
    assert "almost certainly" in debate.node("o_own_interests").quote.text
    assert "as it felt it now did" in debate.node("r_west_pushes").quote.text
    assert "July" in debate.node("r_best_ever").text and "one well-informed western analyst" in \
        debate.node("r_best_ever").text
    focal = debate.node("e_1997_focal_points")
    assert "Yeltsin" not in focal.author and focal.quote.endnote == "16"


def test_evidence_sits_under_the_reason_of_its_time(debate):
    assert debate.node("e_2013_trade").parent == "r_cooperation"
    assert debate.node("e_2022_vocabulary").parent == "r_stands_by"
    assert "no limits" in debate.node("e_2022_feb_communique").text
    assert "not the February 2022" in debate.node("e_2021_no_limit").text


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
    assert rb.parent == "o_wedge" and debate.kind("rb_radchenko") == "rebuttal"
    # bad for Russia and bad for China, with the unstated warrant: together, as linked premises
    reasons = debate.children("rb_radchenko")
    assert [r.id for r in reasons] == ["rr_russia", "rr_china", "rr_warrant"]
    assert {r.id for r in debate.co_premises("rr_russia")} == {"rr_russia", "rr_china", "rr_warrant"}
    # two separate reasons for Russia, one with its trade evidence
    for_russia = debate.children("rr_russia")
    assert [r.id for r in for_russia] == ["rr_russia_economy", "rr_russia_influence"]
    assert all(r.link is None for r in for_russia)
    [trade] = debate.children("rr_russia_economy")
    assert trade.basis == "statistic" and "number one foreign trade partner" in trade.quote.text
    assert "most significant partner" in debate.node("rr_china").quote.text


def test_the_unstated_warrant_is_the_courses_and_meets_its_obvious_counter(debate):
    w = debate.node("rr_warrant")
    assert w.quote is None and "inference" in w.tags and "the course" in w.author
    assert "only if at least one side wants a split" in w.text
    [counter] = debate.children("rr_warrant")
    assert counter.stance == "con" and "offered" in counter.text
    desc = argkit.read_map(ARGMAPS / "radchenko.yaml").description
    assert "succeed only if at least one side wants a split" in desc
    lab = argkit.evaluate(debate)
    assert lab.label("rr_warrant") == "OUT" and lab.label("rb_radchenko") == "IN"
    assert "does not hold" in lab.explain("rr_russia")


def test_radchenko_answers_two_claims(debate):
    assert "rb_radchenko" in attacked_by(debate, "o_wedge")
    assert "rb_radchenko" in attacked_by(debate, "o_tensions")


# -- Cox's concessions --------------------------------------------------------------------------------
CONCESSIONS = {
    "c_strains": ("stresses and strains", "r_ukraine_backing"),
    "c_nuclear": ("nuclear weapons", "rb_remarkable"),
    "c_no_alliance": ("Treaty of 2001", "rb_new_configuration"),
    "c_need_west": ("markets and the investment", "rb_power_politics"),
    "c_caution": ("showing its hand", "r_gain_china"),
}


@pytest.mark.parametrize("node_id, words, answer", [(k, *v) for k, v in CONCESSIONS.items()])
def test_coxs_concessions_stand_and_his_even_so_undercuts_them(debate, node_id, words, answer):
    n = debate.node(node_id)
    assert n.author == "Michael Cox" and words in n.quote.text and "concession" in n.tags
    assert debate.kind(node_id) == "objection" and attacked_by(debate, node_id) == set()
    assert argkit.Relation(answer, "undercuts", node_id) in debate.relations
    # the answer hangs as a reason (pro, all the way up) for the claim the concession attacks
    a, chain = debate.node(answer), []
    while a.parent is not None and a.id != n.parent:
        chain.append(a.stance)
        a = debate.node(a.parent)
    assert a.id == n.parent and set(chain) == {"pro"}
    assert debate.node(answer).author == "Michael Cox"
    lab = argkit.evaluate(debate)
    assert lab.label(node_id) == "IN" and lab.inferences[node_id] == "OUT"
    assert f"its attack on {n.parent} is undercut by {answer}" in lab.explain(node_id)


def test_the_strains_stand_too(debate):
    for node_id in ("c_asymmetry", "c_eaeu", "c_pulled_in"):
        n = debate.node(node_id)
        assert n.parent == "c_strains" and n.stance == "pro" and "concession" in n.tags
    assert debate.node("rb_dependence").parent == "c_asymmetry"
    assert argkit.Relation("rb_dependence", "undercuts", "c_asymmetry") in debate.relations
    assert "rb_eurasia" not in debate  # a 2015 plan cannot rebut a 2022 'look dim'


def test_evaluate_leaves_every_claim_of_coxs_in(debate):
    lab = argkit.evaluate(debate)
    coxs = [n.id for n in debate.nodes if n.author == "Michael Cox"]
    assert len(coxs) > 50
    assert [i for i in coxs if lab.label(i) != "IN"] == []
    assert lab.label("cox") == "IN"


def test_cox_draws_the_consequences_and_each_sides_gains(debate):
    assert debate.node("r_challenge").parent == "cox"
    assert "dangerous place" in debate.node("r_dangerous").quote.text
    assert [c.id for c in debate.children("r_gains")] == ["r_gain_china", "r_gain_russia"]
    assert "strategic playbook" in debate.node("r_gain_china").quote.text
    assert debate.node("o_anticipated").parent == "cox"
    assert debate.node("rb_opposite").parent == "o_anticipated"
    assert argkit.Relation("rb_little_difference", "undercuts", "o_statecraft") in debate.relations
    assert debate.node("e_sovereignty").quote.endnote == "29"


# -- the Ukraine-Taiwan extension ---------------------------------------------------------------------
def test_the_ukraine_taiwan_strand_is_its_own_map():
    m = argkit.load(ARGMAPS / "ukraine-taiwan.yaml")
    assert m.extends is None and [r.id for r in m.roots] == ["ut_link"]
    assert {"e_mccaul", "e_cropsey", "ut_not_taiwan"} <= {n.id for n in m.nodes}
    lab = argkit.evaluate(m)
    assert lab.label("ut_link") == "IN" and lab.label("ut_not_taiwan") == "IN"
    assert lab.inferences["ut_not_taiwan"] == "OUT"


# -- notebook 07: further reading as the endnotes print it -------------------------------------------
def test_further_reading_quotes_each_endnote_as_printed(sources_dir):
    import json
    import re

    import yaml

    index = yaml.safe_load((sources_dir / "index.yaml").read_text(encoding="utf-8"))
    update = (sources_dir / index["cox-2022-update"]["file"]).read_text(encoding="utf-8")
    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "07-context.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    [reading] = ["".join(c["source"]) for c in cells if "".join(c["source"]).startswith("## 5. Further reading")]
    entries = re.findall(r"^- \*\*n\. (\d+)\*\* (.*?)  $", reading, re.M)
    assert [int(n) for n, _ in entries] == [9, 12, 13, 33, 35, 52, 54, 55, 57, 58]
    for n, citation in entries:
        assert f"- {n} {citation}\n" in update, n
