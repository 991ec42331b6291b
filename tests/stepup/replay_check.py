# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Shadow policy and replay through the `stepup` command, for ctest.

  replay_check.py --stepup BIN --example DIR --work DIR

Runs the example's case table with a candidate policy as the shadow and a
decision log, then replays the log: against the live policy nothing may
change, and against the candidate exactly what the shadow counted must.
Every log line must be strict JSON without a token or its signature. A log
with a broken line is refused naming the line.

Exits 0 when every check holds, 1 with a report otherwise.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
from cli_check import check, failures, run  # noqa: E402


def strict_json(line):
    def refuse(constant):
        raise ValueError("not JSON: " + constant)
    return json.loads(line, parse_constant=refuse)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stepup", required=True)
    parser.add_argument("--example", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    policy_path = os.path.join(args.example, "policy.json")
    cases_path = os.path.join(args.example, "cases.json")

    # The candidate: transfers need a hardware key instead of MFA.
    with open(policy_path) as f:
        candidate = json.load(f)
    strong = candidate["policy"]["children"][0]["rules"][0]
    strong["condition"] = "!acr_at_least('urn:example:hwk')"
    strong["statements"][0]["payload"]["min_acr"] = "urn:example:hwk"
    candidate["validators"][0]["jwks_file"] = os.path.join(
        os.path.abspath(args.example), "keys.jwks.json")
    candidate_path = os.path.join(args.work, "candidate.json")
    with open(candidate_path, "w") as f:
        json.dump(candidate, f)
    log_path = os.path.join(args.work, "decisions.jsonl")
    if os.path.exists(log_path):
        os.remove(log_path)

    code, out, err = run([args.stepup, "test", "--policy", policy_path, "--shadow-policy",
                          candidate_path, "--decision-log", log_path, "--log-claims", "scope",
                          cases_path])
    check(code == 0, f"stepup test exited {code}: {err}")
    shadow = re.search(r"^shadow: (\d+) answered otherwise(?: \((.*)\))?$", out, re.M)
    check(shadow is not None, "no shadow line in: " + out)
    if failures:
        return report()
    shadow_total = int(shadow.group(1))
    shadow_pairs = {}
    for pair in (shadow.group(2) or "").split(", "):
        if pair:
            results, count = pair.rsplit(": ", 1)
            shadow_pairs[results] = int(count)
    check(shadow_total > 0, "the candidate changes nothing: the test would prove nothing")

    with open(cases_path) as f:
        tokens = [case["request"]["authorization"].split(" ", 1)[1]
                  for case in json.load(f)["cases"]
                  if case["request"].get("authorization", "").startswith("Bearer ")]
    with open(log_path) as f:
        lines = f.read().splitlines()
    check(len(lines) == 15, f"{len(lines)} log lines, not one per case (15)")
    for number, line in enumerate(lines, 1):
        try:
            strict_json(line)
        except ValueError as error:
            check(False, f"line {number} is not strict JSON: {error}")
        for token in tokens:
            signature = token.rsplit(".", 1)[-1]
            check(token not in line and (len(signature) < 16 or signature not in line),
                  f"line {number} holds a token or its signature")

    code, out, err = run([args.stepup, "replay", "--policy", policy_path, log_path])
    check(code == 0, f"self replay exited {code}: {err}")
    check(re.search(r"^0 would change$", out, re.M) is not None,
          "replaying the live policy on its own log changed decisions:\n" + out)

    code, out, err = run([args.stepup, "replay", "--policy", candidate_path, log_path])
    check(code == 0, f"candidate replay exited {code}: {err}")
    changed = re.search(r"^(\d+) would change$", out, re.M)
    check(changed is not None and int(changed.group(1)) == shadow_total,
          f"replay and shadow disagree: shadow {shadow_total}, replay:\n{out}")
    by_result = out.split("by result:\n", 1)[-1] if "by result:\n" in out else ""
    replay_pairs = {}
    for line in by_result.splitlines():
        match = re.match(r"^  (\S+ -> \S+): (\d+)$", line)
        if match:
            replay_pairs[match.group(1)] = int(match.group(2))
    check(replay_pairs == shadow_pairs,
          f"by result: replay {replay_pairs}, shadow {shadow_pairs}")

    broken_path = os.path.join(args.work, "broken.jsonl")
    with open(broken_path, "w") as f:
        f.write(lines[0] + "\n{not json\n")
    code, out, err = run([args.stepup, "replay", "--policy", policy_path, broken_path])
    check(code == 2, f"a broken log exited {code}")
    check(re.search(r"broken\.jsonl:2: not a JSON object", err) is not None,
          "the error does not name the line: " + err)
    return report()


def report():
    if not failures:
        return 0
    for failure in failures:
        print("FAILED: " + failure)
    return 1


if __name__ == "__main__":
    sys.exit(main())
