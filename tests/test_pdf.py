"""PDF handouts: vector drawing of Graphviz's SVG with argkit's fonts, the same bytes everywhere.

The pictures are checked by drawing the PDF back to pixels with PDFium (``pypdfium2``, a test
dependency) and comparing them with resvg's PNG of the same SVG, which the notebooks show.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

import argkit
from argkit import cli, pdf, raster, render
from argkit.cli import main
from argkit.errors import ArgkitError, EngineError
from argkit.model import ArgumentMap, Node

ROOT = Path(__file__).resolve().parent.parent
COX = ROOT / "argmaps" / "cox-thesis.yaml"


def tea() -> ArgumentMap:
    return ArgumentMap(title="Tea ✔", nodes=(
        Node("t", "Tea is good.", author="Ann"),
        Node("r", "It is tasty → “really”.", parent="t", stance="pro"),
        Node("o", "It stains teeth.", parent="t", stance="con", added_by="ana"),
        Node("b", "Brush after.", parent="o", stance="con"),
    ))


def pixels_of_pdf(data: bytes, points_per_px: float = 0.75) -> Image.Image:
    page = pdfium.PdfDocument(data)[0]
    return page.render(scale=1 / points_per_px).to_pil().convert("L")


def pixels_of_png(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as im:
        white = Image.new("RGBA", im.size, "white")
        white.alpha_composite(im.convert("RGBA"))
    return white.convert("L")


def difference(svg: str, pdf_svg: str | None = None) -> int:
    """The largest difference (0-255) between resvg's PNG of ``svg`` and PDFium's drawing of the
    PDF of ``pdf_svg`` (default ``svg``), both at 96 dpi and averaged over 8x8-pixel cells, so that
    the two libraries' ways of smoothing text edges do not count but a missing word or line does."""
    a = pixels_of_png(raster.svg_to_png(svg))
    b = pixels_of_pdf(pdf.svg_to_pdf(pdf_svg or svg))
    assert abs(a.width - b.width) <= 1 and abs(a.height - b.height) <= 1
    box = (0, 0, min(a.width, b.width), min(a.height, b.height))
    _lo, hi = ImageChops.difference(a.crop(box).reduce(8), b.crop(box).reduce(8)).getextrema()
    return int(hi)


def test_the_pdf_draws_the_same_picture_as_the_png():
    m = tea()
    svg = render.to_svg(m, labelling=argkit.evaluate(m))  # ✔ ✘ ✎ badges, dashed and dotted lines
    assert "stroke-dasharray" in svg and "✘ OUT" in svg and "✎" in svg
    same = difference(svg)
    assert same < 30
    # the measure sees one missing line of text, one missing edge, text moved by 2 points
    assert difference(svg, svg.replace(">It stains teeth.<", "><")) > same + 20
    assert difference(svg, re.sub(r'<path fill="none"[^>]*>', "", svg, count=1)) > same + 15
    assert difference(svg, svg.replace(' x="', ' x="2')) > 100
    assert difference(render.to_svg(argkit.load(COX), focus="r_history")) < 30


def test_the_whole_debate_map_draws_as_its_png():
    # dotted lines put their dots a little differently in the two libraries: hence 50
    assert difference(render.to_svg(argkit.load(ROOT / "argmaps" / "debate.yaml"))) < 50


def test_text_is_real_text_in_the_shipped_fonts():
    m = tea()
    data = render.to_pdf(m, labelling=argkit.evaluate(m))
    page = pdfium.PdfDocument(data)[0]
    text = page.get_textpage().get_text_range()
    for words in ("Tea ✔", "✘ OUT · OBJECTION", "✎ added by ana", "It is tasty → “really”."):
        assert words in text
    fonts = re.findall(rb"/BaseFont /(\S+)", data)
    # every font embedded as a subset (AAAAAA+Name): no Helvetica from the reader's machine
    assert sorted({f.split(b"+", 1)[1] for f in fonts}) == [b"DejaVuSans", b"LiberationSans"]
    assert all(re.fullmatch(rb"[A-Z]{6}\+\w+", f) for f in fonts)
    assert data.count(b"/FontFile2") == len(fonts)


def test_characters_no_shipped_font_has_show_as_boxes_and_invisible_ones_vanish():
    m = ArgumentMap(title="Путин", nodes=(Node("t", "Xi 习近平 met Putin 👍🏽 in\u200d Moscow\ufe0f."),))
    page = pdfium.PdfDocument(render.to_pdf(m))[0]
    text = page.get_textpage().get_text_range()
    assert "Путин" in text  # Cyrillic is in Liberation Sans
    assert "Xi ▯▯▯ met Putin ▯▯ in Moscow." in text  # as resvg draws tofu in the PNG


