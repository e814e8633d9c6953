"""Reading labelled examples: TSV with a header (intent, topic, text) or JSONL with those keys."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    intent: str
    topic: str  # "" when the text names no health issue
    text: str


def read_examples(path: str | Path) -> list[Example]:
    """Load a labelled file; blank lines and lines starting with '#' are skipped."""
    p = Path(path)
    raw = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() in {".jsonl", ".json"} or raw.lstrip().startswith("{"):
        out = []
        for line in raw.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            obj = json.loads(line)
            out.append(Example(str(obj.get("intent") or ""), str(obj.get("topic") or ""), str(obj.get("text") or "")))
        return out
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip().lower() for h in next(reader, [])]
    try:
        i_int, i_top, i_txt = header.index("intent"), header.index("topic"), header.index("text")
    except ValueError as exc:
        raise ValueError(f"{p}: header must name the columns intent, topic, text") from exc
    out = []
    for cols in reader:
        if len(cols) <= max(i_int, i_txt):
            continue
        topic = cols[i_top].strip() if len(cols) > i_top else ""
        text = "\t".join(cols[i_txt:]) if i_txt == len(header) - 1 else cols[i_txt]
        out.append(Example(cols[i_int].strip(), "" if topic in {"none", "-"} else topic, text))
    return out
