"""PNG pictures: resvg with argkit's own fonts, the notebook display (SVG + PNG), sizes that fit."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import argkit
from argkit import raster, render
from argkit.cli import main
from argkit.errors import EngineError
from argkit.model import ArgumentMap, Node

ROOT = Path(__file__).resolve().parent.parent
MAPS = sorted((ROOT / "argmaps").glob("*.yaml"))


def tea() -> ArgumentMap:
    return ArgumentMap(title="Tea", nodes=(
        Node("t", "Tea is good.", author="Ann"),
        Node("r", "It is tasty ✔ — “really”.", parent="t", stance="pro", added_by="ana"),
        Node("o", "It stains teeth.", parent="t", stance="con"),
    ))


def wide(n: int = 14) -> ArgumentMap:
    """One contention with ``n`` reasons, each with two pieces of evidence: wide when top-down."""
    nodes = [Node("c", "The contention.")]
    for i in range(n):
        nodes.append(Node(f"r{i}", f"Reason number {i} says something of about forty chars.",
                          parent="c", stance="pro"))
        nodes += [Node(f"e{i}_{k}", "Evidence for it, a sentence of moderate length.", parent=f"r{i}",
                       stance="pro", basis="quote") for k in range(2)]
    return ArgumentMap(title="Wide", nodes=tuple(nodes))


def test_fonts_ship_inside_the_package_with_their_licences():
    files = [Path(f) for f in raster.font_files()]
    assert [f.name for f in files] == ["LiberationSans-Regular.ttf", "DejaVuSans-Symbols.ttf"]
    assert all(f.is_file() and f.stat().st_size > 10_000 for f in files)
    licences = {p.name for p in files[0].parent.glob("LICENSE-*")}
    assert licences == {"LICENSE-LiberationSans.txt", "LICENSE-DejaVuSans.txt"}


def test_png_has_the_svg_size_at_96_dpi_and_scales():
    svg = render.to_svg(tea())
    d = render.Drawing(tea(), svg, {})
    png = raster.svg_to_png(svg)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    w, h = raster.png_size(png)
    assert abs(w - d.size[0]) <= 1 and abs(h - d.size[1]) <= 1
    w2, h2 = raster.png_size(raster.svg_to_png(svg, scale=2))
    assert abs(w2 - 2 * w) <= 2 and abs(h2 - 2 * h) <= 2


def test_text_is_drawn_with_the_shipped_font_not_left_out():
    # a box with text and the same box with the text removed must differ in many pixels' bytes
    svg = render.to_svg(tea())
    blank = svg.replace("It stains teeth.", "")
    assert raster.svg_to_png(svg) != raster.svg_to_png(blank)


def test_bad_svg_and_scale_are_clear_errors():
    with pytest.raises(EngineError, match="cannot rasterise"):
        raster.svg_to_png("<not svg")
    with pytest.raises(ValueError, match="scale must be more than 0"):
        raster.svg_to_png(render.to_svg(tea()), scale=0)


RUN = """
import sys
import argkit
from argkit.cli import main
with open(sys.argv[2] + ".shown.png", "wb") as f:  # what a notebook stores
    f.write(argkit.draw(argkit.load(sys.argv[1]), focus="r_history").to_png())
