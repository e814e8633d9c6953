"""Command line: python -m nlp route "ข้อความ" | route --jsonl | evaluate FILE | train."""

from __future__ import annotations

import argparse
import json
import sys


def _route(args: argparse.Namespace) -> int:
    from nlp.router import route

    communities = [c for c in (args.communities or "").split(",") if c.strip()] or None
    if args.jsonl:
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
                text = obj.get("text", "") if isinstance(obj, dict) else str(obj)
            except json.JSONDecodeError:
                text = line
            out = route(text if isinstance(text, str) else str(text), communities).to_dict()
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return 0
    text = " ".join(args.text)
    print(json.dumps(route(text, communities).to_dict(), ensure_ascii=False))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from nlp.evaluate import evaluate, format_report

    res = evaluate(args.file)
    if args.json:
        res = {k: v for k, v in res.items() if k != "errors"}
        res["confusions"] = [[g, p, c] for (g, p), c in res["confusions"]]
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        print(format_report(res, show_errors=args.errors))
    return 0


def _train(_: argparse.Namespace) -> int:
    from nlp.train import fit

    info = fit()
    print(f"trained on {info['examples']} examples, {info['features']} features → nlp/model/router.npz")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("route", help="route one message, or JSONL lines from stdin")
    p.add_argument("text", nargs="*", help="the message")
    p.add_argument("--jsonl", action="store_true", help='read {"text": ...} lines on stdin')
    p.add_argument("--communities", help="comma-separated community names to match")
    p.set_defaults(func=_route)
    e = sub.add_parser("evaluate", help="score a labelled TSV (intent, topic, text) or JSONL file")
    e.add_argument("file")
    e.add_argument("--errors", action="store_true", help="list every misrouted message")
    e.add_argument("--json", action="store_true", help="print the figures as JSON")
    e.set_defaults(func=_evaluate)
    t = sub.add_parser("train", help="retrain nlp/model/router.npz from nlp/data/train.tsv")
    t.set_defaults(func=_train)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
