"""The quote checker: exact words, forgiving only whitespace and quote-mark style; the right endnote."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argkit
from argkit.cli import main
from argkit.errors import ArgkitError
from argkit.model import ArgumentMap, Node, Quote, Source
from argkit.quotes import QuoteResult, SourceTextError, check_quotes, find_quote, normalize

# A tiny reading with the traps of the real ones: curly and straight marks, a no-break space,
# a line break inside a sentence, superscript endnotes and a typo kept as printed.
READING = (
    "Putin called it the \u2018best\u2019 it has been in \u2018history\u2019.\u00b9 "
    "The Foreign Minister said they were 'better than allies'!\n\n"
    "China is Moscow\u2019s\u00a0number one foreign trade partner. Russia agreed to sell twenty "
    "four Sukhoi35 (Su-35) combat\naircraft.\u00b3\u2079 He called it \u201cthe strongest\u201d tie.\n"
)
OTHER = "Nye argued in 2015 that they would never unite. Balzer called it \u2018fragile\u2019.\n"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    d = tmp_path / "sources"
    d.mkdir()
    (d / "r1.txt").write_text(READING, encoding="utf-8")
    (d / "other.txt").write_text(OTHER, encoding="utf-8")
    (d / "index.yaml").write_text("reading-a:\n  file: r1.txt\n", encoding="utf-8")
    return d


def one(quote: str, source: str | None = "reading-a", qsource: str | None = None,
        endnote: str | None = None) -> ArgumentMap:
    q = Quote(quote, source=qsource, endnote=endnote)
    return ArgumentMap("T", (Node("k1", "A claim.", source=source, quote=q),),
                       sources=(Source("reading-a"), Source("other")))


def check(quote: str, sources: Path, **kw) -> QuoteResult:
    results = check_quotes([one(quote, **kw)], sources)
    assert len(results) == 1
    return results[0]


# -- matching rules ----------------------------------------------------------------------------
@pytest.mark.parametrize(("quote", "endnote"), [
    ("the \u2018best\u2019 it has been in \u2018history\u2019", "1"),  # as printed (curly)
    ("the 'best' it has been in 'history'", "1"),  # straight for curly
    ("were \u2018better than allies\u2019!", None),  # curly for straight
    ("Moscow's number one foreign trade partner", None),  # plain space for U+00A0, ' for \u2019
    ("Moscow\u2019s\u00a0number one", None),  # the no-break space copied from the file
    ("twenty four Sukhoi35 (Su-35) combat aircraft.", "39"),  # line break inside, typo kept
    ("combat   aircraft. He called it", "39"),  # any run of whitespace; superscripts are not words
    ('called it "the strongest" tie', None),
])
def test_whitespace_and_quote_marks_are_forgiven(quote, endnote, sources):
    r = check(quote, sources, endnote=endnote)
    assert r.ok, r.message
    assert r.source_id == "reading-a" and r.node_id == "k1" and r.nearest is None


@pytest.mark.parametrize("quote", [
    "The 'best' it has been",  # case matters
    "the best it has been",  # dropping the quote marks changes the punctuation
    "better than allies!",  # the marks are gone: not the same text
    "were \u201cbetter than allies\u201d!",  # double marks for single ones: a different quotation
    "Sukhoi-35 (Su-35) combat aircraft",  # the typo must be quoted as printed
    "twenty-four Sukhoi35",  # a retyped number
    "Moscow is China's number one foreign trade partner",  # paraphrase is not a quote
])
def test_words_and_other_punctuation_must_be_exact(quote, sources):
    assert not check(quote, sources).ok


def test_a_typo_fails_with_the_nearest_passage_and_how_to_fix_it(sources):
    r = check("China is Moscows number one foreign trade partnr", sources)
    assert not r.ok
    assert r.nearest is not None and "number one foreign trade partner" in r.nearest
    assert "China is Moscow" in r.nearest
    assert r.message == (
        f"<map>: quote of node 'k1' not found in reading-a; nearest passage: \"{r.nearest}\"; "
        "copy the words from the source exactly")
    assert str(r) == r.message


def test_the_nearest_passage_is_shown_as_printed(sources):
    r = check("Putin called it the best it has been in history", sources)
    assert not r.ok
    assert r.nearest is not None and r.nearest.startswith("Putin called it the \u2018best\u2019")


def test_quote_source_overrides_the_node_source(sources):
    r = check("Balzer called it 'fragile'", sources, source="reading-a", qsource="other")
    assert r.ok and r.source_id == "other"  # other.txt found without an index entry
    assert not check("Balzer called it 'fragile'", sources).ok


def test_a_source_without_text_fails_and_says_how_to_fix_it(sources):
    m = ArgumentMap("T", (Node("n", "Nye.", source="nye-2015", quote=Quote("never unite")),),
                    sources=(Source("nye-2015"),))
    [r] = check_quotes([m], sources)
    assert not r.ok and r.source_id == "nye-2015" and r.nearest is None
    assert "cites source 'nye-2015', but there is no text for it" in r.message
    assert "texts exist for: other, reading-a" in r.message
    assert "add nye-2015.txt or an index.yaml entry" in r.message
    assert "set the quote's 'source:' to the reading" in r.message


def test_invisible_characters_of_converted_texts_are_ignored(sources):
    (sources / "web.txt").write_text("\ufeffThe diplo\u00admatic feat\u200b was rare.\r\n",
                                     encoding="utf-8")
    assert check("The diplomatic feat was rare.", sources, qsource="web").ok
    assert not check("The diplomatic feet was rare.", sources, qsource="web").ok


def test_a_source_that_is_not_utf8_fails_and_says_so(sources):
    (sources / "old.txt").write_bytes("caf\u00e9 society".encode("latin-1"))
    m = ArgumentMap("T", tuple(Node(f"n{i}", "A claim.", source="old", quote=Quote("society"))
                               for i in range(2)), sources=(Source("old"),))
    results = check_quotes([m], sources)
    assert [r.ok for r in results] == [False, False]
    assert all("its file old.txt is not UTF-8 text (save it as UTF-8)" in r.message for r in results)


def test_a_quote_with_no_source_at_all_fails(sources):
    r = check("the 'best'", sources, source=None)
    assert not r.ok and r.source_id is None and "names no source" in r.message


def test_an_index_entry_pointing_at_a_missing_file_fails_cleanly(sources):
    (sources / "index.yaml").write_text("reading-a: {file: gone.txt}\n", encoding="utf-8")
    r = check("the 'best'", sources)
    assert not r.ok and "its file gone.txt (named in index.yaml) does not exist" in r.message


def test_a_missing_sources_folder_raises_an_argkit_error(tmp_path):
    with pytest.raises(SourceTextError) as e:
        check_quotes([one("x")], tmp_path / "nope")
    assert isinstance(e.value, ArgkitError) and isinstance(e.value, FileNotFoundError)
    assert "no such folder of source texts" in str(e.value)


def test_a_broken_index_raises_an_argkit_error(sources):
    (sources / "index.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(SourceTextError, match="must map each source id"):
        check_quotes([one("x")], sources)


def test_nodes_without_quotes_are_not_counted(sources):
    m = ArgumentMap("T", (Node("a", "No quote here.", source="reading-a"),), sources=(Source("reading-a"),))
    assert check_quotes([m], sources) == []


# -- endnotes ----------------------------------------------------------------------------------
# A tiny Strategic Update: markers after the end mark, a sentence across a page break, a marker
# on the next line, a heading, a stray full stop, a pull quote repeating a sentence, the notes.
UPDATE = (
    "Foreword\n\nIt ended twenty-five years of 'unipotency.'\u00b9 The invasion is a return.\n\n"
    "\u00b9 Simon Sebag Montefiore, The World, 2022.\n\n"
    "Introduction\n\nOld time foes had now become 'good neighbours' and 'friends'.\u00b9\u2074\n\n"
    "Moscow passed laws to bring its internet under\n\ntighter control.\u00b3\u2077 Significantly "
    "too, Russia wrote to the UN.\n\u00b3\u2078\n\n"
    "Enter Xi\n\nThe desire to be more proactive grew. It had lessons from Syria. which are now "
    "applied in Ukraine.\u2074 Beijing stood by Russia. Why did it?\u2079\n\n"
    "\u201c\n\nBeijing stood by Russia.\n\n\u201d\n\n"
    "Trade rose eightfold.\u00b2\u2077 Beijing stood by Russia, they wrote.\u2075\u00b3\n\n"
    "Notes\n\n- 1 Owen Matthews, Overreach, 2022.\n"
    "- 17 See Putin's Munich speech where he called unipolarity 'unacceptable, impossible'.\n"
)


@pytest.fixture
def update(tmp_path: Path) -> Path:
    d = tmp_path / "readings"
    d.mkdir()
    (d / "update.txt").write_text(UPDATE, encoding="utf-8")
    (d / "blog.txt").write_text("Ties are the 'best' ever. China is not an ally.\n", encoding="utf-8")
    return d


def note(quote: str, endnote: str | None, d: Path, source: str = "update") -> QuoteResult:
    m = ArgumentMap("T", (Node("k1", "A claim.", source=source, quote=Quote(quote, endnote=endnote)),),
                    sources=(Source(source),))
    [r] = check_quotes([m], d)
    return r


@pytest.mark.parametrize(("quote", "endnote"), [
    ("had now become 'good neighbours' and 'friends'.", "14"),  # the marker right after the quote
    ("Old time foes", "14"),  # a quote ends mid-sentence: the marker that closes it
    ("twenty-five years of 'unipotency.'", "1"),  # the foreword's footnote, after the closing mark
    ("bring its internet under tighter control", "37"),  # a sentence across a page break
    ("Russia wrote to the UN.", "38"),  # the marker on the next line
    ("It had lessons from Syria", "4"),  # a stray full stop before a word in lower case
    ("Why did it?", "9"),
    ("Trade rose eightfold. Beijing stood by Russia, they", "53"),  # two sentences: either note
    ("Trade rose eightfold. Beijing stood by Russia, they", "27"),
    ("he called unipolarity 'unacceptable, impossible'", "17"),  # the words of a note itself
    ("Simon Sebag Montefiore", "1"),  # a footnote line
    ("The invasion is a return.", None),  # sentences without a marker cite none
    ("The desire to be more proactive grew.", None),
    ("Enter Xi", None),  # a heading does not run on into the next paragraph
    ("Moscow passed laws", "37"),
])
def test_the_endnote_is_the_marker_that_closes_the_sentence(quote, endnote, update):
    r = note(quote, endnote, update)
    assert r.ok, r.message
    assert r.found_endnote == endnote
    assert r.message.endswith(f"found in update, n. {endnote}: \"{quote}\"" if endnote
                              else f"found in update: \"{quote}\"")


def test_a_wrong_endnote_fails_and_says_what_the_text_has(update):
    r = note("had now become 'good neighbours'", "13", update)
    assert not r.ok and r.found_endnote == "14" and r.nearest is None
    assert r.message == ("<map>: quote of node 'k1' found in update, but the sentence closes with "
                         "endnote 14, the map says 13; fix endnote: 14")
    r = note("he called unipolarity 'unacceptable, impossible'", "16", update)
    assert not r.ok and "the words are in the text of endnote 17, the map says 16; fix endnote: 17" in r.message


def test_an_endnote_the_sentence_does_not_have_fails(update):
    r = note("The desire to be more proactive grew.", "4", update)
    assert not r.ok and r.found_endnote is None
    assert r.message == ("<map>: quote of node 'k1' found in update, but the map says endnote 4 and its "
                         "sentence closes with no endnote marker; remove 'endnote: 4', or quote the "
                         "sentence that note 4 closes")


def test_a_missing_endnote_fails_and_says_which_to_add(update):
    r = note("bring its internet under tighter control", None, update)
    assert not r.ok and r.found_endnote == "37"
    assert r.message == ("<map>: quote of node 'k1' found in update, but the sentence closes with "
                         "endnote 37 and the map gives none; add 'endnote: 37' under the quote (cite "
                         "the note number with the quote)")


def test_a_repeated_phrase_passes_if_any_occurrence_has_the_endnote(update):
    # "Beijing stood by Russia" closes a sentence with no marker, its pull quote, and one with 53
    assert note("Beijing stood by Russia.", None, update).ok  # the body sentence and its pull quote
    assert note("Beijing stood by Russia", "53", update).ok
    r = note("Beijing stood by Russia", "52", update)
    assert not r.ok
    assert ("the words occur 3 times in update (in sentences closed by endnote 53; in sentences "
            "with no endnote) and the map says 52; set 'endnote:' to the one you mean, or quote "
            "more words so that they occur once") in r.message


def test_a_reading_without_endnote_markers_is_checked_for_words_only(update):
    assert note("China is not an ally.", None, update, source="blog").ok
    r = note("China is not an ally.", "3", update, source="blog")
    assert r.ok and r.found_endnote is None


def test_an_endnote_failure_points_at_the_endnote_line(update, tmp_path, monkeypatch):
    (tmp_path / "m.yaml").write_text(
        "title: M\nsources:\n- id: update\nnodes:\n- id: t\n  source: update\n  text: Foes are friends.\n"
        "  quote:\n    text: Old time foes\n    endnote: 41\n- id: u\n  parent: t\n  stance: pro\n"
        "  source: update\n  text: It was tightened.\n  quote:\n    text: tighter control\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    results = check_quotes([argkit.load("m.yaml")], update)
    assert [(r.line, r.column, r.ok, r.found_endnote) for r in results] == [
        (10, 5, False, "14"), (17, 5, False, "37")]
    assert results[0].message.startswith("m.yaml:10:5: quote of node 't' found in update, but ")
    assert main(["check-quotes", "m.yaml", "--sources", str(update)]) == 1


_UP = st.sampled_from(["Alpha", "Beta", "Gamma", "Delta"])
_LOW = st.sampled_from(["one", "two", "three", "four", "five"])
_GAP = st.sampled_from([" ", "\n", "  ", " \n", "\u00a0"])


@settings(max_examples=60, deadline=None)
@given(notes=st.lists(st.one_of(st.none(), st.integers(1, 58)), min_size=1, max_size=6), data=st.data())
def test_any_words_of_a_sentence_get_the_marker_that_closes_it(notes, data):
    sup = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
    sentences = []
    for k, n in enumerate(notes):  # each word is unique: a sentence number and a place
        words = [data.draw(_UP) + str(k)] + [data.draw(_LOW) + f"{k}x{j}" for j in range(3)]
        sentences.append((words, n))
    text = data.draw(_GAP).join(
        " ".join(w) + data.draw(st.sampled_from([".", "!", "?", ".'", ".\u201d"]))
        + ("" if n is None else data.draw(st.sampled_from(["", "\n"])) + str(n).translate(sup))
        for w, n in sentences)
    k = data.draw(st.integers(0, len(notes) - 1))
    i = data.draw(st.integers(0, 3))
    j = data.draw(st.integers(i + 1, 4))
    words, n = sentences[k]
    quote = " ".join(words[i:j])
    m = ArgumentMap("T", (Node("k1", "A claim.", source="r", quote=Quote(quote, endnote=None)),),
                    sources=(Source("r"),))
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "r.txt").write_text(text, encoding="utf-8")
        [r] = check_quotes([m], d)
    expected = None if n is None else str(n)
    if any(x is not None for x in notes):  # a reading with markers: the endnote is checked
        assert r.found_endnote == expected, (text, quote)
        assert r.ok == (expected is None)
    else:
        assert r.ok and r.found_endnote is None


# -- places in files -----------------------------------------------------------------------------
BASE = """\
title: Base
sources:
- id: reading-a
nodes:
- id: t
  source: reading-a
  text: Ties are close.
  quote:
    endnote: 1
    text: the 'best' it has been
