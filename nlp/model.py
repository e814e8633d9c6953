"""Inference for the shipped linear model (nlp/model/router.npz); numpy only, no scikit-learn at run time."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nlp.features import features

MODEL_PATH = Path(__file__).with_name("model") / "router.npz"


@dataclass(frozen=True)
class Head:
    """One softmax classifier over the shared tf-idf features."""

    classes: tuple[str, ...]
    coef: np.ndarray  # (n_features, n_classes) float32
    intercept: np.ndarray  # (n_classes,)

    def proba(self, idx: list[int], vals: np.ndarray) -> np.ndarray:
        scores = self.intercept.astype(np.float64).copy()
        if idx:
            scores += vals @ self.coef[idx]
        scores -= scores.max()
        e = np.exp(scores)
        return e / e.sum()


@dataclass(frozen=True)
class Model:
    vocab: dict[str, int]
    idf: np.ndarray
    intent: Head
    topic: Head
    data_hash: str

    def vectorize(self, norm_text: str) -> tuple[list[int], np.ndarray]:
        """Sparse l2-normalised sublinear tf-idf vector as (indices, values)."""
        counts = Counter(features(norm_text))
        idx: list[int] = []
        vals: list[float] = []
        vocab, idf = self.vocab, self.idf
        for f, c in counts.items():
            j = vocab.get(f)
            if j is not None:
                idx.append(j)
                vals.append((1.0 + math.log(c)) * idf[j])
        arr = np.asarray(vals, dtype=np.float64)
        norm = math.sqrt(float(arr @ arr)) if idx else 0.0
        if norm:
            arr /= norm
        return idx, arr


@lru_cache(maxsize=1)
def load(path: str | None = None) -> Model:
    """Load the shipped model once per process."""
    with np.load(path or MODEL_PATH, allow_pickle=False) as z:
        names = [str(s) for s in z["vocab"]]
        return Model(
            vocab={n: i for i, n in enumerate(names)},
            idf=z["idf"].astype(np.float64),
            intent=Head(tuple(str(c) for c in z["intent_classes"]), z["intent_coef"], z["intent_intercept"]),
            topic=Head(tuple(str(c) for c in z["topic_classes"]), z["topic_coef"], z["topic_intercept"]),
            data_hash=str(z["data_hash"]),
        )
