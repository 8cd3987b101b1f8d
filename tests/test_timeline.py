"""The timeline: dates read from when- tags, time order, a deterministic PNG figure."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

import argkit
from argkit import timeline
from argkit.model import ArgumentMap, Node

ARGMAPS = Path(__file__).resolve().parent.parent / "argmaps"


def _map(*tags: tuple[str, ...]) -> ArgumentMap:
    nodes = [Node("t", "Tea is good.")]
    nodes += [Node(f"n{i}", f"Claim {i}.", parent="t", stance="pro", tags=t) for i, t in enumerate(tags)]
    return ArgumentMap("Tea", tuple(nodes))


@pytest.mark.parametrize("tag, when, year", [
    ("when-2014-05", "2014-05", 2014 + 4.5 / 12),
    ("when-2014", "2014", 2014.5),
    ("when-1980s", "1980s", 1985.0),
])
def test_a_when_tag_gives_the_date_and_a_number_to_order_by(tag, when, year):
    m = _map(("other", tag))
    assert timeline.when(m, "n0") == when
    assert timeline.year_of(m, "n0") == pytest.approx(year)


@pytest.mark.parametrize("tag", ["when-14", "when-2014-13", "when-2014-5", "when-1985s", "2014", "when-2014-05x"])
def test_anything_else_is_not_a_date(tag):
    m = _map((tag,))
    assert timeline.when(m, "n0") is None and timeline.dated(m) == ()


def test_dated_claims_come_oldest_first_with_their_strand():
    m = _map(("when-2020",), ("when-1990s",), ("when-2020-01",)).add(
        Node("e", "Evidence.", parent="n0", stance="pro", basis="event", tags=("when-2001",)))
    rows = timeline.dated(m)
    assert [d.id for d in rows] == ["n1", "e", "n2", "n0"]
    assert [d.strand for d in rows] == ["n1", "n0", "n2", "n0"]
    assert rows[1].kind == "evidence"
    assert timeline.chronology(m).splitlines()[0].startswith("1990s    n1  Claim 1.")


def test_the_course_timeline_puts_the_2018_doubts_after_the_2014_answer():
    m = argkit.load(ARGMAPS / "debate.yaml")
    order = [d.id for d in timeline.dated(m)]
    assert len(order) >= 30
    assert order.index("e_2014_agreement") < order.index("o_durable") < order.index("e_2019_xinjiang")
    assert order[0] == "e_1980s_thaw" and "e_wang_better_than_allies" not in order  # July, no year


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        assert struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0] == zlib.crc32(kind + body)
        out.append((kind, body))
        i += 12 + n
    return out


def test_the_figure_is_a_png_that_fits_a_laptop_and_is_the_same_every_time():
    m = argkit.load(ARGMAPS / "debate.yaml")
    png = timeline.to_png(m)
    assert png == timeline.to_png(argkit.load(ARGMAPS / "debate.yaml"))
    chunks = _png_chunks(png)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert width == 1000 and height > 24 * len(timeline.dated(m))
    assert not any(kind in (b"tEXt", b"iTXt", b"tIME") for kind, _ in chunks)  # no version or timestamp
    assert png != timeline.to_png(m, width=8)


def test_import_argkit_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import argkit, argkit.timeline, sys; print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_the_notebook_picture_has_an_alt_and_the_dates_as_text():
    import base64
    import html

    m = argkit.load(ARGMAPS / "debate.yaml")
    pic = timeline.draw(m)
    data, _ = pic._repr_mimebundle_()
    rows = timeline.dated(m)
    assert data["image/png"] == base64.b64encode(timeline.to_png(m)).decode("ascii")
    page = data["text/html"]
    assert page.startswith(f'<img src="data:image/png;base64,{data["image/png"]}" alt="Timeline of the {len(rows)} '
                           f'dated claims in &quot;{html.escape(m.title)}&quot;, from {rows[0].when} to '
                           f"{rows[-1].when}, oldest at the top; ")
    assert "of them on the sceptics&#x27; side (crosses). The list follows as text.\">" in page
    assert page.count("<li>") == len(rows) and f"<li>{rows[0].when}: {rows[0].id}: " in page
    hostile = argkit.parse_map('title: "<b onmouseover=x>\\""\nnodes:\n  - id: t\n    text: "<script>x</script>"\n'
                               '    tags: [when-2001]\n')
    page = timeline.draw(hostile)._repr_mimebundle_()[0]["text/html"]
    assert "<script>" not in page and "<b " not in page and "&lt;script&gt;" in page
