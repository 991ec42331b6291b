# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""`stepup check` and `stepup decide` against a key set fetched from the
local HTTPS test identity provider (tests/support/test_idp.py), for ctest.

  provider_check.py --stepup BIN --idp test_idp.py

Checks: check fetches once and lists the fetched set with its next fetch;
check --offline fetches nothing; decide accepts a token of the provider's
key, and for a kid the provider does not publish fetches once more and
answers 401 (not 503). Exits 0 when every check holds, 1 with a report.
"""

import argparse
import json
import re
import ssl
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stepup", required=True)
    parser.add_argument("--idp", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stepup-cli-idp-") as work:
        idp = subprocess.Popen(["/usr/bin/python3", args.idp, "--dir", work],
                               stdout=subprocess.PIPE, text=True)
        try:
            return run_checks(args.stepup, work, json.loads(idp.stdout.readline()))
        finally:
            idp.kill()
            idp.wait(timeout=10)


def run_checks(stepup, work, started):
    base, ca_file = started["base"], started["ca_file"]
    context = ssl.create_default_context(cafile=ca_file)

    def get(path):
        with urllib.request.urlopen(base + path, context=context, timeout=10) as response:
            return response.read().decode()

    def fetches():
        return int(get("/control/fetches"))

    policy = {
        "stepup": 1,
        "validators": [{"name": "idp", "type": "jwt", "issuer": base, "audience": ["api"],
                        "algorithms": ["ES256"], "jwks_uri": base + "/jwks",
                        "ca_file": ca_file, "refresh": {"min_seconds": 60}}],
        "policy": {"name": "root", "rules": [{"name": "signed-in", "effect": "permit",
                                               "condition": "has(HttpRequest.AccessToken.sub)"}]},
    }
    policy_path = work + "/policy.json"
    with open(policy_path, "w", encoding="utf-8") as f:
        json.dump(policy, f)
    outputs = []

    def run(*command):
        result = subprocess.run([stepup, *command], capture_output=True, text=True, timeout=60)
        outputs.append((command, result.returncode, result.stdout, result.stderr))
        return result

    before = fetches()
    checked = run("check", "--policy", policy_path)
    check(checked.returncode == 0, "check: exit code %d" % checked.returncode)
    check(re.search(r'validator "idp" \(issuer %s\): 1 key from jwks_uri %s/jwks\n'
                    % (re.escape(base), re.escape(base)), checked.stdout),
          "check: no validator line with its source")
    check(re.search(r'  fetched from %s/jwks \(age [01] s\), next fetch in 1[12][0-9] s\n' % re.escape(base),
                    checked.stdout), "check: no fetched line (max-age 120)")
    check(re.search(r'  key "key-1": EC P-256, ES256\n', checked.stdout), "check: no key line")
    check(fetches() - before == 1, "check: fetched %d times, not once" % (fetches() - before))

    before = fetches()
    offline = run("check", "--policy", policy_path, "--offline")
    check(offline.returncode == 0, "check --offline: exit code %d" % offline.returncode)
    check(re.search(r'validator "idp" \(issuer %s\): not fetched \(--offline\) from jwks_uri '
                    % re.escape(base), offline.stdout), "check --offline: no 'not fetched' line")
    check(fetches() == before, "check --offline fetched")

    claims = json.dumps({"iss": base, "aud": "api", "sub": "alice", "exp": 4000000000})

    def decide(kid):
        token = get("/control/mint?" + urllib.parse.urlencode({"kid": kid, "claims": claims}))
        request_path = work + "/request.json"
        with open(request_path, "w", encoding="utf-8") as f:
            json.dump({"method": "GET", "path": "/x", "authorization": "Bearer " + token}, f)
        result = run("decide", "--policy", policy_path, "--request", request_path)
        check(result.returncode == 0, "decide: exit code %d" % result.returncode)
        check(token not in result.stdout + result.stderr, "decide: the token was echoed")
        try:
            return json.loads(result.stdout)
        except ValueError:
            failures.append("decide: stdout is not JSON")
            return {}

    before = fetches()
    check(decide("key-1").get("status") == 200, "decide: the provider's token is not accepted")
    check(fetches() - before == 1, "decide: a known kid fetched more than at load")
    before = fetches()
    forged = decide("not-published")
    check(forged.get("status") == 401 and forged.get("token_error") == "KeyNotFound",
          "decide: an unpublished kid got %r" % forged)
    check(fetches() - before == 2, "decide: an unpublished kid fetched %d times, not load + 1"
          % (fetches() - before))

    if failures:
        for command, code, out, err in outputs:
            print("stepup %s -> %d\nstdout:\n%s\nstderr:\n%s" % (" ".join(command), code, out, err))
        for failure in failures:
            print("FAILED: " + failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