def test_right_to_left_words_read_as_in_the_png(monkeypatch):
    # resvg orders SVG text by Unicode's bidirectional algorithm; the PDF must show the same
    m = ArgumentMap(title="שלום עולם: a test (2022)", nodes=(
        Node("t", "Tea is good, says the proverb שלום עולם (2022).", author="דוד"),
        Node("r", "שלום עולם, זה טוב מאוד 50% abc.", parent="t", stance="pro")))
    svg = render.to_svg(m)
    assert difference(svg) < 30
    monkeypatch.setattr(pdf, "visual_order", lambda text: text)  # stored order: visibly wrong
    assert difference(svg) > 40


@pytest.mark.parametrize(("stored", "seen"), [
    ("plain English (2022).", "plain English (2022)."),  # nothing right-to-left: unchanged
    ("שלום", "םולש"),
    ("a שלום עולם b", "a םלוע םולש b"),
    ("Cox: שלום עולם (2022).", "Cox: (2022) םלוע םולש."),  # the pair goes with the Hebrew
    ("שלום (abc 12).", "םולש (abc 12)."),  # the pair holds Latin: left to right
    ("שלום 50% עולם", "םלוע 50% םולש"),  # a number keeps its order, % with it
    ("שלום 1,000.5 עולם", "םלוע 1,000.5 םולש"),
    ("שָׁלוֹם!", "םוֹלשָׁ!"),  # points stay on their letters
    ("مرحبا 12 abc", "12 ابحرم abc"),  # digits after Arabic letters: with them
    ("abc שלום  ", "abc םולש  "),  # white space at the end stays at the end
    ("[שלום [x] עולם]", "[םולש [x] םלוע]"),  # Latin between: two right-to-left runs
])
def test_visual_order_follows_the_bidirectional_algorithm(stored, seen):
    assert pdf.visual_order(stored) == seen


def test_a_map_without_symbols_embeds_only_liberation_sans():
    data = render.to_pdf(ArgumentMap(title="Plain", nodes=(Node("t", "Tea is good."),)))
    assert [f.split(b"+")[1] for f in re.findall(rb"/BaseFont /(\S+)", data)] == [b"LiberationSans"]


RUN = """
import sys
from argkit.cli import main
sys.exit(main(["render", sys.argv[1], "-o", sys.argv[2], "--focus", "r_history", "--size", "a4"]))
"""


@pytest.fixture
def no_source_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.usefixtures("no_source_date")
def test_pdf_bytes_are_the_same_in_two_processes(tmp_path):
    # another HOME and no font config: nothing from the machine may change the document
    env = {**os.environ, "HOME": str(tmp_path), "FONTCONFIG_FILE": "/nonexistent",
           "XDG_DATA_DIRS": str(tmp_path), "TZ": "Pacific/Kiritimati"}
    outs = []
    for i in range(2):
        out = tmp_path / f"map{i}.pdf"
        subprocess.run([sys.executable, "-c", RUN, str(COX), str(out)], env=env if i else None,
                       check=True, timeout=300)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] == render.to_pdf(argkit.load(COX), focus="r_history", paper="a4")
    assert b"/CreationDate (D:20000101000000+00'00')" in outs[0]  # invariant mode: no clock


def test_source_date_epoch_sets_the_recorded_date(tmp_path):
    """The reproducible-builds convention: ReportLab records SOURCE_DATE_EPOCH as the date."""
    code = ("import sys, argkit; from argkit.model import ArgumentMap, Node; "
            "sys.stdout.buffer.write(argkit.to_pdf(ArgumentMap(title='T', nodes=(Node('t', 'T.'),))))")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout
    assert b"/CreationDate (D:20231114221320+00'00')" in out


def test_the_page_is_the_drawing_or_the_paper_turned_to_fit():
    m = argkit.load(COX)
    svg = render.to_svg(m, focus="r_history")
    width, height = (float(v) for v in re.search(r'viewBox="0.00 0.00 ([\d.]+) ([\d.]+)"', svg).groups())
    page = pdfium.PdfDocument(pdf.svg_to_pdf(svg))[0]
    assert page.get_size() == pytest.approx((width, height), abs=0.01)
    a4 = (595.28, 841.89)
    wide = width > height
    page = pdfium.PdfDocument(pdf.svg_to_pdf(svg, paper="a4"))[0]
    assert page.get_size() == pytest.approx(a4[::-1] if wide else a4, abs=0.01)
    page = pdfium.PdfDocument(pdf.svg_to_pdf(svg, paper="A4-portrait"))[0]
    assert page.get_size() == pytest.approx(a4, abs=0.01)
    # fitted: the drawing fills the page inside the 10 mm margin on one side, centred on the other
    im = pixels_of_pdf(pdf.svg_to_pdf(svg, paper="a4-portrait"), points_per_px=1.0)
    left, top, right, bottom = ImageChops.invert(im).getbbox()
    margin = 10 / 25.4 * 72
    assert left >= margin - 2 and right <= im.width - margin + 2
    assert abs(left - (im.width - right)) <= 3 and abs(top - (im.height - bottom)) <= 3 + im.height / 2


