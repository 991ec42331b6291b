#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""stepup-gateway's /metrics, parsed by Debian's python3-prometheus-client
(an independent parser of the text exposition format), with every counter
checked against a known sequence of decisions through /auth and a reload:

    metrics_test.py --gateway build/dev/tools/gateway/stepup-gateway

Prints one line per check and `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import os
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "examples", "nginx"))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "integration"))
sys.dont_write_bytecode = True

from prometheus_client.parser import text_string_to_metric_families  # noqa: E402  (Debian's)

import integration_test as it  # noqa: E402
import stack as stacks  # noqa: E402


def scrape(stack):
    status, headers, body = stacks.request("GET", stack.gateway_url + "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    families = {family.name: family for family in text_string_to_metric_families(body)}
    return headers, body, families


def samples(family, name=None):
    """{frozenset(labels): value} of a family's samples (of `name` when given)."""
    return {frozenset(sample.labels.items()): sample.value for sample in family.samples
            if name is None or sample.name == name}


def auth(stack, method, token=None, authorization=None, uri=it.TRANSFER):
    headers = {"X-Original-Method": method, "X-Original-URI": uri}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    if authorization is not None:
        headers["Authorization"] = authorization
    status, answer, _ = stacks.request("GET", stack.gateway_url + "/auth", headers=headers)
    real = stacks.header_values(answer, "X-Stepup-Status")
    return int(real[0]) if real else status


def suite(args, checks):
    with it.running(checks, args.gateway) as stack:
        weak = stack.token(grant="weak")
        strong = stack.token(grant="strong", acr_values="urn:example:mfa")
        forged = it.forged_token(stack)
        sequence = [("POST", strong, None, 200)] * 3 + [("POST", weak, None, 401)] * 2 + \
            [("POST", None, None, 401), ("POST", None, "Basic dXNlcjpwYXNz", 400), ("POST", forged, None, 401)]
        statuses = [auth(stack, method, token, authorization) for method, token, authorization, _ in sequence]
        checks.check("the sequence was decided as expected", statuses == [s for *_, s in sequence], str(statuses))
        stack.write_policy(stack.policy_document())
        before = stack.generation()
        stack.reload_gateway()
        it.wait_for_generation(stack, before)

        headers, body, families = scrape(stack)
        checks.check("/metrics is text/plain; version=0.0.4",
                     stacks.header_values(headers, "Content-Type") == ["text/plain; version=0.0.4; charset=utf-8"])
        decisions = samples(families["stepup_decisions"], "stepup_decisions_total")
        expected = {
            frozenset({"result": "permit", "status": "200", "error": ""}.items()): 3,
            frozenset({"result": "deny", "status": "401", "error": "insufficient_user_authentication"}.items()): 2,
        }
        for labels, value in expected.items():
            checks.check(f"stepup_decisions_total{dict(labels)} == {value}", decisions.get(labels) == value,
                         str(decisions))
        checks.check("stepup_decisions_total sums to the 8 decisions", sum(decisions.values()) == 8, str(decisions))
        by_status = {}
        for labels, value in decisions.items():
            status = dict(labels)["status"]
            by_status[status] = by_status.get(status, 0) + value
        checks.check("by status: 3 x 200, 4 x 401, 1 x 400", by_status == {"200": 3, "401": 4, "400": 1},
                     str(by_status))
        refusals = samples(families["stepup_token_refusals"], "stepup_token_refusals_total")
        checks.check("stepup_token_refusals_total: AuthorizationNotBearer 1, SignatureInvalid 1",
                     refusals == {frozenset({"error": "AuthorizationNotBearer"}.items()): 1,
                                  frozenset({"error": "SignatureInvalid"}.items()): 1}, str(refusals))
        challenges = samples(families["stepup_step_up_challenges"], "stepup_step_up_challenges_total")
        checks.check("stepup_step_up_challenges_total by rule: 2 for the acr rule",
                     challenges == {frozenset({"rule": "api / transfers need fresh strong authentication / "
                                               "strong"}.items()): 2}, str(challenges))
        hits = samples(families["stepup_token_cache_hits"], "stepup_token_cache_hits_total")
        misses = samples(families["stepup_token_cache_misses"], "stepup_token_cache_misses_total")
        checks.check("cache: 3 misses (strong, weak, forged), 3 hits",
                     list(misses.values()) == [3] and list(hits.values()) == [3], f"{hits} {misses}")
        reloads = samples(families["stepup_reloads"], "stepup_reloads_total")
        checks.check("stepup_reloads_total: 1 succeeded, 0 failed",
                     reloads == {frozenset({"outcome": "succeeded"}.items()): 1,
                                 frozenset({"outcome": "failed"}.items()): 0}, str(reloads))
        checks.check("stepup_generation is 2", list(samples(families["stepup_generation"]).values()) == [2])
        histogram = families["stepup_decision_duration_seconds"]
        buckets = samples(histogram, "stepup_decision_duration_seconds_bucket")
        count = samples(histogram, "stepup_decision_duration_seconds_count")
        checks.check("the latency histogram: buckets from 1 µs to +Inf, cumulative, +Inf == count",
                     histogram.type == "histogram" and frozenset({"le": "1e-06"}.items()) in buckets
                     and buckets[frozenset({"le": "+Inf"}.items())] == list(count.values())[0] >= 1,
                     f"{buckets} {count}")
        checks.check("no token in the metrics", "eyJ" not in body)
        # The gateway's own checks are not decisions.
        _, _, again = scrape(stack)
        checks.check("scraping decides nothing",
                     sum(samples(again["stepup_decisions"], "stepup_decisions_total").values()) == 8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True)
    args = parser.parse_args()
    checks = it.Checks()
    try:
        suite(args, checks)
    except Exception:
        checks.check("the suite ran to its end", False, traceback.format_exc())
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
