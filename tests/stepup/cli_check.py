# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Runs the `stepup` command and checks what it did, for ctest.

  cli_check.py run --exit N [--stdout RE]... [--stderr RE]... [--stdout-not RE]...
               [--stderr-empty] -- COMMAND ARGS...
      Runs COMMAND; checks its exit code and that each regular expression
      (Python syntax, searched with re.S) matches stdout or stderr.

  cli_check.py decide --stepup BIN --dir DIR --expectations FILE --case NAME [--explain]
      Runs `BIN decide --policy DIR/policy.json --request DIR/requests/NAME.json
      --now NOW [--explain]` and compares its JSON output with the case's
      expectations: decision, status, www_authenticate exactly, and error and
      determining_rule when given.

Exits 0 when every check holds, 1 with a report otherwise.
"""

import argparse
import json
import re
import subprocess
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def report(command, code, out, err):
    if not failures:
        return 0
    print("command: " + " ".join(command))
    print(f"exit code: {code}")
    print("stdout:\n" + out)
    print("stderr:\n" + err)
    for failure in failures:
        print("FAILED: " + failure)
    return 1


def run_mode(args):
    command = args.command[1:] if args.command and args.command[0] == "--" else args.command
    if not command:
        sys.exit("cli_check.py run: no command")
    code, out, err = run(command)
    check(code == args.exit, f"exit code {code}, expected {args.exit}")
    for pattern in args.stdout or []:
        check(re.search(pattern, out, re.S), f"stdout does not match {pattern!r}")
    for pattern in args.stdout_not or []:
        check(not re.search(pattern, out, re.S), f"stdout matches {pattern!r}")
    for pattern in args.stderr or []:
        check(re.search(pattern, err, re.S), f"stderr does not match {pattern!r}")
    if args.stderr_empty:
        check(err == "", "stderr is not empty")
    return report(command, code, out, err)


def decide_mode(args):
    with open(args.expectations, encoding="utf-8") as f:
        expectations = json.load(f)
    expected = expectations["cases"][args.case]
    request_path = f"{args.dir}/requests/{args.case}.json"
    command = [args.stepup, "decide", "--policy", f"{args.dir}/policy.json",
               "--request", request_path, "--now", str(expectations["now"])]
    if args.explain:
        command.append("--explain")
    code, out, err = run(command)
    check(code == 0, f"exit code {code}, expected 0")
    check(err == "", "stderr is not empty")
    check(out.endswith("\n") and out.count("\n") == 1, "stdout is not one line of JSON")
    try:
        decision = json.loads(out)
    except ValueError as error:
        failures.append(f"stdout is not JSON: {error}")
        return report(command, code, out, err)

    check(isinstance(decision, dict), "the output is not a JSON object")
    for key in ("decision", "status"):
        check(decision.get(key) == expected[key],
              f"{key}: expected {expected[key]!r}, got {decision.get(key)!r}")
    header = decision.get("www_authenticate", "")
    check(header == expected["www_authenticate"],
          f"www_authenticate: expected {expected['www_authenticate']!r}, got {header!r}")
    check(decision.get("error", "") == expected.get("error", ""),
          f"error: expected {expected.get('error', '')!r}, got {decision.get('error')!r}")
    if "determining_rule" in expected:
        check(decision.get("determining_rule") == expected["determining_rule"],
              f"determining_rule: expected {expected['determining_rule']!r}, "
              f"got {decision.get('determining_rule')!r}")
    check(decision.get("authorized") is (expected["decision"] == "permit"),
          f"authorized: got {decision.get('authorized')!r}")
    check(isinstance(decision.get("reason"), str) and decision["reason"] != "",
          "reason: missing or empty")
    check(isinstance(decision.get("statements"), list), "statements: not a list")

    # The credential itself never appears in the output.
    with open(request_path, encoding="utf-8") as f:
        request = json.load(f)
    authorization = request.get("authorization", "")
    if authorization.startswith("Bearer "):
        check(authorization[7:] not in out, "the token appears in the output")

    if args.explain:
        attributes = decision.get("attributes")
        trace = decision.get("trace")
        check(isinstance(attributes, dict) and attributes, "attributes: missing or empty")
        check(isinstance(trace, list) and trace, "trace: missing or empty")
        for name, value in expected.get("explain_attributes", {}).items():
            got = attributes.get(name) if isinstance(attributes, dict) else None
            check(got == value, f"attributes[{name!r}]: expected {value!r}, got {got!r}")
        if isinstance(trace, list):
            for entry in trace:
                check(isinstance(entry, dict) and "path" in entry and "outcome" in entry,
                      f"trace entry without path or outcome: {entry!r}")
    else:
        check("attributes" not in decision, "attributes present without --explain")
        check("trace" not in decision, "trace present without --explain")
    return report(command, code, out, err)


def main():
    parser = argparse.ArgumentParser()
    modes = parser.add_subparsers(dest="mode", required=True)
    run_parser = modes.add_parser("run")
    run_parser.add_argument("--exit", type=int, required=True)
    run_parser.add_argument("--stdout", action="append")
    run_parser.add_argument("--stdout-not", action="append")
    run_parser.add_argument("--stderr", action="append")
    run_parser.add_argument("--stderr-empty", action="store_true")
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    decide_parser = modes.add_parser("decide")
    decide_parser.add_argument("--stepup", required=True)
    decide_parser.add_argument("--dir", required=True)
    decide_parser.add_argument("--expectations", required=True)
    decide_parser.add_argument("--case", required=True)
    decide_parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    return run_mode(args) if args.mode == "run" else decide_mode(args)


if __name__ == "__main__":
    sys.exit(main())
