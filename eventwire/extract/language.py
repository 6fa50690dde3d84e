"""Language of an article, by py3langid's bundled model (loaded once per process)."""

from __future__ import annotations

import re
from functools import lru_cache

SAMPLE_CHARS = 600  # a few sentences: enough for a stable guess, cheap on long articles
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for text too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTERS.findall(sample[:200])) < 20:
        return None
    language, _probability = _identifier().classify(sample)
    return language
