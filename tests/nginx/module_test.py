#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""ngx_http_stepup_module in Debian's nginx, started by the test on free
127.0.0.1 ports (examples/nginx/stack.py with --module), in front of the
example upstream and the local test authorization server:

    module_test.py --module ngx_http_stepup_module.so http
    module_test.py --module SO hostile
    module_test.py --module SO keys        (a rotating test identity provider)
    module_test.py --module SO --client BIN client

Prints one line per check and `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "examples", "nginx"))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "integration"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import integration_test as it  # noqa: E402  (its checks, challenges and client runner)
import stack as stacks  # noqa: E402

TEST_IDP = os.path.join(SOURCE_ROOT, "tests", "support", "test_idp.py")
# What nginx must never write to its error log while the module runs.
CRASH_SIGNS = re.compile(r"\[alert\]|\[crit\]|exited on signal|core dumped")


def module_stack(args, **options):
    return stacks.Stack(module=args.module, **options)


def stepup_log(stack):
    """The access log's lines (log_format stepup, escape=json), parsed."""
    path = os.path.join(stack.folder, "nginx", "logs", "stepup.log")
    # nginx writes the line after the response; give it a moment.
    time.sleep(0.05)
    with open(path) as log:
        return [json.loads(line) for line in log if line.strip()]


def nginx_test(stack):
    """`nginx -t` on the stack's configuration: (exit code, output)."""
    prefix = os.path.join(stack.folder, "nginx")
    done = subprocess.run([stacks.NGINX, "-t", "-p", prefix + "/", "-c", stack.nginx_conf_path(),
                           "-e", os.path.join(prefix, "logs", "test.log")],
                          capture_output=True, text=True, timeout=30)
    return done.returncode, done.stdout + done.stderr


def no_crash(checks, stack, workers_before=None):
    log = stack.nginx_error_log()
    checks.check("the error log shows no crash or alert", not CRASH_SIGNS.search(log), log[-2000:])
    if workers_before is not None:
        checks.check("the same worker served throughout (none died and was respawned)",
                     stack.nginx_workers() == workers_before,
                     f"{workers_before} -> {stack.nginx_workers()}")


# --- http: what the auth_request integration test checks, through the module -------------

def suite_http(args, checks):
    with it.running(checks, None, module=args.module) as stack:
        url = stack.nginx_url + it.TRANSFER
        post = lambda headers=None: stacks.request("POST", url, headers=headers, body='{"amount": 1}')  # noqa: E731
        checks.response("no token: 401 with a bare Bearer challenge", post(), 401, it.REALM)
        checks.response("weak token on a transfer: 401 with the RFC 9470 acr_values challenge",
                        post(it.bearer(stack.token(grant="weak"))), 401, it.ACR_CHALLENGE)
        checks.response("stale MFA token: 401 with the max_age challenge",
                        post(it.bearer(stack.token(grant="stale"))), 401, it.age_challenge(300))
        checks.response("stepped-up token: 200 from the upstream, with the subject as X-User",
                        post(it.bearer(stack.token(grant="strong", acr_values="urn:example:mfa", sub="bob"))),
                        200, None, f"upstream ok: POST {it.TRANSFER}\nuser: bob\n")
        checks.response("hardware-key token: 200 from the upstream",
                        post(it.bearer(stack.token(grant="strong", acr_values="urn:example:hwk"))), 200,
                        None, f"upstream ok: POST {it.TRANSFER}")
        checks.response("forged token: 401 invalid_token",
                        post(it.bearer(it.forged_token(stack))), 401,
                        it.REALM + ', error="invalid_token", error_description="the token signature is invalid"')
        checks.response("scope-less strong token: 403 (no challenge in the example policy)",
                        post(it.bearer(stack.token(grant="strong", scope=""))), 403)
        checks.response("Basic credentials: 400 invalid_request",
                        post({"Authorization": "Basic dXNlcjpwYXNz"}), 400,
                        it.REALM + ', error="invalid_request", error_description="the Authorization '
                        'scheme is not Bearer"')
        checks.response("weak token on a read (query kept): 200",
                        stacks.request("GET", stack.nginx_url + "/accounts/42?view=full",
                                       headers=it.bearer(stack.token(grant="weak"))),
                        200, None, "upstream ok: GET /accounts/42?view=full")
        checks.response("read without a token: 401",
                        stacks.request("GET", stack.nginx_url + "/accounts/42"), 401, it.REALM)
        checks.response("a location without stepup: 404 as configured",
                        stacks.request("GET", stack.nginx_url + "/other"), 404)

        # The variables, through the JSON access log.
        lines = stepup_log(stack)
        by_uri = {}
        for line in lines:
            by_uri.setdefault((line["method"], line["uri"]), []).append(line)
        transfers = by_uri.get(("POST", it.TRANSFER), [])
        checks.check("every access log line is JSON with the stepup variables",
                     len(lines) >= 10 and all("stepup_decision" in line for line in lines), str(lines[:2]))
        weak, stale, strong = (transfers + [{}] * 3)[1:4]
        checks.check("$stepup_status, $stepup_error, $stepup_acr_values, $stepup_rule of a step-up",
                     weak.get("stepup_status") == "401" and weak.get("status") == "401"
                     and weak.get("stepup_error") == "insufficient_user_authentication"
                     and weak.get("stepup_acr_values") == "urn:example:mfa urn:example:hwk"
                     and weak.get("stepup_max_age") == ""
                     and "transfers need fresh strong authentication" in weak.get("stepup_rule", ""),
                     json.dumps(weak))
        checks.check("$stepup_max_age of the max_age challenge",
                     stale.get("stepup_max_age") == "300" and stale.get("stepup_acr_values") == "",
                     json.dumps(stale))
        checks.check("$stepup_decision permit and $stepup_claim_sub of a permitted token",
                     strong.get("stepup_decision") == "permit" and strong.get("stepup_status") == "200"
                     and strong.get("sub") == "bob" and strong.get("stepup_error") == "",
                     json.dumps(strong))
        unrouted = by_uri.get(("GET", "/other"), [{}])[0]
        checks.check("a location without stepup leaves the variables empty",
                     unrouted.get("stepup_decision") == "" and unrouted.get("stepup_status") == "",
                     json.dumps(unrouted))
        checks.check("no token, signature or secret in the access log",
                     "eyJ" not in open(os.path.join(stack.folder, "nginx", "logs", "stepup.log")).read())

        # A reload (nginx -s reload) with a changed policy.
        workers = stack.nginx_workers()
        stack.write_policy(it.scope_policy(stack))
        checks.check("nginx -s reload with a changed policy starts new workers", stack.reload_nginx())
        checks.response("after the reload: 403 with the insufficient_scope challenge",
                        post(it.bearer(stack.token(grant="strong", scope="accounts:read"))), 403,
                        it.SCOPE_CHALLENGE)
        checks.response("after the reload the step-up challenge is unchanged",
                        post(it.bearer(stack.token(grant="weak"))), 401, it.ACR_CHALLENGE)

        # A broken policy: nginx -t fails with the loader's message, a reload keeps the last good.
        with open(stack.policy_path, "w") as out:
            out.write('{"stepup": 1, "policy": {"name": "root", "rules": [{"name": "r", "effect": "maybe"}]}}\n')
        code, output = nginx_test(stack)
        checks.check("nginx -t on a broken policy fails, naming the file, the JSON path and why",
                     code == 1 and "stepup_policy" in output and stack.policy_path in output
                     and "policy.rules[0].effect" in output and "test failed" in output, output)
        workers = stack.nginx_workers()
        checks.check("nginx -s reload with a broken policy keeps the running workers",
                     not stack.reload_nginx(seconds=2) and stack.nginx_workers() == workers)
        checks.check("... and says why in the error log",
                     re.search(r"\[emerg\].*stepup_policy .*policy\.rules\[0\]\.effect", stack.nginx_error_log())
                     is not None, stack.nginx_error_log()[-1500:])
        checks.response("... and decisions go on from the last good policy",
                        post(it.bearer(stack.token(grant="strong", scope="accounts:read"))), 403,
                        it.SCOPE_CHALLENGE)
        with open(stack.policy_path, "w") as out:
            out.write("{")
        code, output = nginx_test(stack)
        checks.check("nginx -t on a policy that is not JSON fails", code == 1 and "stepup_policy" in output,
                     output)

        # `stepup on` where no policy applies, or beside `satisfy any`.
        stack.write_policy(it.scope_policy(stack))
        conf_path = stack.nginx_conf_path()
        with open(conf_path) as conf:
            good_conf = conf.read()
        with open(conf_path, "w") as conf:
            conf.write(good_conf.replace("    stepup_policy ", "    # stepup_policy "))
        code, output = nginx_test(stack)
        checks.check("nginx -t: `stepup on` without a stepup_policy fails with where it was written",
                     code == 1 and re.search(r'"stepup on" in .*nginx\.conf:\d+ applies where no '
                                             r'stepup_policy is set', output) is not None, output)
        with open(conf_path, "w") as conf:
            conf.write(good_conf.replace("location /accounts/ {", "location /accounts/ {\n satisfy any;"))
        code, output = nginx_test(stack)
        checks.check("nginx -t: `stepup on` with `satisfy any` fails",
                     code == 1 and 'needs "satisfy all"' in output, output)

        # An error page for a refused request is served (not refused again), the
        # challenge kept; a variable read before the decision does not stick.
        html = os.path.join(stack.folder, "html", "errors")
        os.makedirs(html)
        with open(os.path.join(html, "401.html"), "w") as page:
            page.write("please authenticate\n")
        os.chmod(os.path.join(stack.folder, "html"), 0o755)
        os.chmod(html, 0o755)
        extra = (f"location /errors/ {{ internal; root {stack.folder}/html; }}\n"
                 "        error_page 401 /errors/401.html;\n"
                 "        location /early/ { stepup on; set $early \"[$stepup_decision]\";"
                 " add_header X-Early $early always; add_header X-Late \"[$stepup_decision]\" always;"
                 " proxy_pass http://api; }\n        location / {")
        with open(conf_path, "w") as conf:
            conf.write(good_conf.replace("location / {", extra, 1))
        checks.check("nginx -s reload with an error page", stack.reload_nginx())
        checks.response("401 with a custom error page: the page, with the challenge",
                        post(), 401, it.REALM, "please authenticate")
        got = stacks.request("GET", stack.nginx_url + "/early/x", headers=it.bearer(stack.token(grant="weak")))
        checks.check("a variable read in the rewrite phase is not kept for later reads",
                     got[0] == 200 and stacks.header_values(got[1], "X-Early") == ["[]"]
                     and stacks.header_values(got[1], "X-Late") == ["[permit]"],
                     str(got[:2]))
        with open(conf_path, "w") as conf:
            conf.write(good_conf)
        no_crash(checks, stack)
        codes = stack.stop()
        checks.check("SIGTERM: nginx exits 0", codes.get("nginx") == 0, f"exit codes {codes}")


# --- targets: what nginx routes and forwards is what stepup decided ---------------------------

def routed_path(target):
    """The path nginx routes `target` by: every escape decoded (also %2F),
    empty and dot segments resolved."""
    path = urllib.parse.unquote(target.split("?", 1)[0], errors="replace")
    out = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if out:
                out.pop()
            continue
        out.append(segment)
    return "/" + "/".join(out)


def suite_targets(args, checks):
    """Random raw targets with a weak token: no POST that nginx routes, or an
    origin server resolves, to a transfer reaches the upstream. The policy
    also permits any valid token to POST to /accounts/notes/**, so that a
    target read one way as a note and another way as a transfer would get
    through if stepup decided on one reading only."""
    pieces = ["payments", "transfers", "accounts", "7", "/", "//", ".", "..", "./", "../", "%2e", "%2E",
              "%2e%2e", "%2f", "%2F", "..%2f", "..%2F", "%3f", ";", "%5c", "%252e", "%25", "a=b", "%74ransfers",
              "?", "x"]
    rng = random.Random(20261205)
    with it.running(checks, None, module=args.module) as stack:
        document = stack.policy_document()
        document["policy"]["children"].append(
            {"name": "notes", "target": {"service": ["accounts"], "action": ["inbound-POST"], "path": ["notes/**"]},
             "rules": [{"name": "any valid token", "effect": "permit",
                        "condition": "has(HttpRequest.AccessToken.sub)"}]})
        stack.write_policy(document)
        checks.check("nginx -s reload with the notes policy", stack.reload_nginx())
        weak = "Bearer " + stack.token(grant="weak")
        answered = forwarded = 0
        leaks = []
        for _ in range(args.samples):
            target = rng.choice(["/payments/", "/accounts/", "/accounts/notes/"]) + \
                "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) + \
                rng.choice(["/transfers/7", "/../payments/transfers/7", "..%2Fpayments%2Ftransfers%2F7", ""])
            method = rng.choice(["POST", "GET"])
            status, body = it.raw_request(stack.nginx_port, method, target, weak)
            if status == 0:
                continue
            answered += 1
            if status == 200:
                forwarded += 1
                if method == "POST" and (routed_path(target).startswith("/payments/transfers/")
                                         or it.origin_path(target).startswith("/payments/transfers/")):
                    leaks.append(target)
        status, _ = it.raw_request(stack.nginx_port, "POST", "/accounts/notes/1", weak)
        checks.check("a weak token may POST a note", status == 200, str(status))
        for target in ("/accounts/notes/..%2F..%2Fpayments/transfers/7", "/accounts/notes/%2e%2e%2F..%2Fpayments/transfers/7",
                       "/accounts/..%2Fpayments/transfers/7", "/accounts/42/..%2F..%2Fpayments/transfers/7",
                       "/accounts/%2e%2e/payments/transfers/7", "/payments%2Ftransfers/7"):
            status, _ = it.raw_request(stack.nginx_port, "POST", target, weak)
            if status == 200:
                leaks.append(target)
        print(f"targets sample: {answered} answered, {forwarded} forwarded", flush=True)
        checks.check("the sample was answered and some of it forwarded", answered > args.samples // 2
                     and forwarded > 10, f"{answered} answered, {forwarded} forwarded")
        checks.check("no weak token reached a transfer by any reading of the target", not leaks,
                     "\n".join(leaks[:10]))
        no_crash(checks, stack)


# --- hostile: what clients can send ----------------------------------------------------------

def raw_exchange(port, data, timeout=10.0):
    """Sends `data` as is on a new connection; returns the status (0: none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", answer)
    return int(match.group(1)) if match else 0


def suite_hostile(args, checks):
    rng = random.Random(20261205)
    with it.running(checks, None, module=args.module) as stack:
        port = stack.nginx_port
        workers = stack.nginx_workers()
        strong = stack.token(grant="strong", acr_values="urn:example:mfa")

        def send(authorization_lines, extra=b""):
            head = b"POST " + it.TRANSFER.encode() + b" HTTP/1.1\r\nHost: api.example.com\r\n"
            for line in authorization_lines:
                head += b"Authorization: " + line + b"\r\n"
            return raw_exchange(port, head + extra + b"Content-Length: 0\r\nConnection: close\r\n\r\n")

        checks.check("a 7 KB Authorization: 401", send([b"Bearer " + b"a" * 7000]) == 401)
        status = send([b"Bearer " + b"a" * 200000])
        checks.check("a 200 KB Authorization: nginx refuses it (400 or 494)", status in (400, 494), str(status))
        checks.check("two Authorization headers: 400", send([strong.encode(), strong.encode()]) == 400)
        checks.check("bytes outside ASCII in the token: 400 or 401",
                     send([b"Bearer \xff\xfe\x80" + strong.encode()[:40]]) in (400, 401))
        checks.check("bytes outside ASCII in the scheme: 400",
                     send([b"B\xe9arer " + strong.encode()]) == 400)
        # The example upstream (Python's http.server) takes at most 100 headers.
        many = b"".join(b"X-Noise-%d: %s\r\n" % (i, b"v" * 30) for i in range(90))
        checks.check("90 other headers and a valid token: 200 from the upstream",
                     send([b"Bearer " + strong.encode()], many) == 200)
        lots = b"".join(b"X-Noise-%d: %s\r\n" % (i, b"v" * 8) for i in range(500))
        checks.check("500 other headers and no token: 401 (decided by stepup)", send([], lots) == 401)
        statuses = {}
        alphabet = bytes(range(0x21, 0x7f)) + b" \t\x80\xff"
        for _ in range(400):
            kind = rng.randrange(4)
            if kind == 0:
                value = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
            elif kind == 1:
                value = b"Bearer " + bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
            elif kind == 2:  # a real token with one byte changed
                token = bytearray(strong.encode())
                token[rng.randrange(len(token))] = rng.choice(alphabet)
                value = b"Bearer " + bytes(token)
            else:  # a real token cut short or with junk appended
                value = b"Bearer " + strong.encode()[:rng.randint(0, len(strong))] + \
                    bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
            status = send([value.strip(b" \t") or b"x"])
            statuses[status] = statuses.get(status, 0) + 1
        print(f"hostile sample: statuses {dict(sorted(statuses.items()))}", flush=True)
        checks.check("400 random Authorization values: every one answered 200, 400 or 401, never 5xx",
                     set(statuses) <= {200, 400, 401} and statuses.get(401, 0) > 0, str(statuses))
        checks.response("after all that, a stepped-up token still reaches the upstream",
                        stacks.request("POST", stack.nginx_url + it.TRANSFER, headers=it.bearer(strong)),
                        200, None, "upstream ok")
        no_crash(checks, stack, workers)


# --- keys: rotation at a real identity provider, nginx running ---------------------------------

class IdentityProvider:
    """tests/support/test_idp.py on a free port, its files in `folder`."""

    def __init__(self, folder):
        os.makedirs(folder, exist_ok=True)
        os.chmod(folder, 0o755)  # nginx's worker (nobody) reads ca.pem
        self.process = subprocess.Popen([stacks.PYTHON, TEST_IDP, "--dir", folder], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                        preexec_fn=stacks._die_with_parent)
        announced = json.loads(self.process.stdout.readline())
        self.base = announced["base"]
        self.ca_file = announced["ca_file"]

    def control(self, path):
        import ssl
        import urllib.request
        context = ssl.create_default_context(cafile=self.ca_file)
        with urllib.request.urlopen(self.base + path, context=context, timeout=10) as answer:
            return answer.read().decode()

    def rotate(self):
        return json.loads(self.control("/control/rotate"))

    def mint(self, kid, claims):
        return self.control("/control/mint?" + urllib.parse.urlencode({"kid": kid, "claims": json.dumps(claims)}))

    def fetches(self):
        return int(self.control("/control/fetches"))

    def outage(self, on):
        self.control(f"/control/outage?on={1 if on else 0}")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def suite_keys(args, checks):
    folder = tempfile.mkdtemp(prefix="stepup-module-keys-")
    os.chmod(folder, 0o755)
    idp = IdentityProvider(os.path.join(folder, "idp"))
    try:
        os.makedirs(os.path.join(folder, "stack"))
        stack = module_stack(args, folder=os.path.join(folder, "stack"))

        def remote_policy():
            document = stacks.Stack.policy_document(stack)
            for validator in document["validators"]:
                validator.pop("jwks_file", None)
                validator.update(jwks_uri=idp.base + "/jwks", ca_file=idp.ca_file, fetch_timeout_ms=2000,
                                 refresh={"min_seconds": 60, "unknown_kid_min_interval_seconds": 1})
            return document

        stack.policy_document = remote_policy
        old_kid = idp.rotate()
        now = int(time.time())
        claims = {"iss": "https://as.example.com", "aud": "https://api.example.com", "sub": "carol",
                  "iat": now, "exp": now + 600, "acr": "urn:example:mfa", "auth_time": now,
                  "scope": "payments:write accounts:read"}
        with it.running_stack(checks, stack):
            url = stack.nginx_url + it.TRANSFER
            fetches_at_start = idp.fetches()
            checks.response("a token signed with the provider's key: 200",
                            stacks.request("POST", url, headers=it.bearer(idp.mint(old_kid, claims))), 200,
                            None, "upstream ok")
            workers = stack.nginx_workers()
            new_kid = idp.rotate()
            rotated = it.bearer(idp.mint(new_kid, claims))
            first = stacks.request("POST", url, headers=rotated)
            checks.check("the first request with the new kid: 503 with Retry-After, no challenge",
                         first[0] == 503 and stacks.header_values(first[1], "Retry-After") == ["1"]
                         and not stacks.header_values(first[1], "WWW-Authenticate"), str(first[:2]))
            started = time.monotonic()
            got = first
            while got[0] != 200 and time.monotonic() - started < 10:
                time.sleep(0.02)
                got = stacks.request("POST", url, headers=rotated)
            waited_ms = (time.monotonic() - started) * 1000
            checks.response("... accepted once the worker's thread fetched the new set", got, 200, None,
                            "upstream ok: POST")
            fetches = idp.fetches() - fetches_at_start
            checks.check("one fetch for the rotation", fetches == 1, f"{fetches} fetches")
            print(f"rotation through nginx: first request 503 Retry-After 1, accepted after {waited_ms:.0f} ms, "
                  f"{fetches} fetch", flush=True)
            checks.check("no reload and no new worker for it", stack.nginx_workers() == workers)
            if args.debug:
                print(open(os.path.join(stack.folder, "nginx", "logs", "stepup.log")).read()[-3000:])

            idp.outage(True)
            statuses = set()
            for _ in range(20):
                statuses.add(stacks.request("POST", url, headers=rotated)[0])
                time.sleep(0.05)
            idp.outage(False)
            checks.check("the provider down: the last good set keeps answering 200", statuses == {200},
                         str(statuses))
            code, output = nginx_test(stack)
            checks.check("nginx -t fetches the keys and passes", code == 0, output)
            no_crash(checks, stack, workers)
            codes = stack.stop()
            checks.check("SIGTERM: nginx exits 0 (the refresh thread stops)", codes.get("nginx") == 0,
                         f"exit codes {codes}")
    finally:
        idp.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- metrics: every worker's counts, summed ---------------------------------------------------

def suite_metrics(args, checks):
    from prometheus_client.parser import text_string_to_metric_families  # Debian's

    def scrape(stack):
        status, headers, body = stacks.request("GET", stack.nginx_url + "/metrics")
        families = {family.name: family for family in text_string_to_metric_families(body)} \
            if status == 200 else {}
        return status, headers, body, families

    def total(families, family, name, **labels):
        if family not in families:
            return None
        return sum(sample.value for sample in families[family].samples if sample.name == name
                   and all(sample.labels.get(key) == value for key, value in labels.items()))

    with it.running(checks, None, module=args.module, workers=2) as stack:
        url = stack.nginx_url + it.TRANSFER
        strong = it.bearer(stack.token(grant="strong", acr_values="urn:example:mfa"))
        weak = it.bearer(stack.token(grant="weak"))
        # New connections each, until both workers have decided some (the
        # access log names the worker's pid).
        for round_number in range(20):
            for _ in range(4):
                stacks.request("POST", url, headers=strong)
            stacks.request("POST", url, headers=weak)
            if len({line["pid"] for line in stepup_log(stack) if line["uri"] == it.TRANSFER}) == 2:
                break
        decided = [line for line in stepup_log(stack) if line["uri"] == it.TRANSFER]
        pids = {line["pid"] for line in decided}
        checks.check("both workers decided requests", len(pids) == 2, str(pids))
        expected = (sum(line["status"] == "200" for line in decided),
                    sum(line["status"] == "401" for line in decided), len(decided))
        time.sleep(1.3)  # every worker publishes each second
        status, headers, body, families = scrape(stack)
        checks.check("/metrics answers 200 text/plain; version=0.0.4",
                     status == 200 and stacks.header_values(headers, "Content-Type")
                     == ["text/plain; version=0.0.4; charset=utf-8"], f"{status} {body[:300]}")
        for attempt in range(2):  # whichever worker answers, the sums are the same
            if attempt:
                status, headers, body, families = scrape(stack)
            permits = total(families, "stepup_decisions", "stepup_decisions_total", result="permit", status="200")
            challenges = total(families, "stepup_step_up_challenges", "stepup_step_up_challenges_total",
                               rule="api / transfers need fresh strong authentication / strong")
            all_decisions = total(families, "stepup_decisions", "stepup_decisions_total")
            checks.check(f"scrape {attempt + 1}: the access log's permits, challenges and decisions "
                         f"{expected}, summed over the workers",
                         (permits, challenges, all_decisions) == expected,
                         f"{permits} {challenges} {all_decisions}\n{body[:1500]}")
        generation = total(families, "stepup_generation", "stepup_generation")
        checks.check("stepup_generation 1 (a gauge: the largest, not the sum)", generation == 1, str(generation))
        checks.check("both workers run", len(stack.nginx_workers()) == 2)
        forbidden = stacks.request("POST", stack.nginx_url + "/metrics")
        checks.check("POST /metrics: 405", forbidden[0] == 405, str(forbidden[0]))
        # A reload: new workers, new engines, counted from zero.
        checks.check("nginx -s reload", stack.reload_nginx())
        stacks.request("POST", url, headers=strong)
        time.sleep(1.3)
        _, _, body, families = scrape(stack)
        all_decisions = total(families, "stepup_decisions", "stepup_decisions_total")
        checks.check("after a reload the counts start again (1 decision)", all_decisions == 1,
                     f"{all_decisions}\n{body[:800]}")
        no_crash(checks, stack)
        codes = stack.stop()
        checks.check("SIGTERM: nginx exits 0", codes.get("nginx") == 0, f"exit codes {codes}")


# --- client: the whole step-up loop, through the module ------------------------------------------

def suite_client(args, checks):
    with it.running(checks, None, module=args.module) as stack:
        upstream_body = f"upstream ok: POST {it.TRANSFER}\nuser: alice\n"
        it.client_check(checks, "weak token: the client steps up once and reaches the upstream",
                        it.run_client(args, stack, "--initial-grant", "weak", "--data", '{"amount": 1}'), 0,
                        upstream_body, [r"401 step-up required \(acr_values=urn:example:mfa urn:example:hwk\)",
                                        r"new token \(acr urn:example:mfa\); retrying once"])
        stack.set_grant("weak")
        it.client_check(checks, "loop guard: the AS keeps giving weak tokens -> exit 3, no retry",
                        it.run_client(args, stack), 3, "", [r"step-up stopped, not retrying"])


def suite_dpop(args, checks):
    """integration_test.py's DPoP checks with nginx deciding in-process."""
    with it.running(checks, None, module=args.module) as stack:
        stack.write_policy(it.dpop_policy(stack))
        checks.check("nginx -s reload with the DPoP policy", stack.reload_nginx())
        it.check_dpop(args, checks, stack, client_stdout=f"upstream ok: POST {it.TRANSFER}\nuser: alice\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True)
    parser.add_argument("--client")
    parser.add_argument("--debug", action="store_true", help="print the access log")
    parser.add_argument("--samples", type=int, default=400, help="targets: requests sent")
    parser.add_argument("suite", choices=("http", "hostile", "keys", "client", "targets", "metrics", "dpop"))
    args = parser.parse_args()
    if not os.path.isfile(args.module):
        print(f"module_test: no module at {args.module}", file=sys.stderr)
        return 1
    checks = it.Checks()
    try:
        {"http": suite_http, "hostile": suite_hostile, "keys": suite_keys, "client": suite_client,
         "targets": suite_targets, "metrics": suite_metrics, "dpop": suite_dpop}[args.suite](args, checks)
    except Exception:
        checks.check(f"{args.suite} suite ran to its end", False, traceback.format_exc())
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
