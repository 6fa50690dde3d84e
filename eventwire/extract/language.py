"""Language of an article, by py3langid's bundled model (loaded once per process)."""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 3000  # enough text for a stable guess, cheap on long articles


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for text too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    language, _probability = _identifier().classify(sample)
    return language
