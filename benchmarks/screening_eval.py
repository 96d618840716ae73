"""How well the screening engine finds listed parties and leaves others alone.

Imports every file under data/lists/ into a scratch database (in the order
build_screening_eval.py reads them, so the newest version of each list is in force), builds
the engine's index, and runs every case of data/screening_eval/cases.csv through
`screening.matching.engine.screen` and every pair of pairs.csv through `compare`. Prints one
JSON object: precision, recall and F1 per category and overall, the share of cross-script
names found, and F1 over a sweep of thresholds (one threshold for all lists, and per list)
to calibrate settings.SCREENING_THRESHOLDS. Exits 1 if the overall F1 is below 0.85 or the
precision below 0.90.

A positive case counts as found when its expected entry is among the matches at or above
the threshold (or the same OFAC entry number on another OFAC-derived list: the SDN list, the
consolidated non-SDN list and the CSL's copies list one party under one number); any match
for a negative case is a false positive. Categories listed in
build_screening_eval.INFORMATIONAL are reported but left out of the overall figures.

    .venv/bin/python benchmarks/screening_eval.py [--failures FILE] [--limit 20]
"""

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from _django import scratch_database
from build_screening_eval import EVAL_DIR, INFORMATIONAL, LISTS_DIR, import_groups

SWEEP = [round(0.70 + 0.025 * step, 3) for step in range(11)]  # 0.70 ... 0.95
TARGET_F1, TARGET_PRECISION = 0.85, 0.90
CROSS_SCRIPT = ("cross_script", "cross_script_listed")


OFAC_LISTS = ("us_ofac_sdn", "us_ofac_consolidated")
# CSL rows that OFAC published carry OFAC's entry number after their programme's prefix.
CSL_OFAC_ID = re.compile(r"(?:SDN|SSI|NS-MBS|CAP|CMIC|PLC|FSE|NS-ISA|NS-PLC|MBS)-(\d+)(?:-\d+)?")


def party(list_code: str, entry_id: str) -> tuple[str, str]:
    """Who an entry lists: OFAC gives one party one number across the SDN list, its
    consolidated non-SDN list and the copies in trade.gov's CSL, so those count as one."""
    if list_code in OFAC_LISTS and entry_id.isdigit():
        return ("ofac", entry_id)
    if list_code == "us_csl" and (match := CSL_OFAC_ID.fullmatch(entry_id)):
        return ("ofac", match.group(1))
    return (list_code, entry_id)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


class Tally:
    """Counts of one category (or all): true/false positives and negatives."""

    def __init__(self):
        self.tp = self.fn = self.fp = self.tn = 0
        self.wrong = 0  # positives whose expected entry was missed while another one matched

    def add(self, *, positive: bool, found: bool, any_match: bool) -> None:
        if positive:
            if found:
                self.tp += 1
            else:
                self.fn += 1
                self.wrong += any_match
        elif any_match:
            self.fp += 1
        else:
            self.tn += 1

    def metrics(self) -> dict:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        result = {
            "positives": self.tp + self.fn,
            "negatives": self.fp + self.tn,
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1),
            "tp": self.tp,
            "fn": self.fn,
            "fp": self.fp,
            "tn": self.tn,
        }
        if self.fp + self.tn:
            result["false_positive_rate"] = _round(self.fp / (self.fp + self.tn))
        if self.wrong:
            result["missed_with_other_match"] = self.wrong
        return result


def _round(value):
    return None if value is None else round(value, 4)


def _f1(tally: Tally):
    return tally.metrics()["f1"]


def import_lists() -> dict:
    from exportgov.core.exceptions import ApplicationError
    from screening.services import list_version_import

    imported, skipped = [], []
    started = time.perf_counter()
    for paths in import_groups(LISTS_DIR):
        names = [str(path.relative_to(LISTS_DIR)) for path in paths]
        try:
            version = list_version_import(actor=None, paths=paths)
        except ApplicationError as error:
            skipped.append({"files": names, "reason": error.message})
            continue
        imported.append(
            {"files": names, "list": version.source.code, "entries": version.entry_count}
        )
    return {
        "imported": imported,
        "skipped": skipped,
        "seconds": round(time.perf_counter() - started, 1),
    }


