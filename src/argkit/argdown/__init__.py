"""Argdown in and out: read a documented subset of Argdown into a map, and write a map as Argdown.

`Argdown <https://argdown.org>`_ is the plain-text syntax most teachers and philosophers use to
map arguments. This module reads the subset below (an own parser: no Argdown code is used) and
writes maps back so that ``parse_argdown(generate_argdown(m)) == m``.

The package is a pipeline, one module per step: :mod:`~argkit.argdown.lexer` (text to items:
front matter, comments, escapes, metadata), :mod:`~argkit.argdown.document` (items to Argdown's
own view of the text, :class:`ArgdownDocument`), :mod:`~argkit.argdown.to_map` (that document
as an argkit map) and :mod:`~argkit.argdown.writer` (a map as Argdown text).

The subset read:

* statements ``[Title]: text`` and references ``[Title]``; untitled text is a statement too;
* arguments ``<Title>: text`` and references ``<Title>`` (``<Title>(1)`` reads as ``<Title>``);
* relations by indentation: ``+``, ``-``, ``_`` (undercut) for the line below supporting,
  attacking or undercutting the element above, ``<+``, ``<-``, ``<_`` (the same), ``+>``, ``->``,
  ``_>`` for the element above supporting, attacking or undercutting the line below, and ``><``
  (contradiction, counted once, as Argdown does);
* premise-conclusion structures: ``(1) premise`` lines, inference lines ``----``, ``-- rule --``
  or ``--`` / rule lines / ``--``, and the conclusion after them; an argument ``<Title>`` on its
  own just before the structure (after a blank line) owns it, else the structure is an untitled
  argument;
* headings ``#`` .. ``######`` (the innermost heading becomes a tag of the elements first
  defined under it), list items ``*`` and ``1.`` (statements), ``#tag`` and ``#(tag with
  spaces)``, ``{key: value}`` metadata at the end of an element, a YAML front matter between
  ``===`` lines (``title``, ``model: {mode: strict}``, ``reference: true``), comments ``//``, ``/* */`` and
  ``<!-- -->``, backslash escapes (``\\[``), Windows line endings.

Anything else that looks like Argdown structure (a relation right after a blank line, an
inference outside a premise-conclusion structure, an argument used as a premise, a structure
without a conclusion, bad metadata) raises :class:`~argkit.errors.MapSyntaxError` with the line,
column and what to do.

How Argdown becomes an argkit map:

* every statement (equivalence class) and every argument is a :class:`~argkit.model.Node`;
  arguments carry the tag ``argument`` (first, unless the text names it as a ``#argument`` tag);
* the node id is the Argdown title when it is a valid id, else the title made into one
  (``Statement 1`` -> ``Statement-1``, accents dropped, ``-2`` added on a clash); untitled
  statements are ``Untitled-N`` as Argdown numbers them. :func:`generate_argdown` writes the id
  as the title, so titles with spaces come back with dashes;
* the *tree*: the first support or attack that an element makes on the line where it is written
  under another one (``+ X``, ``- X``, ``<+ X``, ``<- X``, ``>< X``) makes that element a child
  (``parent``, ``stance`` pro or con) unless that would close a loop. Every other relation,
  and every relation written from the element above (``+>``, ``->``, ``_>``) is a
  cross-relation ``supports``/``attacks``/``undercuts``. An undercut of a contention (which has
  no inference to undercut in argkit) becomes ``attacks``. Elements that are nobody's child are
  contentions. Argdown's strict-mode types map as ``entails`` -> supports, ``contrary`` and
  ``contradictory`` -> attacks;
* an argument with a premise-conclusion structure is drawn simply: the premises (and intermediate
  conclusions) support the argument as linked co-premises (``link`` = the argument's id) and the
  argument supports its main conclusion; an outgoing support or attack of such an argument on a
  statement starts from its main conclusion, as Argdown does;
* text: lines are joined by one space, tags are removed from the text into ``tags``, links
  ``[text](url)`` keep their text, ``@[mentions]`` and Markdown emphasis stay as written;
* metadata: ``author``, ``source``, ``quote`` (``text``, ``endnote``, ``page``, ``source``),
  ``basis``, ``link``, ``added_by``, ``tags`` and ``text`` fill the node's fields; other keys are
  Argdown's (``isInMap``, ``uses``...) and are not kept. A ``source`` that the map does not list
  is added to its sources. The front matter's ``argkit:`` entry holds the map's description,
  reference flag, ``extends``, sources and (when the trees' reading order differs from the map's)
  the node ``order``.

Example:
    >>> m = parse_argdown('''
    ... [tea]: Tea is good.
    ...   + [tasty]: It is tasty. #taste
    ...   - <stains>: It stains teeth.
    ... ''')
    >>> [(n.id, n.parent, n.stance, n.tags) for n in m.nodes]
    [('tea', None, None, ()), ('tasty', 'tea', 'pro', ('taste',)), ('stains', 'tea', 'con', ('argument',))]
    >>> parse_argdown(generate_argdown(m)) == m
    True
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from argkit import _io
from argkit.argdown.document import ArgdownDocument, ArgdownElement, ArgdownRelation, parse_document
from argkit.argdown.lexer import front_matter
from argkit.argdown.writer import generate_argdown
from argkit.errors import ArgdownWriteError, InvalidMapError, MapSyntaxError
from argkit.model import ArgumentMap
from argkit.validate import check_map

__all__ = [
    "ArgdownDocument",
    "ArgdownElement",
    "ArgdownRelation",
    "ArgdownWriteError",
    "generate_argdown",
    "is_reference",
    "parse_argdown",
    "parse_argdown_document",
    "read_argdown",
    "write_argdown",
]


def parse_argdown_document(text: str, path: str | os.PathLike[str] | None = None) -> ArgdownDocument:
    """Read Argdown text into an :class:`ArgdownDocument` (Argdown's own view of it).

    Example:
        >>> doc = parse_argdown_document("[A]: Tea.\\n  + <B>: Tasty.\\n  >< Coffee.")
        >>> doc.statements, doc.arguments
        (('A', 'Untitled 1'), ('B',))
        >>> [(r.type, r.from_title, r.to_title) for r in doc.relations]
        [('support', 'B', 'A'), ('contradictory', 'A', 'Untitled 1')]

    Raises:
        MapSyntaxError: The text is not in the supported subset; the message gives the line.
    """
    return parse_document(text, None if path is None else str(path))


def parse_argdown(text: str, path: str | os.PathLike[str] | None = None) -> ArgumentMap:
    """Read Argdown text into a map (see the module docstring for the subset and the mapping).

    Raises:
        MapSyntaxError: The text is not in the supported subset; the message gives the line.
        InvalidMapError: The Argdown reads but does not make a valid map.
    """
    m = parse_argdown_document(text, path).to_map()
    # A merged overlay repeats some of its base's sources word for word; that is harmless, so the
    # check sees each such source once (the map keeps them all, for the round trip).
    once = tuple(dict.fromkeys(m.sources))
    problems = check_map(replace(m, sources=once) if len(once) < len(m.sources) else m,
                         overlay=m.extends is not None)
    if problems:
        raise InvalidMapError(problems)
    return m


def read_argdown(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read an ``.argdown`` file into a map."""
    p = Path(path)
    return parse_argdown(_io.read_text(p, what="an Argdown file", fix="give the path of a .argdown file"), p)


def write_argdown(m: ArgumentMap, path: str | os.PathLike[str]) -> None:
    """Write the map as Argdown to ``path`` atomically."""
    _io.write_text(path, generate_argdown(m))


def is_reference(text: str) -> bool:
    """True if the front matter marks the map as reference material, however the flag is spelt.

    Both ``reference: true`` and ``argkit: {reference: true}`` (what :func:`generate_argdown`
    writes) count, in any spelling YAML reads as true (``True``, ``yes``, ``on``...). Text whose
    front matter cannot be read is not reference material (it is not a map argkit wrote).

    Example:
        >>> is_reference("===\\nargkit: {reference: yes}\\n===\\n[t]: Tea.\\n")
        True
    """
    try:
        front = front_matter(text)
    except MapSyntaxError:
        return False
    meta = front.get("argkit")
    return front.get("reference") is True or (isinstance(meta, dict) and meta.get("reference") is True)
