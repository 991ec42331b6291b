#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""stepup-gateway's decision log and shadow policy, end to end:

    decision_log_test.py --gateway build/dev/tools/gateway/stepup-gateway

The gateway logs non-permits only (--decision-log-permits 0) beside a
shadow that wants a hardware key: the three permits it would deny are
logged anyway with both outcomes, every line is strict JSON without a
token, a renamed log is reopened on SIGUSR1, and /metrics (parsed by
Debian's python3-prometheus-client) counts the records and disagreements.

Prints one line per check and `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
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


def strict_json(line):
    def refuse(constant):
        raise ValueError("not JSON: " + constant)
    return json.loads(line, parse_constant=refuse)


def auth(stack, method, token=None):
    headers = {"X-Original-Method": method, "X-Original-URI": it.TRANSFER, "X-Request-Id": "r-7"}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    status, answer, _ = stacks.request("GET", stack.gateway_url + "/auth", headers=headers)
    real = stacks.header_values(answer, "X-Stepup-Status")
    return int(real[0]) if real else status


def read_lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def wait_for_lines(path, count, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = read_lines(path)
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    return read_lines(path)


def metric(stack, family_name, labels):
    _, _, body = stacks.request("GET", stack.gateway_url + "/metrics")
    for family in text_string_to_metric_families(body):
        if family.name != family_name:
            continue
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels == labels:
                return sample.value
    return None


def suite(args, checks, folder):
    log_path = os.path.join(folder, "decisions.jsonl")
    stack = stacks.Stack(args.gateway, folder=folder, gateway_args=[
        "--decision-log", log_path, "--decision-log-permits", "0",
        "--decision-log-headers", "X-Request-Id", "--shadow-policy", os.path.join(folder, "shadow.json")])
    shadow = stack.policy_document()
    strong = shadow["policy"]["children"][0]["rules"][0]
    strong["condition"] = "!acr_at_least('urn:example:hwk')"
    strong["statements"][0]["payload"]["min_acr"] = "urn:example:hwk"
    with open(os.path.join(folder, "shadow.json"), "w") as out:
        json.dump(shadow, out)
    with it.running_stack(checks, stack):
        weak = stack.token(grant="weak")
        strong_token = stack.token(grant="strong", acr_values="urn:example:mfa")
        sequence = [("POST", strong_token, 200)] * 3 + [("POST", weak, 401)] * 2 + [("POST", None, 401)]
        statuses = [auth(stack, method, token) for method, token, _ in sequence]
        checks.check("the shadow changes no answer", statuses == [s for *_, s in sequence], str(statuses))

        lines = wait_for_lines(log_path, 6)
        checks.check("six records: three non-permits, and three permits the shadow would deny",
                     len(lines) == 6, f"{len(lines)} lines")
        records = []
        for number, line in enumerate(lines, 1):
            try:
                records.append(strict_json(line))
            except ValueError as error:
                checks.check(f"line {number} is strict JSON", False, str(error))
        for token in (weak, strong_token):
            checks.check("no token or signature in the log",
                         all(token not in line and token.rsplit(".", 1)[1] not in line for line in lines))
        with_shadow = [r for r in records if "shadow" in r]
        checks.check("the three permits carry the shadow's deny",
                     len(with_shadow) == 3 and all(r["result"] == "permit" and r["shadow"]["result"] == "deny"
                                                   and r["shadow"]["status"] == 401 for r in with_shadow),
                     str(with_shadow))
        checks.check("the allow-listed header is logged",
                     all(r.get("headers") == {"x-request-id": "r-7"} for r in records), str(records[:1]))
        checks.check("sub is hashed", all(r.get("sub", "hmac-sha256:").startswith("hmac-sha256:") for r in records))

        os.rename(log_path, log_path + ".1")
        stack.children["gateway"].signal(signal.SIGUSR1)
        # The writer reopens before its next write: the next record goes to the new file.
        time.sleep(0.1)
        checks.check("a deny after the rename", auth(stack, "POST", weak) == 401)
        checks.check("SIGUSR1: the record after the rename is in a new file",
                     len(wait_for_lines(log_path, 1)) == 1 and len(read_lines(log_path + ".1")) == 6)

        written = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and written != 7:
            written = metric(stack, "stepup_decision_log_records", {"outcome": "written"})
            time.sleep(0.05)
        checks.check("stepup_decision_log_records_total{outcome=written} == 7", written == 7, str(written))
        checks.check("nothing dropped, lost or filtered (each permit disagreed)",
                     [metric(stack, "stepup_decision_log_records", {"outcome": o})
                      for o in ("dropped", "lost", "filtered")] == [0, 0, 0])
        disagreements = metric(stack, "stepup_shadow_disagreements", {"live": "permit", "shadow": "deny"})
        checks.check("stepup_shadow_disagreements_total{live=permit,shadow=deny} == 3", disagreements == 3,
                     str(disagreements))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True)
    args = parser.parse_args()
    checks = it.Checks()
    folder = tempfile.mkdtemp(prefix="stepup-decision-log-")
    os.chmod(folder, 0o755)
    try:
        suite(args, checks, folder)
    except Exception:
        checks.check("the suite ran to its end", False, traceback.format_exc())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
