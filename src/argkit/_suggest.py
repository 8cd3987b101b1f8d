"""Did-you-mean suggestions in bounded time, however many ids a map has and however many are wrong.

``difflib.get_close_matches`` compares a word with every choice; asked once for each of n unknown
ids against n known ids, that is quadratic (4,000 unknown parents took 35 s). A :class:`Suggester`
sorts the choices once and compares a word only with a bounded pool of likely ones (its
neighbours in sorted order, which share its beginning), gives at most ``limit`` suggestions per map, and skips words too long
to be typos of an id, so a whole map's suggestions cost linear time.

Example:
    >>> s = Suggester(["cox_thesis", "kupchan", "radchenko"])
    >>> s.nearest("kupchen")
    'kupchan'
    >>> s.nearest("zzz") is None
    True
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable

__all__ = ["Suggester", "nearest"]

MAX_WORD = 64  # longer words are not typos of an id or a field name
POOL = 200  # choices compared with one word, at most
LIMIT = 50  # suggestions per Suggester; later misses get the generic fix


class Suggester:
    """Nearest-choice lookups over one fixed set of choices, with a total budget."""

    def __init__(self, choices: Iterable[str], *, cutoff: float = 0.5, limit: int = LIMIT):
        self.cutoff = cutoff
        self.left = limit
        self.sorted = sorted({c for c in choices if isinstance(c, str) and 0 < len(c) <= MAX_WORD})

    def _pool(self, word: str) -> list[str]:
        if len(self.sorted) <= POOL:
            return self.sorted
        i = bisect.bisect_left(self.sorted, word)
        lo = max(0, min(i - POOL // 2, len(self.sorted) - POOL))
        return self.sorted[lo:lo + POOL]

    def nearest(self, word: str | None) -> str | None:
        """The closest choice to ``word``, or ``None`` (also once the budget is spent)."""
        if not word or len(word) > MAX_WORD or self.left <= 0:
            return None
        self.left -= 1
        hits = difflib.get_close_matches(word, self._pool(word), n=1, cutoff=self.cutoff)
        return hits[0] if hits else None


def nearest(word: str | None, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """One bounded did-you-mean lookup (for a small fixed set such as field names)."""
    return Suggester(choices, cutoff=cutoff, limit=1).nearest(word)
