"""Language identification, per document and per paragraph, offline.

py3langid ships its model inside the package (no download). A paragraph of a
document switches to another language only when it is long enough to be sure and
that language has a lexicon; short or unsupported paragraphs keep the document's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import languages

MIN_LETTERS = 20  # below this, nothing reliable can be said
MIN_PARAGRAPH = 200  # characters a paragraph needs before it may differ from its document
PARAGRAPH_SAMPLE = 250  # characters of a paragraph that langid reads (its cost grows with length)
_LETTER = re.compile(r"[^\W\d_]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, *, min_probability: float = 0.5) -> str:
    """ISO 639-1 code of the text, or "und" when it is too short or unclear.

    >>> detect_language("Nissan akan meluncurkan mobil baru yang dirakit di Indonesia pada tahun ini.")
    'id'
    >>> detect_language("The company said it would build the new car in the United States.")
    'en'
    >>> detect_language("12345 !!!")
    'und'
    """
    if len(_LETTER.findall(text[:2000])) < MIN_LETTERS:
        return "und"
    lang, probability = _identifier().classify(text[:20000])
    return lang if probability >= min_probability else "und"


def paragraph_languages(text: str, default: str) -> list[tuple[int, int, str]]:
    """(start, end, language) of every paragraph; mixed-language articles get the
    lexicon of each paragraph's own language.

    >>> text = "Nissan dan Renault memperkuat aliansi mereka. " * 6 + "\\n\\n" + "Toyota said it would build the car in Texas. " * 6
    >>> [lang for _s, _e, lang in paragraph_languages(text, "id")]
    ['id', 'en']
    """
    supported = set(languages())
    spans = []
    start = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        lang = default
        if end - start >= MIN_PARAGRAPH:
            # the first few hundred characters decide; the cost of langid grows with length
            found = detect_language(text[start : min(end, start + PARAGRAPH_SAMPLE)], min_probability=0.9)
            if found in supported:
                lang = found
        spans.append((start, end, lang))
        start = match.end() if match else end
    return spans