sys.exit(main(["render", sys.argv[1], "-o", sys.argv[2], "--focus", "r_history"]))
"""


def test_png_bytes_are_the_same_in_two_processes(tmp_path):
    # another HOME and no font config: nothing from the machine's fonts may change the picture
    env = {**os.environ, "HOME": str(tmp_path), "FONTCONFIG_FILE": "/nonexistent",
           "XDG_DATA_DIRS": str(tmp_path)}
    outs, shown = [], []
    for i in range(2):
        out = tmp_path / f"map{i}.png"
        subprocess.run([sys.executable, "-c", RUN, str(ROOT / "argmaps" / "cox-thesis.yaml"), str(out)],
                       env=env if i else None, check=True, timeout=300)
        outs.append(out.read_bytes())
        shown.append(Path(f"{out}.shown.png").read_bytes())
    assert outs[0] == outs[1] and shown[0] == shown[1]
    m = argkit.load(ROOT / "argmaps" / "cox-thesis.yaml")
    assert outs[0] == render.to_png(m, focus="r_history")
    assert shown[0] == render.draw(m, focus="r_history").to_png()
    assert shown[0][25] == 3 and outs[0][25] == 6  # PNG colour type: palette shown, RGBA exported


def test_display_carries_svg_png_and_text_at_the_same_size():
    data, meta = render.draw(wide())._repr_mimebundle_()
    assert set(data) == {"text/html", "image/svg+xml", "image/png", "text/plain"}
    png = base64.b64decode(data["image/png"])
    w, h = raster.png_size(png)
    assert meta == {"image/png": {"width": w, "height": h}}
    head = data["image/svg+xml"].split("<svg", 1)[1][:60]
    assert f'width="{w}px"' in head or f'width="{w - 1}px"' in head or f'width="{w + 1}px"' in head
    assert w <= render.SCREEN_WIDTH + 1
    assert data["text/plain"].startswith("<Argument map 'Wide': the whole map, 43 of 43 claims")


def test_map_display_keeps_its_repr_and_adds_the_png():
    formatters = pytest.importorskip("IPython.core.formatters")
    data, meta = formatters.DisplayFormatter().format(tea())
    assert data["text/plain"] == "ArgumentMap(title='Tea', nodes=3, relations=0)"
    assert "image/png" in data and "image/svg+xml" in data and "image/png" in meta
    assert 'alt="Argument map &quot;Tea&quot;, 3 of 3 claims.' in data["text/html"]


def test_small_tree_is_top_down_and_a_wide_one_left_to_right():
    assert 'rankdir="TB"' in render.to_dot(tea())
    assert 'rankdir="LR"' in render.to_dot(wide())
    assert 'rankdir="TB"' in render.to_dot(wide(), rankdir="TB")
    with pytest.raises(argkit.ArgkitError, match="rankdir must be one of"):
        render.to_dot(tea(), rankdir="BT")


def _box_rows(svg: str) -> dict[str, tuple[float, float]]:
    """Each claim's box in a drawing: id -> (top, bottom) in SVG units (y grows downwards)."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    out = {}
    for g in ET.fromstring(svg.encode("utf-8")).iter(f"{ns}g"):
        nid = g.get("id", "")
        if nid.startswith("argkit-node-"):
            shape = next(el for el in g.iter() if el.tag in (f"{ns}path", f"{ns}polygon"))
            coords = shape.get("d") or shape.get("points") or ""
            ys = [float(y) for y in re.findall(r"[-\d.]+,([-\d.]+)", coords)]
            out[nid.removeprefix("argkit-node-")] = (min(ys), max(ys))
    return out


def test_left_to_right_the_contention_is_at_the_top_level_with_its_first_reason():
    """Graphviz centres a parent on its children; a long overview then shows its contention half a
    screen down. Each claim is drawn level with its first child instead."""
    m = wide()
    svg = render.to_svg(m, depth=1)
    assert 'rankdir="LR"' in render.to_dot(m, depth=1)
    rows = _box_rows(svg)
    middle = {k: (top + bottom) / 2 for k, (top, bottom) in rows.items()}
    assert middle["c"] == pytest.approx(middle["r0"], abs=1)
    assert all(rows["c"][0] < rows[f"r{i}"][0] for i in range(1, 14))
    whole = _box_rows(render.to_svg(m))
    assert (whole["c"][0] + whole["c"][1]) / 2 == pytest.approx((whole["r0"][0] + whole["r0"][1]) / 2, abs=1)
    assert (whole["r5"][0] + whole["r5"][1]) / 2 == pytest.approx((whole["e5_0"][0] + whole["e5_0"][1]) / 2, abs=1)


