"""Language identification from function words kept as data (one list per language).

Offline and instant: counts how many tokens are frequent function words of each
language. Good enough for news paragraphs; returns "und" when no language wins.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import load_lines, languages

_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
def _stopwords() -> dict[str, frozenset[str]]:
    return {lang: frozenset(load_lines(f"lang/{lang}/stopwords.txt")) for lang in languages()}


def detect_language(text: str, *, min_hits: int = 3) -> str:
    """ISO 639-1 code of the text, or "und".

    >>> detect_language("Nissan akan meluncurkan mobil baru yang dirakit di Indonesia pada tahun ini.")
    'id'
    >>> detect_language("The company said it would build the new car in the United States.")
    'en'
    >>> detect_language("12345 !!!")
    'und'
    """
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    scores = {lang: sum(w in stops for w in words) for lang, stops in _stopwords().items()}
    if not scores:
        return "und"
    best = max(sorted(scores), key=scores.__getitem__)
    if scores[best] < min(min_hits, max(1, len(words) // 4)):
        return "und"
    return best