def evaluate_cases(cases: list[dict], limit: int) -> tuple[dict, list[dict]]:
    from screening.matching.engine import engine_get, screen, threshold_for, thresholds
    from screening.matching.types import Query

    index = engine_get()
    table = thresholds()
    tallies: dict[str, Tally] = defaultdict(Tally)
    sweep = {t: Tally() for t in SWEEP}
    lists = sorted({row["expected_list"] for row in cases if row["expected_list"]})
    per_list = {code: {t: Tally() for t in SWEEP} for code in lists}
    records = []
    seconds = []
    for row in cases:
        positive = bool(row["expected_entry_id"])
        expected = (row["expected_list"], row["expected_entry_id"])
        wanted = party(*expected)
        started = time.perf_counter()
        result = screen(
            name=row["query"],
            schema=row["schema"] or "any",
            country=row["country"] or None,
            birth_date=row["birth_date"] or None,
            limit=limit,
            index=index,
        )
        seconds.append(time.perf_counter() - started)
        matches = result.matches
        found = positive and any(party(hit.list, hit.entry_id) == wanted for hit in matches)
        tallies[row["category"]].add(positive=positive, found=found, any_match=bool(matches))
        # Every hit the index ranks, whatever its score, for the threshold sweep.
        query = Query(
            name=row["query"],
            schema=row["schema"] or "any",
            country=(row["country"] or None) and row["country"].upper(),
            birth_date=row["birth_date"] or None,
        )
        hits = index.search(query, limit=limit)
        expected_score = max(
            (hit.score for hit in hits if party(hit.list, hit.entry_id) == wanted), default=0.0
        )
        top = hits[0] if hits else None
        if row["category"] not in INFORMATIONAL:
            for t in SWEEP:
                sweep[t].add(
                    positive=positive,
                    found=positive and expected_score >= t,
                    any_match=bool(hits) and hits[0].score >= t,
                )
            for code in lists:
                list_hits = [hit for hit in hits if hit.list == code]
                best = list_hits[0].score if list_hits else 0.0
                for t in SWEEP:
                    if positive and expected[0] == code:
                        per_list[code][t].add(
                            positive=True, found=expected_score >= t, any_match=best >= t
                        )
                    elif not positive:
                        per_list[code][t].add(positive=False, found=False, any_match=best >= t)
        records.append(
            {
                "category": row["category"],
                "query": row["query"],
                "schema": row["schema"],
                "country": row["country"],
                "birth_date": row["birth_date"],
                "expected": f"{expected[0]} {expected[1]}" if positive else None,
                "ok": found if positive else not matches,
                "expected_score": round(expected_score, 4) if positive else None,
                "top": None
                if top is None
                else {
                    "list": top.list,
                    "entry_id": top.entry_id,
                    "name": top.name,
                    "matched_name": top.matched_name,
                    "score": round(top.score, 4),
                    "threshold": threshold_for(top.list, table),
                },
            }
        )
    overall = Tally()
    for category, tally in tallies.items():
        if category in INFORMATIONAL:
            continue
        for name in ("tp", "fn", "fp", "tn", "wrong"):
            setattr(overall, name, getattr(overall, name) + getattr(tally, name))
    cross = Tally()
    for category in CROSS_SCRIPT:
        tally = tallies.get(category, Tally())
        cross.tp += tally.tp
        cross.fn += tally.fn
    seconds.sort()
    best_overall = max(SWEEP, key=lambda t: (_f1(sweep[t]) or 0, t))
    report = {
        "thresholds": table,
        "overall": overall.metrics(),
        "categories": {category: tallies[category].metrics() for category in sorted(tallies)},
        "cross_script_share_found": _round(cross.tp / (cross.tp + cross.fn))
        if cross.tp + cross.fn
        else None,
        "cross_script_share_found_by_kind": {
            category: tallies[category].metrics()["recall"]
            for category in (*CROSS_SCRIPT, "cross_script_translation")
            if category in tallies
        },
        "sweep_one_threshold": {
            str(t): {
                "precision": sweep[t].metrics()["precision"],
                "recall": sweep[t].metrics()["recall"],
                "f1": _f1(sweep[t]),
            }
            for t in SWEEP
        },
        "best_one_threshold": best_overall,
        "sweep_per_list": {
            code: {
                "f1": {str(t): _f1(per_list[code][t]) for t in SWEEP},
                "best": max(SWEEP, key=lambda t, code=code: (_f1(per_list[code][t]) or 0, t)),
            }
            for code in lists
        },
        "screen_ms": {
            "p50": round(seconds[len(seconds) // 2] * 1000, 2),
            "p99": round(seconds[int(len(seconds) * 0.99) - 1] * 1000, 2),
        },
    }
    return report, records


def evaluate_pairs(pairs: list[dict]) -> dict:
    from screening.matching.engine import compare, thresholds

    threshold = thresholds()["default"]
    tallies: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    sweep = {t: Tally() for t in SWEEP}
    failures = defaultdict(list)
    for row in pairs:
        score = compare(row["left"], row["right"], row["schema"] or "any")
        match = row["match"] == "true"
        predicted = score >= threshold
        tallies[row["category"]].add(positive=match, found=match and predicted, any_match=predicted)
        if row["category"] not in INFORMATIONAL:
            overall.add(positive=match, found=match and predicted, any_match=predicted)
            for t in SWEEP:
                sweep[t].add(positive=match, found=match and score >= t, any_match=score >= t)
        if predicted != match:
            failures[row["category"]].append(
                {
                    "left": row["left"],
                    "right": row["right"],
                    "match": match,
                    "score": round(score, 4),
                }
            )
    return {
        "threshold": threshold,
        "overall": overall.metrics(),
        "categories": {category: tallies[category].metrics() for category in sorted(tallies)},
        "sweep_one_threshold": {str(t): _f1(sweep[t]) for t in SWEEP},
        "best_one_threshold": max(SWEEP, key=lambda t: (_f1(sweep[t]) or 0, t)),
    }, failures


def worst_failures(records: list[dict], per_category: int) -> dict:
    """The worst misses of each category: positives whose expected entry scored lowest,
    negatives whose top match scored highest."""
    by_category = defaultdict(list)
    for record in records:
        if not record["ok"]:
            by_category[record["category"]].append(record)
    worst = {}
    for category, failed in sorted(by_category.items()):
        failed.sort(
            key=lambda r: (
                r["expected_score"] if r["expected"] else -(r["top"] or {}).get("score", 0)
            )
        )
        worst[category] = failed[:per_category]
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=EVAL_DIR / "cases.csv")
    parser.add_argument("--pairs", type=Path, default=EVAL_DIR / "pairs.csv")
    parser.add_argument("--limit", type=int, default=20, help="matches asked for per query")
    parser.add_argument("--failures", type=Path, help="write the worst failures here (JSON)")
    parser.add_argument("--per-category", type=int, default=10, help="failures kept per category")
    args = parser.parse_args()
    cases, pairs = read_csv(args.cases), read_csv(args.pairs)

    with scratch_database("screening_eval"):
        lists = import_lists()
        from screening.matching.engine import engine_get

        started = time.perf_counter()
        engine_get()
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        cases_report, records = evaluate_cases(cases, args.limit)
        cases_seconds = time.perf_counter() - started
        pairs_report, pair_failures = evaluate_pairs(pairs)

    overall = cases_report["overall"]
    passed = (overall["f1"] or 0) >= TARGET_F1 and (overall["precision"] or 0) >= TARGET_PRECISION
    report = {
        "benchmark": "screening_eval",
        "lists": lists,
        "index_build_seconds": round(build_seconds, 1),
        "cases": len(cases),
        "cases_seconds": round(cases_seconds, 1),
        "pairs": len(pairs),
        "target": {"f1": TARGET_F1, "precision": TARGET_PRECISION, "passed": passed},
        "screen": cases_report,
        "compare": pairs_report,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.failures:
        failures = {
            "screen": worst_failures(records, args.per_category),
            "compare": {
                category: sorted(
                    items, key=lambda f: -f["score"] if not f["match"] else f["score"]
                )[: args.per_category]
                for category, items in sorted(pair_failures.items())
            },
        }
        args.failures.write_text(json.dumps(failures, indent=2, ensure_ascii=False) + "\n")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
