"""Command line output shape, held-out accuracy (a real measurement), and the shipped model's provenance."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nlp.evaluate import evaluate
from nlp.model import load
from nlp.train import data_hash

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "nlp" / "data" / "heldout.tsv"
HELDOUT_B = ROOT / "nlp" / "data" / "heldout_b.tsv"
TRAIN = ROOT / "nlp" / "data" / "train.tsv"


def _run(*args: str, stdin: str | None = None) -> str:
    out = subprocess.run([sys.executable, "-m", "nlp", *args], input=stdin, capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=120)
    return out.stdout


def test_cli_route_prints_one_json_object() -> None:
    obj = json.loads(_run("route", "ขอลงชื่อ 2 คนค่ะ"))
    assert set(obj) == {"intent", "confidence", "sure", "topic", "topic_named", "entities"}
    assert obj["intent"] == "activity_signup" and obj["entities"]["count"] == 2


def test_cli_route_jsonl_keeps_order() -> None:
    texts = ["สวัสดีค่ะ", "ขอบคุณค่ะ", "", "ยกเลิก"]
    stdin = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    lines = _run("route", "--jsonl", stdin=stdin).splitlines()
    assert [json.loads(x)["intent"] for x in lines] == ["greeting", "thanks", "other", "activity_cancel"]


def test_cli_evaluate_reports_figures(tmp_path: Path) -> None:
    f = tmp_path / "mini.jsonl"
    f.write_text(json.dumps({"intent": "greeting", "topic": "", "text": "สวัสดี"}, ensure_ascii=False) + "\n"
                 + json.dumps({"intent": "idea_submit", "topic": "environment", "text": "อยากเสนอโครงการแยกขยะ"},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    out = _run("evaluate", str(f))
    assert "intent accuracy 1.000" in out and "macro-F1" in out and "topic accuracy  1.000" in out


def test_heldout_meets_targets() -> None:
    res = evaluate(HELDOUT)
    assert res["n"] >= 300
    assert res["accuracy"] >= 0.92
    assert res["macro_f1"] >= 0.90
    assert res["topic_accuracy"] >= 0.85


def test_second_heldout_meets_targets() -> None:
    res = evaluate(HELDOUT_B)
    assert res["accuracy"] >= 0.92
    assert res["macro_f1"] >= 0.90
    assert res["topic_accuracy"] >= 0.85


def test_heldout_texts_are_not_in_training() -> None:
    train = {line.split("\t", 2)[2] for line in TRAIN.read_text(encoding="utf-8").splitlines()[1:]}
    for path in (HELDOUT, HELDOUT_B):
        held = [line.split("\t", 2)[2] for line in path.read_text(encoding="utf-8").splitlines()[1:]]
        assert not train & set(held)


def test_shipped_model_matches_training_data() -> None:
    assert load().data_hash == data_hash(TRAIN), "run: .venv/bin/python -m nlp train"


def test_training_data_covers_every_intent_and_topic() -> None:
    from nlp import INTENTS, TOPICS
    from nlp.data_io import read_examples

    rows = read_examples(TRAIN)
    assert len(rows) >= 1500
    assert {r.intent for r in rows} == set(INTENTS)
    assert {r.topic for r in rows if r.topic} == set(TOPICS)


def test_training_file_is_what_the_generator_writes() -> None:
    from nlp.data.make_train import build

    expected = "intent\ttopic\ttext\n" + "".join(f"{i}\t{t}\t{x}\n" for i, t, x in build())
    assert TRAIN.read_text(encoding="utf-8") == expected, "run: .venv/bin/python -m nlp.data.make_train"
