"""Convert a map between file formats, chosen by the files' extensions (``argkit convert IN OUT``).

Read: ``.yaml``/``.yml`` (an overlay is merged with the map it extends), ``.argdown``/``.ad``
(an Argdown file holds every node, so it is written to YAML as a self-contained map).
Write: ``.yaml``/``.yml`` (refuses to overwrite a reference map unless forced), ``.argdown``/``.ad``,
``.aif.json`` (AIF, see :mod:`argkit.aif`), ``.svg`` and ``.dot`` (a drawing, see
:mod:`argkit.render`).

Example:
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "tea.argdown").write_text("[tea]: Tea is good.\\n  + [tasty]: It is tasty.\\n")
    >>> convert(d / "tea.argdown", d / "tea.yaml")
    >>> print((d / "tea.yaml").read_text(), end="")
    argkit: 1
    title: tea
    nodes:
    - id: tea
      text: Tea is good.
    - id: tasty
      parent: tea
      stance: pro
      text: It is tasty.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from argkit._io import write_text
from argkit.errors import ConversionError
from argkit.files import load, save
from argkit.model import ArgumentMap
from argkit.overlay import check_target

__all__ = ["INPUTS", "OUTPUTS", "ConversionError", "convert"]

INPUTS = (".yaml", ".yml", ".argdown", ".ad")
OUTPUTS = (".yaml", ".yml", ".argdown", ".ad", ".aif.json", ".svg", ".dot")


def _kind(path: Path, choices: tuple[str, ...], role: str) -> str:
    name = path.name.lower()
    for ext in sorted(choices, key=len, reverse=True):  # ".aif.json" before ".json"
        if name.endswith(ext):
            return ext
    got = "".join(path.suffixes[-2:]) or path.name
    raise ConversionError(
        f"{path}: cannot {role} a file ending in {got!r} (must be one of "
        + ", ".join(repr(c) for c in choices) + ")")


def read(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read a map from a ``.yaml``/``.yml`` or ``.argdown``/``.ad`` file."""
    p = Path(path)
    _kind(p, INPUTS, "read")
    return load(p)


def convert(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str], *,
            force: bool = False) -> None:
    """Read ``input_path`` and write it to ``output_path`` in the format its extension names.

    Args:
        input_path: A ``.yaml``/``.yml`` or ``.argdown``/``.ad`` file.
        output_path: A ``.yaml``, ``.argdown``, ``.aif.json``, ``.svg`` or ``.dot`` file.
        force: Overwrite a map marked ``reference: true`` (YAML, or Argdown front matter).

    Raises:
        ConversionError: An extension argkit does not read or write.
        MapSyntaxError: The input cannot be read (the message gives file, line and column).
        InvalidMapError: The input reads but is not a valid map.
        ReferenceMapError: The output is a reference map and ``force`` is not set.
    """
    out = Path(output_path)
    out_kind = _kind(out, OUTPUTS, "write")  # check before reading, so a typo fails fast
    check_target(out, force=force)
    m = read(input_path)
    if out_kind in (".yaml", ".yml", ".argdown", ".ad"):
        if out_kind in (".yaml", ".yml") and m.base is None and m.extends is not None:
            # Argdown written from a merged overlay holds every node (and repeats the sources the
            # overlay shares with its base): write it as one self-contained map.
            m = replace(m, extends=None, sources=tuple(dict.fromkeys(m.sources)))
        save(m, out, force=force)
        return
    if out_kind == ".aif.json":
        from argkit.aif import to_aif

        text = json.dumps(to_aif(m), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    elif out_kind == ".svg":
        from argkit.render import to_svg

        text = to_svg(m)
    else:
        from argkit.render import to_dot

        text = to_dot(m)
    write_text(out, text)
