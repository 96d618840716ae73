"""How much the tamper-evident audit chain costs.

Appends events with `audit_record` (advisory lock, previous-hash read, HMAC, insert) and,
as the baseline in the same run, inserts rows of the same kind without chaining; then times
`audit_chain_verify` over the whole chain. Prints one JSON object.

    .venv/bin/python benchmarks/audit_chain.py [--events 5000]
"""

import argparse
import json
import statistics
import time

from _django import scratch_database


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    events = parser.parse_args().events

    with scratch_database("audit"):
        from django.db import connection, transaction
        from django.utils import timezone

        from exportgov.audit.models import AuditEvent
        from exportgov.audit.selectors import audit_chain_verify
        from exportgov.audit.services import GENESIS_HASH, audit_record

        def plain_insert(n: int) -> None:
            AuditEvent.objects.create(
                actor_label="baseline",
                verb=AuditEvent.Verb.TEAM_CREATED,
                payload={"n": n},
                created_at=timezone.now(),
                prev_hash=GENESIS_HASH,
                hash=f"{n:064x}",
            )

        def chained_insert(n: int) -> None:
            audit_record(actor=None, verb=AuditEvent.Verb.TEAM_CREATED, payload={"n": n})

        timings = {}
        for label, insert in [
            ("baseline_plain_insert", plain_insert),
            ("audit_record", chained_insert),
        ]:
            samples = []
            for n in range(events):
                started = time.perf_counter()
                with transaction.atomic():
                    insert(n)
                samples.append(time.perf_counter() - started)
            timings[label] = _percentiles(samples)
            if label == "baseline_plain_insert":
                # Rows cannot be deleted (the trigger refuses); the table owner may truncate.
                with connection.cursor() as cursor:
                    cursor.execute("TRUNCATE audit_auditevent")

        started = time.perf_counter()
        check = audit_chain_verify()
        verify_seconds = time.perf_counter() - started

    overhead = timings["audit_record"]["p50_ms"] / timings["baseline_plain_insert"]["p50_ms"]
    print(
        json.dumps(
            {
                "benchmark": "audit_chain",
                "events": events,
                "append": timings,
                "append_p50_overhead_vs_baseline": round(overhead, 2),
                "verify": {
                    "ok": check.ok,
                    "events_checked": check.checked,
                    "seconds": round(verify_seconds, 3),
                    "events_per_second": round(check.checked / verify_seconds),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
