#!/usr/bin/env python3
"""Reads stepup_bench's JSON output and checks the performance targets.

Usage: bench/ratios.py results.json
Prints a Markdown table of every benchmark (median of repetitions when there
are any) and then each target of bench/README.md with its ratio and whether
it holds. Exits 1 if a target does not hold.
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            rows[b["name"]] = {"error": b.get("error_message", "error")}
            continue
        kind = b.get("aggregate_name")
        if kind not in (None, "median"):
            continue
        name = b["run_name"] if kind else b["name"]
        if kind is None and name in rows:
            continue  # A repetition; the median row wins.
        rows[name] = b
    return data.get("context", {}), rows


def ns(row):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[row.get("time_unit", "ns")]
    return row["real_time"] * scale


def main():
    context, rows = load(sys.argv[1])
    print(f"Machine: {context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz, "
          f"{context.get('host_name', '')}, {context.get('date', '')}")
    print()
    print("| benchmark | time per call | allocs per call |")
    print("|---|---|---|")
    for name, row in sorted(rows.items()):
        if "error" in row:
            print(f"| {name} | ({row['error']}) | |")
            continue
        allocs = row.get("allocs_per_call", "")
        allocs = f"{allocs:.1f}" if isinstance(allocs, float) else allocs
        print(f"| {name} | {ns(row):,.0f} ns | {allocs} |")

    def time_of(name):
        row = rows.get(name)
        return None if row is None or "error" in row else ns(row)

    checks = []
    for alg, limit in [("RS256", 1.10), ("PS256", 1.10), ("ES256", 1.10), ("EdDSA", 1.10),
                       ("HS256", 2.0)]:
        decide, floor = time_of(f"BM_DecideUncached/{alg}"), time_of(f"BM_Floor/{alg}")
        if decide and floor:
            checks.append((f"BM_DecideUncached/{alg} / BM_Floor/{alg}", decide / floor,
                           f"<= {limit:.2f}", decide / floor <= limit))
    dpop_runs = "/iterations:999"
    for alg in ["RS256", "PS256", "ES256", "EdDSA"]:
        decide, floor = time_of(f"BM_DecideDpopUncached/{alg}{dpop_runs}"), time_of(f"BM_Floor/{alg}")
        if decide and floor:
            checks.append((f"BM_DecideDpopUncached/{alg} / (2 x BM_Floor/{alg})", decide / (2 * floor),
                           "<= 1.10", decide / (2 * floor) <= 1.10))
    for alg in ["RS256", "ES256"]:
        # Measured in pairs within each iteration; the difference of two
        # separate runs (below) when the paired benchmark did not run.
        paired = rows.get(f"BM_DpopCachedBeyondProof/{alg}{dpop_runs}/manual_time")
        if paired and "beyond_proof_ns" in paired:
            beyond = paired["beyond_proof_ns"]
            checks.append((f"BM_DpopCachedBeyondProof/{alg} beyond_proof_ns", beyond, "<= 1000",
                           beyond <= 1000))
            continue
        dpop_cached, proof = time_of(f"BM_DecideDpopCached/{alg}{dpop_runs}"), time_of(f"BM_DpopProof/{alg}")
        if dpop_cached and proof:
            checks.append((f"BM_DecideDpopCached/{alg} - BM_DpopProof/{alg} (ns)", dpop_cached - proof,
                           "<= 1000", dpop_cached - proof <= 1000))
    cached, floor = time_of("BM_DecideCached"), time_of("BM_Floor/RS256")
    if cached and floor:
        checks.append(("BM_DecideCached / BM_Floor/RS256", cached / floor, f"<= {1 / 60:.4f}",
                       cached / floor <= 1 / 60))
        allocs = rows["BM_DecideCached"].get("allocs_per_call", 0)
        checks.append(("BM_DecideCached allocs per call", allocs, "== 0", allocs == 0))
    metrics_off, metrics_on = time_of("BM_DecideCachedMetrics/off"), time_of("BM_DecideCachedMetrics/on")
    if metrics_off and metrics_on:
        checks.append(("BM_DecideCachedMetrics/on / off", metrics_on / metrics_off, "<= 1.05",
                       metrics_on / metrics_off <= 1.05))
        allocs = rows["BM_DecideCachedMetrics/on"].get("allocs_per_call", 0)
        checks.append(("BM_DecideCachedMetrics/on allocs per call", allocs, "== 0", allocs == 0))
    metrics_log = time_of("BM_DecideCachedMetrics/log")
    if metrics_off and metrics_log:
        checks.append(("BM_DecideCachedMetrics/log / off", metrics_log / metrics_off, "<= 1.10",
                       metrics_log / metrics_off <= 1.10))
        allocs = rows["BM_DecideCachedMetrics/log"].get("allocs_per_call", 0)
        checks.append(("BM_DecideCachedMetrics/log allocs per call", allocs, "== 0", allocs == 0))
    refresh = "BM_DecideCachedKeyRefresh/{}/min_time:3.000"
    idle = time_of(refresh.format("idle"))
    for busy in ["revalidating", "rotating"]:
        busy_time = time_of(refresh.format(busy))
        if idle and busy_time:
            fetched = rows[refresh.format(busy)].get("fetches", 0)
            checks.append((f"BM_DecideCachedKeyRefresh/{busy} / idle ({fetched:.0f} fetches)",
                           busy_time / idle, "<= 1.10", busy_time / idle <= 1.10 and fetched >= 2))
    big, small = time_of("BM_Policy/10000"), time_of("BM_Policy/10")
    if big and small:
        checks.append(("BM_Policy/10000 / BM_Policy/10", big / small, "<= 3", big / small <= 3))
    one = rows.get("BM_DecideCached/real_time/threads:1")
    two = rows.get("BM_DecideCached/real_time/threads:2")
    if one and two and "error" not in one and "error" not in two:
        speedup = two["items_per_second"] / one["items_per_second"]
        checks.append(("BM_DecideCached throughput, 2 threads / 1", speedup, ">= 1.8",
                       speedup >= 1.8))
    m1 = rows.get("BM_MachineScaling/real_time/threads:1")
    m2 = rows.get("BM_MachineScaling/real_time/threads:2")
    if m1 and m2 and "error" not in m1 and "error" not in m2:
        checks.append(("(context) BM_MachineScaling throughput, 2 threads / 1",
                       m2["items_per_second"] / m1["items_per_second"], "the machine's ceiling",
                       True))
    for alg in ["RS256", "PS256", "ES256", "EdDSA", "HS256"]:
        ours = time_of(f"BM_DecideUncached/{alg}")
        for peer in ["libjwt", "cppjwt"]:
            theirs = time_of(f"BM_Peer_{peer}/{alg}")
            if ours and theirs:
                checks.append((f"BM_Peer_{peer}/{alg} / BM_DecideUncached/{alg}", theirs / ours,
                               "> 1", theirs > ours))
            elif ours:
                checks.append((f"BM_Peer_{peer}/{alg}", float("nan"), "(peer cannot)", True))
    print()
    print("| target | measured | goal | holds |")
    print("|---|---|---|---|")
    for name, value, goal, holds in checks:
        shown = "n/a" if value != value else (f"{value:.4f}" if value < 1 else f"{value:.2f}")
        print(f"| {name} | {shown} | {goal} | {'yes' if holds else 'NO'} |")
    return 0 if all(holds for *_, holds in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
