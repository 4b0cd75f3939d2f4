"""A large knowledge base's best lexical matches, from rough scores made exact where they count.

Ranking a question against 100,000 entries (bot.ranking) needs the exact lexical scores of
a few: the best `refine_limit` entries, which rapidfuzz refines, the best `count` after
that, and the candidates found by meaning. Rough scores (bot.overlap.ROUGH_ERROR) take one
division an example instead of three; here every entry they cannot rule out is scored
exactly, so the best entries and every score handed out are those scoring every entry
exactly gives. Entries tied exactly are taken in entry order, as bot.arrays.highest does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bot.arrays import highest
from bot.matcher import LexicalScores, MatchIndex
from bot.overlap import ROUGH_ERROR

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Shortlist"]

# A rough score and the exact one differ by at most ROUGH_ERROR: two rough scores closer
# than twice that may stand in either order exactly.
_MARGIN = 2 * ROUGH_ERROR


class Shortlist:
    """One question's refined lexical scores, exact for every entry asked about."""

    def __init__(
        self, index: MatchIndex, scores: LexicalScores, refine_limit: int, count: int
    ) -> None:
        """Find the best `count` entries, the best `refine_limit` of them refined first."""
        self._scores = scores
        self._known = scores.blended.copy()  # exact where `_exact`, rough elsewhere
        self._exact = np.zeros(len(self._known), dtype=bool)
        refined = self._best(refine_limit)
        refined = refined[self._known[refined] > 0]
        self._known[refined] = index.refine(scores, refined.tolist())
        self.best = self._best(count)

    def lexical(self, entries: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """The refined lexical scores of `entries`, as scoring every entry exactly gives."""
        self._settle(entries)
        found: npt.NDArray[np.float64] = self._known[entries]
        return found

    def _best(self, count: int) -> npt.NDArray[np.int64]:
        """The `count` entries with the highest scores, exactly: an entry whose rough score
        is more than the margin below the count-th highest cannot be among them."""
        known = self._known
        count = min(count, len(known))
        if not count:
            return np.zeros(0, dtype=np.int64)
        least = float(np.partition(known, len(known) - count)[len(known) - count])
        # A rough score is 0 exactly where the exact one is: those need no margin (and
        # one that low would take in every entry).
        near = np.flatnonzero(known >= least - _MARGIN if least > _MARGIN else known > 0)
        self._settle(near)
        best = near[highest(known[near], count)]
        if len(best) < count:  # fewer overlap the question: the first others, scoring 0
            best = np.concatenate([best, np.flatnonzero(known == 0)[: count - len(best)]])
        return best.astype(np.int64, copy=False)

    def _settle(self, entries: npt.NDArray[np.int64]) -> None:
        """Make the scores of `entries` exact."""
        rough = entries[~self._exact[entries]]
        self._known[rough] = self._scores.exact(rough)
        self._exact[rough] = True
