"""Feature strings for the classifiers: character n-grams (1-4, per word, padded) plus newmm words."""

from __future__ import annotations

from functools import lru_cache

_MAX_CHARS = 300  # long messages: the opening carries the intent; keeps latency flat


@lru_cache(maxsize=1)
def _tokenizer():
    """PyThaiNLP newmm with its bundled dictionary (no downloads); None if unavailable."""
    try:
        from pythainlp.tokenize import word_tokenize

        word_tokenize("ทดสอบ", engine="newmm")
        return word_tokenize
    except Exception:  # pragma: no cover - pythainlp is a declared dependency
        return None


def words(norm_text: str) -> list[str]:
    tok = _tokenizer()
    if tok is None:
        return norm_text.split()
    return [w for w in tok(norm_text, engine="newmm", keep_whitespace=False) if w.strip()]


def features(norm_text: str) -> list[str]:
    """Feature strings of an already-normalised text (duplicates kept: they are counted)."""
    text = norm_text[:_MAX_CHARS]
    feats: list[str] = []
    for w in text.split():
        padded = f" {w} "
        n_chars = len(padded)
        for n in (1, 2, 3, 4):
            for i in range(n_chars - n + 1):
                feats.append("c" + padded[i:i + n])
    toks = words(text)
    feats.extend("w" + t for t in toks)
    feats.extend("b" + a + "_" + b for a, b in zip(toks, toks[1:], strict=False))
    return feats
