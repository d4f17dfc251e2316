"""Language identification, per document and per paragraph, offline.

py3langid ships its model inside the package (no download). A paragraph of a
document switches to another language only when it is long enough to be sure and
that language has a lexicon; short or unsupported paragraphs keep the document's.
A paragraph that is plainly in the document's language (many of its function words,
none of another supported language's: ``function_words`` in each lexicon.yaml) is not
sent to langid at all, which keeps detection cheap on ordinary single-language news.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import languages, load_yaml

MIN_LETTERS = 20  # below this, nothing reliable can be said
MIN_PARAGRAPH = 200  # characters a paragraph needs before it may differ from its document
PARAGRAPH_SAMPLE = 250  # characters of a paragraph that langid reads (its cost grows with length)
_LETTER = re.compile(r"[^\W\d_]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+")
PLAIN_FUNCTION_WORDS = 3  # distinct function words of the document's language that make a paragraph plain


@lru_cache(maxsize=1)
def _function_words() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Language -> (its function words, those only other supported languages have)."""
    table = {lang: frozenset(load_yaml(f"lang/{lang}/lexicon.yaml").get("function_words", ())) for lang in languages()}
    return {lang: (own, frozenset().union(*(v for k, v in table.items() if k != lang)) - own)
            for lang, own in table.items()}


def _plainly(text: str, lang: str) -> bool:
    """Whether ``text`` uses at least PLAIN_FUNCTION_WORDS function words of ``lang``
    and none that belong only to another supported language."""
    words = {w.lower() for w in _WORD.findall(text)}
    own, others = _function_words().get(lang, (frozenset(), frozenset()))
    return len(words & own) >= PLAIN_FUNCTION_WORDS and not words & others


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
        sample = text[start : min(end, start + PARAGRAPH_SAMPLE)]
        if end - start >= MIN_PARAGRAPH and not _plainly(sample, default):
            # the first few hundred characters decide; the cost of langid grows with length
            found = detect_language(sample, min_probability=0.9)
            if found in supported:
                lang = found
        spans.append((start, end, lang))
        start = match.end() if match else end
    return spans
