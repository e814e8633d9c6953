"""Train the intent and topic heads from nlp/data/train.tsv and write nlp/model/router.npz (deterministic)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from nlp.data_io import read_examples
from nlp.features import features
from nlp.model import MODEL_PATH
from nlp.normalize import normalize

TRAIN_PATH = Path(__file__).with_name("data") / "train.tsv"
NO_TOPIC = "none"
INTENT_C = 8.0
TOPIC_C = 8.0


def data_hash(path: Path = TRAIN_PATH) -> str:
    """sha256 of the training file; the shipped model records the one it was trained on."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _analyzer(text: str) -> list[str]:
    return features(normalize(text))


def fit(path: Path = TRAIN_PATH, out: Path = MODEL_PATH) -> dict[str, int]:
    """Fit both heads and save them; returns a few sizes for the log."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = read_examples(path)
    texts = [r.text for r in rows]
    vec = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True, min_df=2, dtype=np.float64)
    x = vec.fit_transform(texts)
    intent_clf = LogisticRegression(C=INTENT_C, max_iter=5000, class_weight="balanced")
    intent_clf.fit(x, [r.intent for r in rows])
    topic_clf = LogisticRegression(C=TOPIC_C, max_iter=5000, class_weight="balanced")
    topic_clf.fit(x, [r.topic or NO_TOPIC for r in rows])
    vocab = vec.get_feature_names_out()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        np.savez_compressed(
            f,
            vocab=np.asarray(vocab, dtype=str),
            idf=vec.idf_.astype(np.float32),
            intent_classes=np.asarray(intent_clf.classes_, dtype=str),
            intent_coef=intent_clf.coef_.T.astype(np.float32),
            intent_intercept=intent_clf.intercept_.astype(np.float32),
            topic_classes=np.asarray(topic_clf.classes_, dtype=str),
            topic_coef=topic_clf.coef_.T.astype(np.float32),
            topic_intercept=topic_clf.intercept_.astype(np.float32),
            data_hash=np.asarray(data_hash(path)),
        )
    return {"examples": len(rows), "features": len(vocab)}