def test_smallest_text_on_paper():
    svg = render.to_svg(tea())
    assert pdf.smallest_text(svg) == 10.0  # the edge labels (10 pt) at natural size
    big = pdf.smallest_text(svg, "a4")
    assert big > 10  # a small map is enlarged to fill the page
    assert pdf.smallest_text(render.to_svg(argkit.load(COX)), "a4") < 6  # the whole Cox map: too small


def test_bad_input_is_a_clear_error():
    with pytest.raises(EngineError, match="not well-formed"):
        pdf.svg_to_pdf("<not svg")
    with pytest.raises(EngineError, match="no viewBox"):
        pdf.svg_to_pdf('<svg xmlns="http://www.w3.org/2000/svg"/>')
    with pytest.raises(ArgkitError, match=r"unknown paper 'b5' \(must be one of 'a4', 'a3', 'letter'"):
        pdf.svg_to_pdf(render.to_svg(tea()), paper="b5")
    with pytest.raises(ArgkitError, match="unknown paper 'a4-sideways'"):
        pdf.paper_size("a4-sideways", 1, 1)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
           '<path d="M0,0 Q 5,5 10,10" stroke="black"/></svg>')
    with pytest.raises(EngineError, match="path command 'Q'"):
        pdf.svg_to_pdf(svg)
    with pytest.raises(EngineError, match="unknown colour"):
        pdf.svg_to_pdf(svg.replace("Q 5,5 ", "L ").replace("black", "blackish"))


def test_the_other_svg_shapes_graphviz_writes_are_drawn():
    """Ellipses, open polylines, lines in paths, end anchors: what other node shapes produce."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="60pt" viewBox="0 0 100 60">'
           '<g transform="scale(1 1) rotate(0) translate(0 60)">'
           '<ellipse fill="#00734f" stroke="black" cx="20" cy="-30" rx="15" ry="10"/>'
           '<polyline fill="none" stroke="red" points="40,-10 60,-50 80,-10"/>'
           '<path fill="none" stroke="blue" stroke-dasharray="5,2" d="M40,-55L95,-55Z"/>'
           '<text text-anchor="end" x="98" y="-5" font-size="9.00">end</text>'
           '<text fill="none" x="0" y="0">hidden</text></g></svg>')
    assert difference(svg) < 50
    data = pdf.svg_to_pdf(svg)
    assert pdfium.PdfDocument(data)[0].get_textpage().get_text_range().strip() == "end"


def test_cli_writes_a_pdf_for_a_handout(tmp_path, capsys):
    out = tmp_path / "m.pdf"
    assert main(["render", str(COX), "-o", str(out), "--focus", "r_history", "--size", "a4-landscape"]) == 0
    assert pdfium.PdfDocument(out.read_bytes())[0].get_size() == pytest.approx((841.89, 595.28), abs=0.01)
    assert capsys.readouterr().err == ""
    assert main(["render", str(COX), "-o", str(out), "--size", "a4"]) == 0
    assert "note: on a4 the smallest text is" in capsys.readouterr().err  # the whole map is too big
    assert main(["render", str(COX), "-o", str(out), "--collapse", "1"]) == 0
    assert out.read_bytes() == render.to_pdf(argkit.load(COX), collapse=1)


def test_cli_pdf_usage_errors(tmp_path, capsys):
    out = tmp_path / "m.pdf"
    assert main(["render", str(COX), "-o", str(out), "--size", "1080p"]) == 2
    assert "is a screen, for .png (a .pdf takes a paper: a4, a3, letter" in capsys.readouterr().err
    assert main(["render", str(COX), "-o", str(out), "--size", "800x600"]) == 2
    assert main(["render", str(COX), "-o", str(tmp_path / "m.png"), "--size", "a4"]) == 2
    assert "--size a4 is a paper, for .pdf" in capsys.readouterr().err
    assert main(["render", str(COX), "-o", str(out), "--size", "a5"]) == 2
    assert "'a5' is not a size" in capsys.readouterr().err
    assert main(["render", str(COX), "-o", str(tmp_path / "m.svg"), "--size", "a4"]) == 2
    assert not out.exists()


def test_cli_knows_the_papers_without_loading_reportlab():
    assert tuple(pdf.PAPERS) == cli._PAPERS
    code = "import sys, argkit.cli; argkit.cli._parser(); print('reportlab' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
