"""Text cut to fit: the one way argkit shortens a claim, a title or a value it quotes back."""

from __future__ import annotations

__all__ = ["shorten"]


def shorten(text: str, width: int = 60) -> str:
    """The text on one line, cut with "…" to at most ``width`` characters.

    Runs of whitespace (newlines included) become one space, so a list entry or a message stays on
    one line; a cut never leaves a space before the "…".

    Example:
        >>> shorten("Tea is good\\n  and cheap.", 12)
        'Tea is good…'
        >>> shorten("Tea is good.")
        'Tea is good.'
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
