"""Accuracy, macro-F1, per-label precision/recall, top confusions and topic accuracy on a labelled file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from nlp.data_io import read_examples
from nlp.router import route


def evaluate(path: str | Path) -> dict[str, Any]:
    """Route every example of the file and compare with its labels."""
    rows = read_examples(path)
    gold, pred, confusions = [], [], Counter()
    topic_total = topic_ok = 0
    unsure = unsure_wrong = 0
    errors: list[tuple[str, str, str]] = []
    for ex in rows:
        r = route(ex.text)
        gold.append(ex.intent)
        pred.append(r.intent)
        if r.intent != ex.intent:
            confusions[(ex.intent, r.intent)] += 1
            errors.append((ex.intent, r.intent, ex.text))
        if not r.sure:
            unsure += 1
            unsure_wrong += r.intent != ex.intent
        if ex.topic:
            topic_total += 1
            topic_ok += r.topic == ex.topic
    labels = sorted(set(gold) | set(pred))
    per_label: dict[str, dict[str, float]] = {}
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        n_pred = sum(1 for p in pred if p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": n_gold}
        if n_gold:
            f1s.append(f1)
    n = len(rows)
    return {
        "n": n,
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / n if n else 0.0,
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "per_label": per_label,
        "confusions": confusions.most_common(10),
        "topic_n": topic_total,
        "topic_accuracy": topic_ok / topic_total if topic_total else None,
        "not_sure": unsure,
        "not_sure_wrong": unsure_wrong,
        "errors": errors,
    }


def format_report(res: dict[str, Any], show_errors: bool = False) -> str:
    """Human-readable report."""
    lines = [
        f"examples        {res['n']}",
        f"intent accuracy {res['accuracy']:.3f}",
        f"macro-F1        {res['macro_f1']:.3f}",
    ]
    if res["topic_accuracy"] is not None:
        lines.append(f"topic accuracy  {res['topic_accuracy']:.3f}  (on {res['topic_n']} messages with a topic)")
    sure_n = res["n"] - res["not_sure"]
    lines.append(f"not sure        {res['not_sure']} ({res['not_sure_wrong']} of them wrong); "
                 f"{sure_n} answered as sure")
    lines.append("")
    lines.append(f"{'label':<18}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>6}")
    for lab, m in res["per_label"].items():
        lines.append(f"{lab:<18}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}{m['support']:>6}")
    lines.append("")
    lines.append("top confusions (gold → predicted):")
    for (g, p), c in res["confusions"]:
        lines.append(f"  {c:>3}  {g} → {p}")
    if show_errors:
        lines.append("")
        lines.append("errors:")
        for g, p, t in res["errors"]:
            lines.append(f"  {g} → {p}: {t}")
    return "\n".join(lines)