- id: r
  parent: t
  stance: pro
  source: reading-a
  text: Trade.
  quote:
    endnote: 39
    text: number one trade partner
"""
OVERLAY = """\
title: Mine
extends: base.yaml
sources:
- id: reading-a
nodes:
- id: s
  parent: t
  stance: con
  source: reading-a
  text: Not so.
  quote:
    text: better than enemies
"""


def test_results_point_at_the_file_and_line_of_each_quote(sources, tmp_path, monkeypatch):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(OVERLAY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    base, mine = argkit.load("base.yaml"), argkit.load("mine.yaml")
    results = check_quotes([base, mine], sources)
    # the overlay repeats the base's quotes: each is checked once
    assert [(r.path, r.line, r.column, r.node_id, r.ok) for r in results] == [
        ("base.yaml", 10, 5, "t", True),
        ("base.yaml", 18, 5, "r", False),
        ("mine.yaml", 12, 5, "s", False),
    ]
    assert results[1].message.startswith("base.yaml:18:5: quote of node 'r' not found in reading-a")
    assert results[2].message.startswith("mine.yaml:12:5: quote of node 's' not found")


def test_a_merged_overlay_reports_base_quotes_in_the_base_file(sources, tmp_path, monkeypatch):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(OVERLAY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    results = check_quotes([argkit.load("mine.yaml")], sources)
    assert [(r.path, r.line, r.node_id) for r in results] == [
        ("base.yaml", 10, "t"), ("base.yaml", 18, "r"), ("mine.yaml", 12, "s")]


# -- the command line --------------------------------------------------------------------------
def test_cli_exits_0_when_every_quote_is_found(sources, tmp_path, capsys):
    f = tmp_path / "ok.yaml"
    f.write_text(BASE.replace("number one trade partner", "Sukhoi35 (Su-35) combat aircraft"),
                 encoding="utf-8")
    assert main(["check-quotes", str(f), "--sources", str(sources)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"2 of 2 quotes found, with their endnotes, in {sources}\n"


def test_cli_exits_1_and_prints_each_missing_quote(sources, tmp_path, capsys):
    f = tmp_path / "base.yaml"
    f.write_text(BASE, encoding="utf-8")
    assert main(["check-quotes", str(f), "--sources", str(sources)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{f}:18:5: quote of node 'r' not found in reading-a; nearest passage: ")
    assert out.count("\n") == 1 and err == f"1 of 2 quotes found, with their endnotes, in {sources}\n"
    assert "Traceback" not in out + err


def test_cli_missing_sources_folder_is_a_message(tmp_path, capsys):
    f = tmp_path / "base.yaml"
    f.write_text(BASE, encoding="utf-8")
    assert main(["check-quotes", str(f), "--sources", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert "no such folder of source texts" in err and "Traceback" not in err


def test_cli_needs_the_sources_option(tmp_path, capsys):
    assert main(["check-quotes", str(tmp_path / "x.yaml")]) == 2
    assert "--sources" in capsys.readouterr().err


# -- properties ------------------------------------------------------------------------------------
_WORD = st.text(alphabet="abcXYZ'\u2019\u2018\"\u201c\u201d.,", min_size=1, max_size=6)
_SPACE = st.sampled_from([" ", "  ", "\n", "\u00a0", " \n\n "])


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORD, min_size=1, max_size=12), data=st.data())
def test_any_run_of_words_is_found_whatever_the_spacing_and_marks(words, data):
    text = "".join(w + data.draw(_SPACE) for w in words)
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    swap = str.maketrans("'\u2018\u2019\"\u201c\u201d", "\u2019'\u2018\u201d\"\u201c")
    quote = " ".join(words[i:j]).translate(swap)
    assert find_quote(quote, text)
    assert normalize(quote) == normalize(quote.translate(swap))


def test_a_long_quote_not_in_the_source_is_searched_in_bounded_work(tmp_path, monkeypatch):
    """An 18 KB quote that is not in the source: the nearest-passage search compares bounded windows.

    (It compared every window with the whole quote, a quadratic search that ran for over 300 s.)
    """
    import difflib
    import random

    words = ["alpha", "beta", "gamma", "delta", "sigma", "omega"]
    rng = random.Random(3)
    d = tmp_path / "src"
    d.mkdir()
    (d / "r.txt").write_text(" ".join(rng.choice(words) for _ in range(4000)) + ".\n", encoding="utf-8")
    quote = " ".join(rng.choice(words) for _ in range(3000))  # ~18 KB
    compared = 0
    real = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        nonlocal compared
        compared += len(a)
        if compared > 2_000_000:
            raise AssertionError("the nearest-passage search compares too much text")
        return real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    m = ArgumentMap("L", (Node("t", "T.", source="r", quote=Quote(quote)),), sources=(Source("r"),))
    [r] = check_quotes([m], d)
    assert not r.ok and "not found in r" in r.message
    assert r.nearest and len(r.nearest) <= 240


def test_a_long_list_of_footnotes_does_not_overflow(tmp_path):
    """Thousands of consecutive footnote lines: the endnote of a quote in the last one is found."""
    d = tmp_path / "src"
    d.mkdir()
    notes = "".join(f"\u00b9 Note number {i} here.\n" for i in range(5000))
    (d / "r.txt").write_text("Text.\u00b9\n\n" + notes, encoding="utf-8")
    m = ArgumentMap("L", (Node("t", "T.", source="r", quote=Quote("Note number 4999 here.", endnote="1")),),
                    sources=(Source("r"),))
    [r] = check_quotes([m], d)
    assert r.ok, r.message


# -- endnote edge cases of real texts ------------------------------------------------------------------
EDGES = (
    "Ties are the best\u00b2 in history, it said.\n\n"  # a marker in mid-sentence, after the words
    "Russia wrote to E.H.Carr about it.\u00b9\u00b2\n\n"  # full stops inside a name do not end the sentence
    "Xi spoke of trust.\n   \u00b3\u2078\n\n"  # the marker indented on the next line
    "They moved under\n  \nstricter rules.\u2074\u2070\n\n"  # a page break with spaces on the blank line
    "Trade rose eightfold.\u00b2\u2077 Beijing stood by Russia.\u2075\u00b3\n\n"
    "The text ends without a full stop"
)


@pytest.fixture
def edges(tmp_path: Path) -> Path:
    d = tmp_path / "readings"
    d.mkdir()
    (d / "update.txt").write_text(EDGES, encoding="utf-8")
    return d


@pytest.mark.parametrize(("quote", "endnote"), [
    ("Ties are the best", "2"),
    ("Russia wrote to E", "12"),
    ("Xi spoke of trust", "38"),
    ("They moved under stricter rules", "40"),
    ("The text ends without a full stop", None),
])
def test_the_marker_that_closes_the_words_in_odd_layouts(quote, endnote, edges):
    r = note(quote, endnote, edges)
    assert r.ok and r.found_endnote == endnote, r.message


def test_a_quote_over_two_sentences_with_the_wrong_note_names_both(edges):
    r = note("Trade rose eightfold. Beijing stood by Russia.", "5", edges)
    assert not r.ok and r.message.endswith(
        "found in update, but its sentences close with endnotes 27 and 53, the map says 5; fix endnote: 53")


def test_an_empty_quote_fails_and_says_what_to_copy(edges):
    r = note("  \n ", None, edges)
    assert not r.ok and r.message == "<map>: quote of node 'k1' is empty; copy the words from the source"


def test_a_quote_checked_against_an_empty_reading_shows_no_passage(tmp_path):
    d = tmp_path / "readings"
    d.mkdir()
    (d / "update.txt").write_text("\n", encoding="utf-8")
    r = note("better than allies", None, d)
    assert not r.ok and r.nearest == "" and 'nearest passage: ""' in r.message


def test_an_index_with_anchors_is_refused_with_what_it_must_hold(tmp_path):
    d = tmp_path / "readings"
    d.mkdir()
    (d / "a.txt").write_text("Some words.\n", encoding="utf-8")
    (d / "index.yaml").write_text("update: &a {file: a.txt}\nblog: *a\n", encoding="utf-8")
    with pytest.raises(SourceTextError, match=r"index\.yaml: the index of source texts uses YAML anchors .* "
                                              r"'file: name\.txt'"):
        note("Some words.", None, d)


def test_the_quote_sheet_stops_at_the_depth_asked_for():
    from argkit.quotes import format_quotes

    m = ArgumentMap("T", (Node("t", "T.", source="s", quote=Quote("top words", page="4")),
                          Node("o", "O.", parent="t", stance="con", quote=Quote("deeper words"))),
                    sources=(Source("s"),))
    assert format_quotes(m, depth=0) == "t · s, p. 4\n    \u201ctop words\u201d"
    assert "deeper words" in format_quotes(m)