@pytest.mark.parametrize("path", MAPS, ids=[p.stem for p in MAPS])
def test_every_course_map_fits_a_laptop_with_readable_text(path):
    """Shown whole in a notebook, no course map is wider than the screen nor shrunk below 0.7.

    The smallest map text is 9 pt (12 px), so 0.7 keeps every text at 8.4 px or more.
    """
    d = render.draw(argkit.load(path))
    assert d.scale >= render.MIN_SCALE, (d.size, d.options)
    w, _ = raster.png_size(d.to_png())
    assert w <= render.SCREEN_WIDTH + 1


def test_deep_map_is_folded_to_the_level_that_fits_and_says_so():
    chain = [Node(f"d{i}", "A claim of some forty characters or so here.",
                  parent="e0_0" if i == 0 else f"d{i - 1}", stance="pro") for i in range(6)]
    m = ArgumentMap(title="Deep", nodes=(*wide().nodes, *chain))
    d = render.draw(m)
    assert d.options["collapse"] is not None and d.options["collapse"] < 8
    assert "more folded under" in repr(d)
    assert d.scale >= render.MIN_SCALE
    assert render.draw(m, collapse=8).options["collapse"] == 8  # the reader's choice wins


def test_cli_writes_png_for_a_projector(tmp_path):
    out = tmp_path / "m.png"
    assert main(["render", str(MAPS[0]), "-o", str(out), "--focus", "r_history", "--size", "1080p"]) == 0
    w, h = raster.png_size(out.read_bytes())
    assert (w == 1920 and h <= 1080) or (h == 1080 and w <= 1920)
    assert main(["render", str(MAPS[0]), "-o", str(out), "--scale", "1"]) == 0
    d = render.Drawing(argkit.load(MAPS[0]), render.to_svg(argkit.load(MAPS[0])), {})
    assert abs(raster.png_size(out.read_bytes())[0] - d.size[0]) <= 1


def test_cli_png_usage_errors(tmp_path, capsys):
    assert main(["render", str(MAPS[0]), "-o", str(tmp_path / "m.png"), "--size", "big"]) == 2
    assert "'big' is not a size" in capsys.readouterr().err
    assert main(["render", str(MAPS[0]), "-o", str(tmp_path / "m.svg"), "--size", "1080p"]) == 2
    assert main(["render", str(MAPS[0]), "-o", str(tmp_path / "m.png"), "--scale", "0"]) == 2
    assert not (tmp_path / "m.png").exists()


def test_cli_says_before_drawing_a_huge_png_what_a_slide_needs(tmp_path, capsys, monkeypatch):
    # The whole debate map at 2x is about 84 million pixels (seconds of drawing): the teacher is
    # told why it takes a while and what to use for a slide; a picture of normal size says nothing.
    from argkit import cli

    out = tmp_path / "m.png"
    assert main(["render", str(MAPS[0]), "-o", str(out), "--focus", "r_history"]) == 0
    assert "note:" not in capsys.readouterr().err
    d = render.Drawing(argkit.load(MAPS[0]), render.to_svg(argkit.load(MAPS[0]), focus="r_history"), {})
    monkeypatch.setattr(cli, "_LARGE_PNG", int(d.size[0] * d.size[1] * 4) - 1)  # just under this 2x picture
    assert main(["render", str(MAPS[0]), "-o", str(out), "--focus", "r_history"]) == 0
    err = capsys.readouterr().err
    w, h = raster.png_size(out.read_bytes())
    assert f"note: this picture is {w:,} x {h:,} pixels" in err and "--size 1080p" in err
    assert main(["render", str(MAPS[0]), "-o", str(out), "--focus", "r_history", "--scale", "1"]) == 0
    assert "note:" not in capsys.readouterr().err  # a quarter of the pixels: under the line
    assert main(["render", str(MAPS[0]), "-o", str(out), "--focus", "r_history", "--size", "1080p"]) == 0
    assert "note:" not in capsys.readouterr().err  # a screen size was chosen
