"""Triage queue and case page under 20,000 cases.

Seeds a scratch database with a small case load first (the baseline) and then with the full
load, and requests the officials' triage queue and case page through Django's test client
(server time: middleware, views, queries and templates). Prints one JSON object with p50/p95
server times and SQL query counts, and shows that a page's query count does not grow with
the rows shown (10 against 100 rows per page). Exits 1 when a target is missed.

    .venv/bin/python benchmarks/queue.py [--cases 20000] [--requests 40]

Targets (issue 3): p95 <= 250 ms for both pages with 20,000 cases on a 2-core machine.
"""

import argparse
import json
import random
import statistics
import sys
import time

from _django import scratch_database  # also moves this folder behind the standard library

TARGET_P95_MS = 250
BASELINE_CASES = 200


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
    }


def _expect_ok(response, what: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{what} answered {response.status_code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    with scratch_database("queue"):
        from benchmark_seed import seed_cases, seed_people
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        officer = seed_people()
        client = Client()
        client.force_login(officer)
        queue_url = reverse("licensing:case_triage_queue")

        def measure(url: str, params: dict | None = None) -> tuple[list[float], int]:
            samples, queries = [], 0
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, params or {})
                    samples.append(time.perf_counter() - started)
                _expect_ok(response, url)
                queries = len(captured)
            return samples, queries

        def case_pages(ids: list[int]) -> tuple[list[float], int]:
            samples, queries = [], 0
            for pk in random.sample(ids, min(args.requests, len(ids))):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(reverse("licensing:case_detail", kwargs={"pk": pk}))
                    samples.append(time.perf_counter() - started)
                _expect_ok(response, f"case {pk}")
                queries = max(queries, len(captured))
            return samples, queries

        results = {}
        for label, total in [("baseline", BASELINE_CASES), ("full", args.cases)]:
            ids = seed_cases(total=total)
            client.get(queue_url)  # warm caches, templates and connections
            queue_25, queue_25_queries = measure(queue_url)
            _, queue_10_queries = measure(queue_url, {"page_size": 10})
            _, queue_100_queries = measure(queue_url, {"page_size": 100})
            case_samples, case_queries = case_pages(ids)
            results[label] = {
                "cases": total,
                "triage_queue": {**_stats(queue_25), "queries": queue_25_queries},
                "queries_at_10_rows": queue_10_queries,
                "queries_at_100_rows": queue_100_queries,
                "case_page": {**_stats(case_samples), "max_queries": case_queries},
            }

    full = results["full"]
    checks = {
        "queue_p95_within_target": full["triage_queue"]["p95_ms"] <= TARGET_P95_MS,
        "case_p95_within_target": full["case_page"]["p95_ms"] <= TARGET_P95_MS,
        "queue_queries_flat_in_rows": full["queries_at_10_rows"] == full["queries_at_100_rows"],
    }
    report = {
        "benchmark": "queue",
        "target_p95_ms": TARGET_P95_MS,
        **results,
        "slowdown_full_vs_baseline_p95": {
            page: round(full[page]["p95_ms"] / max(results["baseline"][page]["p95_ms"], 0.1), 2)
            for page in ("triage_queue", "case_page")
        },
        "checks": checks,
    }
    print(json.dumps(report, indent=2))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
