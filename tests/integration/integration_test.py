#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Integration tests through real servers on loopback: Debian's nginx with
auth_request in front of stepup-gateway and a tiny upstream, a local test
authorization server, the step-up client, and wrk. Each run starts its own
stack (examples/nginx/stack.py) on free 127.0.0.1 ports in a new temporary
folder, and stops it, whatever happens.

    integration_test.py --gateway BIN nginx
    integration_test.py --gateway BIN --client BIN client
    integration_test.py --gateway BIN load --duration 3 --connections 8

Prints one line per check and `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "examples", "nginx"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import jwt  # noqa: E402  (Debian's python3-jwt)
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa  # noqa: E402

import stack as stacks  # noqa: E402

REALM = 'Bearer realm="api.example.com"'
ACR_CHALLENGE = (REALM + ', error="insufficient_user_authentication", error_description="A different '
                 'authentication level is required", acr_values="urn:example:mfa urn:example:hwk"')


def age_challenge(max_age):
    return (REALM + ', error="insufficient_user_authentication", error_description="More recent '
            f'authentication is required", max_age="{max_age}"')


SCOPE_CHALLENGE = (REALM + ', error="insufficient_scope", error_description="payments:write is '
                   'required", scope="payments:write"')
TRANSFER = "/payments/transfers/7"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok    {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL  {name}" + (f"\n      {detail}" if detail else ""), flush=True)
        return condition

    def response(self, name, got, status, challenge=None, body=None):
        """`got` from stack.request(): the status, exactly one WWW-Authenticate
        equal to `challenge` (none when None), a body starting with `body`, and
        none of the gateway's X-Stepup-* headers."""
        got_status, headers, got_body = got
        challenges = stacks.header_values(headers, "WWW-Authenticate")
        leaked = [key for key, _ in headers if key.lower().startswith("x-stepup-")]
        problems = []
        if got_status != status:
            problems.append(f"status {got_status}, expected {status}")
        if challenge is None and challenges:
            problems.append(f"unexpected WWW-Authenticate {challenges}")
        if challenge is not None and challenges != [challenge]:
            problems.append(f"WWW-Authenticate {challenges}, expected [{challenge!r}]")
        if body is not None and not got_body.startswith(body):
            problems.append(f"body {got_body[:120]!r}, expected it to start with {body!r}")
        if leaked:
            problems.append(f"gateway headers reached the client: {leaked}")
        return self.check(name, not problems, "; ".join(problems))


@contextlib.contextmanager
def running(checks, gateway, **options):
    """A started stack; on a failure or an error its logs are printed. Its
    folder is removed in any case."""
    with running_stack(checks, stacks.Stack(gateway, **options)) as stack:
        yield stack


@contextlib.contextmanager
def running_stack(checks, stack):
    """`stack` started, as running() does it."""
    failed_before = checks.failed
    try:
        with stack:
            yield stack
        if checks.failed > failed_before:
            print_logs(stack)
    except BaseException:
        print_logs(stack)
        raise
    finally:
        stack.cleanup()


def print_logs(stack):
    for name, child in stack.children.items():
        print(f"--- {name} log (last lines) ---\n{child.log_tail()}", flush=True)
    print(f"--- nginx error.log ---\n{stack.nginx_error_log()}", flush=True)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def tightened_policy(stack, max_age):
    """The example policy with the `fresh` rule at `max_age` seconds."""
    document = stack.policy_document()
    for rule in document["policy"]["children"][0]["rules"]:
        if rule["name"] == "fresh":
            rule["condition"] = f"authentication_age > {max_age}"
            rule["statements"][0]["payload"]["max_age"] = max_age
    return document


def scope_policy(stack):
    """The example policy where a transfer without payments:write gets an
    RFC 6750 insufficient_scope challenge (a denied-reason statement)."""
    document = stack.policy_document()
    document["policy"]["children"][0]["rules"].append(
        {"name": "needs scope", "effect": "deny",
         "statements": [{"code": "denied-reason",
                         "payload": {"status": 403, "error": "insufficient_scope",
                                     "message": "payments:write is required",
                                     "scope": "payments:write"}}]})
    return document


def wait_for_generation(stack, above, seconds=10.0):
    """Polls /healthz until the gateway's generation exceeds `above`."""
    deadline = time.monotonic() + seconds
    generation = stack.generation()
    for _ in range(int(seconds / 0.05) + 1):
        if generation > above or time.monotonic() > deadline:
            break
        time.sleep(0.05)
        generation = stack.generation()
    return generation


def forged_token(stack):
    """A token like the AS's, with its kid, signed by another key."""
    with open(stack.jwks_path) as keys:
        kid = json.load(keys)["keys"][0]["kid"]
    now = int(time.time())
    claims = {"iss": "https://as.example.com", "aud": "https://api.example.com", "sub": "mallory",
              "iat": now, "exp": now + 600, "acr": "urn:example:hwk", "auth_time": now,
              "scope": "payments:write accounts:read"}
    return jwt.encode(claims, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256",
                      headers={"kid": kid, "typ": "at+jwt"})


# --- nginx: the HTTP cases ----------------------------------------------------------------

def suite_nginx(args, checks):
    with running(checks, args.gateway, watch_interval_ms=200) as stack:
        url = stack.nginx_url + TRANSFER
        post = lambda headers=None: stacks.request("POST", url, headers=headers, body='{"amount": 1}')  # noqa: E731
        checks.response("no token: 401 with a bare Bearer challenge", post(), 401, REALM)
        checks.response("weak token on a transfer: 401 with the RFC 9470 acr_values challenge",
                        post(bearer(stack.token(grant="weak"))), 401, ACR_CHALLENGE)
        checks.response("stale MFA token: 401 with the max_age challenge",
                        post(bearer(stack.token(grant="stale"))), 401, age_challenge(300))
        checks.response("stepped-up token: 200 from the upstream",
                        post(bearer(stack.token(grant="strong", acr_values="urn:example:mfa"))), 200,
                        None, f"upstream ok: POST {TRANSFER}")
        checks.response("hardware-key token: 200 from the upstream",
                        post(bearer(stack.token(grant="strong", acr_values="urn:example:hwk"))), 200,
                        None, f"upstream ok: POST {TRANSFER}")
        checks.response("forged token: 401 invalid_token",
                        post(bearer(forged_token(stack))), 401,
                        REALM + ', error="invalid_token", error_description="the token signature is invalid"')
        checks.response("scope-less strong token: 403 (no challenge in the example policy)",
                        post(bearer(stack.token(grant="strong", scope=""))), 403, None, "forbidden")
        checks.response("Basic credentials: 400 invalid_request",
                        post({"Authorization": "Basic dXNlcjpwYXNz"}), 400,
                        REALM + ', error="invalid_request", error_description="the Authorization '
                        'scheme is not Bearer"')
        checks.response("weak token on a read (query kept): 200",
                        stacks.request("GET", stack.nginx_url + "/accounts/42?view=full",
                                       headers=bearer(stack.token(grant="weak"))),
                        200, None, "upstream ok: GET /accounts/42?view=full")
        checks.response("read without a token: 401", stacks.request("GET", stack.nginx_url + "/accounts/42"),
                        401, REALM)
        checks.response("a path nginx does not route: 404", stacks.request("GET", stack.nginx_url + "/other"),
                        404)
        checks.response("the auth location is internal", stacks.request("GET", stack.nginx_url + "/_stepup"),
                        404)

        # 403 with a challenge: nginx passes WWW-Authenticate on by itself only on 401.
        before = stack.generation()
        stack.write_policy(scope_policy(stack))
        stack.reload_gateway()
        checks.check("SIGHUP reloads the policy (generation goes up)", wait_for_generation(stack, before) > before)
        checks.response("scope-less strong token: 403 with the insufficient_scope challenge",
                        post(bearer(stack.token(grant="strong", scope="accounts:read"))), 403,
                        SCOPE_CHALLENGE, "forbidden")
        checks.response("after the reload the step-up challenge is unchanged",
                        post(bearer(stack.token(grant="weak"))), 401, ACR_CHALLENGE)

        # A broken policy file keeps the last good state.
        before = stack.generation()
        with open(stack.policy_path, "w") as out:
            out.write('{"stepup": 1, "policy": ')
        stack.reload_gateway()
        time.sleep(0.6)  # three watch intervals
        checks.check("a broken policy file is not loaded", stack.generation() == before)
        checks.response("... and decisions go on from the last good policy",
                        post(bearer(stack.token(grant="strong", scope="accounts:read"))), 403, SCOPE_CHALLENGE)
        codes = stack.stop()
        checks.check("SIGTERM: gateway and nginx exit 0", codes.get("gateway") == 0 and codes.get("nginx") == 0,
                     f"exit codes {codes}\n{stack.children['gateway'].log_tail()}")


# --- bypass: what nginx forwards is what the gateway decided ----------------------------

UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def origin_path(target):
    """The path an origin server resolves `target` to (RFC 3986 §6.2.2.2 and
    §5.2.4), written here independently of stepup: escaped unreserved bytes
    decoded, other escapes kept, empty segments merged, dot segments
    removed."""
    path = target.split("?", 1)[0]
    decoded = re.sub(r"%([0-9A-Fa-f]{2})",
                     lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) in UNRESERVED else m.group(0),
                     path)
    out = []
    for segment in decoded.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if out:
                out.pop()
            continue
        out.append(segment)
    return "/" + "/".join(out)


def raw_request(port, method, target, authorization):
    """Sends one request line exactly as given; returns (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall((f"{method} {target} HTTP/1.1\r\nHost: api.example.com\r\n"
                            f"Authorization: {authorization}\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n").encode("latin-1"))
        data = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body.decode("latin-1")


def suite_bypass(args, checks):
    """A sample of targets like the C++ differential test's through real nginx
    with a weak token (POST and GET): every answer is the gateway's decision
    on the raw target, what the upstream receives is that target byte for
    byte, and no POST an origin server would resolve to a transfer gets
    through."""
    import random
    pieces = ["payments", "transfers", "7", "/", "//", ".", "..", "./", "../", "%2e", "%2E", "%2e%2e",
              "%2f", "%2F", "%23", "%3f", "%3F", ";", ";x", "%5c", "%252e", "%25", "%2", "%00", "a=b",
              "~", "%7e", "%74ransfers", "?", "x"]
    rng = random.Random(20261204)
    with running(checks, args.gateway) as stack:
        weak = "Bearer " + stack.token(grant="weak")
        port = int(stack.nginx_url.rsplit(":", 1)[1])
        answered = forwarded = transfers_refused = mismatches = leaks = 0
        problems = []
        for _ in range(args.samples):
            noise = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
            tail = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
            target = rng.choice(["/payments/", "/payments/transfers/", "/accounts/"]) + noise + \
                rng.choice(["/../transfers/7", "/transfers/7", "/", ""]) + tail
            method = rng.choice(["POST", "POST", "GET"])
            status, body = raw_request(port, method, target, weak)
            if status == 0:
                continue
            answered += 1
            decided, headers, _ = stacks.request(
                "GET", stack.gateway_url + "/auth",
                headers={"X-Original-Method": method, "X-Original-URI": target, "Authorization": weak})
            gateway_status = int(stacks.header_values(headers, "X-Stepup-Status")[0]) \
                if stacks.header_values(headers, "X-Stepup-Status") else decided
            if status == 200:
                forwarded += 1
                if body != f"upstream ok: {method} {target}\n":
                    mismatches += 1
                    problems.append(f"upstream got {body!r} for {target!r}")
                if gateway_status != 200:
                    mismatches += 1
                    problems.append(f"nginx forwarded {target!r}, the gateway decided {gateway_status}")
                if method == "POST" and origin_path(target).startswith("/payments/transfers/"):
                    leaks += 1
                    problems.append(f"a weak token reached a transfer: {target!r}")
            elif status in (401, 403):
                if gateway_status == 200:
                    mismatches += 1
                    problems.append(f"nginx refused {target!r} ({status}), the gateway permitted it")
                if method == "POST" and origin_path(target).startswith("/payments/transfers/") \
                        and status == 401:
                    transfers_refused += 1
        print(f"bypass sample: {answered} answered by nginx, {forwarded} forwarded, "
              f"{transfers_refused} transfers challenged", flush=True)
        checks.check("nginx answered most of the sample", answered > args.samples // 2)
        checks.check("the sample reached transfers and forwarded requests",
                     transfers_refused > 20 and forwarded > 20)
        checks.check("every forwarded target reached the upstream unchanged, as the gateway decided",
                     mismatches == 0, "\n".join(problems[:10]))
        checks.check("no weak token reached a transfer", leaks == 0, "\n".join(problems[:10]))


# --- client: the whole step-up loop ------------------------------------------------------

def run_client(args, stack, *extra, path=TRANSFER, method="POST"):
    argv = [args.client, "--url", stack.nginx_url + path, "--method", method, "--as-url", stack.as_url,
            *extra]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after 60 s"
    return done.returncode, done.stdout, done.stderr


def client_check(checks, name, got, code, stdout=None, stderr=()):
    returncode, out, err = got
    problems = []
    if returncode != code:
        problems.append(f"exit {returncode}, expected {code}")
    if stdout is not None and out != stdout:
        problems.append(f"stdout {out!r}, expected {stdout!r}")
    for pattern in stderr:
        if not re.search(pattern, err):
            problems.append(f"stderr lacks /{pattern}/")
    checks.check(name, not problems, "; ".join(problems) + f"\n      stderr: {err.strip()}")


def suite_client(args, checks):
    with running(checks, args.gateway) as stack:
        upstream_body = f"upstream ok: POST {TRANSFER}\n"
        step_up = r"401 step-up required \(acr_values=urn:example:mfa urn:example:hwk\)"
        client_check(checks, "weak token: the client steps up once and reaches the upstream",
                     run_client(args, stack, "--initial-grant", "weak", "--data", '{"amount": 1}'), 0,
                     upstream_body, [step_up, r"new token \(acr urn:example:mfa\); retrying once"])
        client_check(checks, "strong token: no step-up needed",
                     run_client(args, stack, "--initial-grant", "strong"), 0, upstream_body)
        client_check(checks, "a read needs no step-up",
                     run_client(args, stack, path="/accounts/42", method="GET"), 0,
                     "upstream ok: GET /accounts/42\n")

        stack.set_grant("weak")
        client_check(checks, "loop guard: the AS keeps giving weak tokens -> exit 3, no retry",
                     run_client(args, stack), 3, "",
                     [step_up, r"step-up stopped, not retrying: the authorization server returned acr "
                               r"urn:example:pwd, which does not satisfy acr_values"])
        client_check(checks, "loop guard: the same challenge returns (opaque tokens) -> exit 3",
                     run_client(args, stack, "--opaque-tokens"), 3, "",
                     [r"step-up stopped: step-up loop for resource .*asked again for the same step-up"])
        stack.set_grant("stale")
        client_check(checks, "loop guard: a new challenge after the step-up -> exit 3",
                     run_client(args, stack), 3, "",
                     [r"step-up stopped: step-up limit reached .*max_age 300"])
        stack.set_grant("strong")
        client_check(checks, "a 403 is not a step-up: exit 1 with the answer",
                     run_client(args, stack, "--initial-grant", "strong", "--scope", "accounts:read"), 1, "",
                     [r"the API answered 403", r"not a step-up challenge"])
        client_check(checks, "bad usage: exit 2", run_client(args, stack, "--method", "BREW"), 2, "",
                     [r"usage: stepup-client"])


# --- dpop: sender-constrained tokens end to end (RFC 9449) --------------------------------

PUBLIC_ORIGIN = "https://api.example.com"
DPOP_ALGS = "ES256 RS256 PS256 EdDSA"


def dpop_policy(stack):
    """The example policy with DPoP taken (not required) for its validator and
    the resource named, so that proofs name https://api.example.com/..."""
    document = stack.policy_document()
    document["validators"][0]["dpop"] = {"algorithms": DPOP_ALGS.split()}
    document["protected_resource"] = {"resource": PUBLIC_ORIGIN}
    return document


def proof_keys():
    """A fresh private key per proof algorithm, and PyJWT's name for it."""
    return {"ES256": ec.generate_private_key(ec.SECP256R1()),
            "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "PS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "EdDSA": ed25519.Ed25519PrivateKey.generate()}


def public_jwk(algorithm, key):
    """The public JWK of `key`, written by PyJWT."""
    writer = {"ES256": jwt.algorithms.ECAlgorithm, "RS256": jwt.algorithms.RSAAlgorithm,
              "PS256": jwt.algorithms.RSAAlgorithm, "EdDSA": jwt.algorithms.OKPAlgorithm}[algorithm]
    return json.loads(writer.to_jwk(key.public_key()))


def mint_proof(algorithm, key, method, uri, access_token=None, iat=None, jti=None):
    """A DPoP proof minted by PyJWT (RFC 9449 §4.2)."""
    claims = {"jti": jti or secrets.token_urlsafe(16), "htm": method, "htu": uri,
              "iat": int(time.time()) if iat is None else iat}
    if access_token is not None:
        claims["ath"] = base64.urlsafe_b64encode(hashlib.sha256(access_token.encode()).digest()).rstrip(
            b"=").decode()
    return jwt.encode(claims, key, algorithm=algorithm,
                      headers={"typ": "dpop+jwt", "jwk": public_jwk(algorithm, key)})


def bound_token(stack, algorithm, key, **form):
    """A token the test AS binds to `key` (a DPoP proof at its /token)."""
    proof = mint_proof(algorithm, key, "POST", stack.as_url + "/token")
    status, _, body = stacks.request("POST", stack.as_url + "/token", body=urllib.parse.urlencode(form),
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "DPoP": proof})
    if status != 200:
        raise stacks.StackError(f"test AS answered {status}: {body}")
    answer = json.loads(body)
    if answer["token_type"] != "DPoP":
        raise stacks.StackError(f"test AS did not bind the token: {body}")
    return answer["access_token"]


def dpop_headers(token, proof):
    return {"Authorization": "DPoP " + token, "DPoP": proof}


def suite_dpop(args, checks):
    with running(checks, args.gateway) as stack:
        before = stack.generation()
        stack.write_policy(dpop_policy(stack))
        stack.reload_gateway()
        checks.check("the DPoP policy is loaded", wait_for_generation(stack, before) > before)
        check_dpop(args, checks, stack)


def check_dpop(args, checks, stack, client_stdout=f"upstream ok: POST {TRANSFER}\n"):
    """The DPoP checks against a started stack that decides on dpop_policy();
    the nginx module's tests run them too."""
    uri = PUBLIC_ORIGIN + TRANSFER
    upstream = f"upstream ok: POST {TRANSFER}"
    keys = proof_keys()
    for algorithm, key in keys.items():
        token = bound_token(stack, algorithm, key, grant="strong")
        proof = mint_proof(algorithm, key, "POST", uri, token)
        checks.response(f"{algorithm}: a bound token with its PyJWT proof reaches the upstream",
                        stacks.request("POST", stack.nginx_url + TRANSFER, headers=dpop_headers(token, proof)), 200, None, upstream)
        checks.response(f"{algorithm}: the same proof again is a replay",
                        stacks.request("POST", stack.nginx_url + TRANSFER, headers=dpop_headers(token, proof)), 401,
                        'DPoP realm="api.example.com", error="invalid_dpop_proof", '
                        'error_description="the DPoP proof was used before", '
                        f'algs="{DPOP_ALGS}", resource_metadata="{PUBLIC_ORIGIN}/.well-known/'
                        'oauth-protected-resource"')

    key = keys["ES256"]
    token = bound_token(stack, "ES256", key, grant="strong")
    hostile = [
        ("a proof for another path", mint_proof("ES256", key, "POST", PUBLIC_ORIGIN + "/payments/x", token),
         "the DPoP proof is for another URI"),
        ("a proof for another host", mint_proof("ES256", key, "POST", "https://evil.example" + TRANSFER, token),
         "the DPoP proof is for another URI"),
        ("a proof for GET", mint_proof("ES256", key, "GET", uri, token),
         "the DPoP proof is for another HTTP method"),
        ("a proof without ath", mint_proof("ES256", key, "POST", uri),
         "the DPoP proof has no access token hash (ath)"),
        ("a proof ten minutes old", mint_proof("ES256", key, "POST", uri, token, iat=int(time.time()) - 600),
         "the DPoP proof was issued too long ago or in the future"),
        ("a proof by another key", mint_proof("ES256", ec.generate_private_key(ec.SECP256R1()), "POST", uri, token),
         "the DPoP proof's key is not the one the token is bound to"),
    ]
    for name, proof, description in hostile:
        got = stacks.request("POST", stack.nginx_url + TRANSFER, headers=dpop_headers(token, proof))
        challenges = stacks.header_values(got[1], "WWW-Authenticate")
        checks.check(f"{name}: 401 invalid_dpop_proof, {description}",
                     got[0] == 401 and len(challenges) == 1 and
                     'error="invalid_dpop_proof"' in challenges[0] and
                     f'error_description="{description}"' in challenges[0], f"{got[0]} {challenges}")
    checks.response("the bound token as Bearer is refused with a DPoP challenge",
                    stacks.request("POST", stack.nginx_url + TRANSFER, headers=bearer(token)), 401,
                    'DPoP realm="api.example.com", error="invalid_token", error_description="a '
                    'DPoP-bound token was presented as a Bearer token", '
                    f'algs="{DPOP_ALGS}", resource_metadata="{PUBLIC_ORIGIN}/.well-known/'
                    'oauth-protected-resource"')
    got = stacks.request("POST", stack.nginx_url + TRANSFER, headers={"Authorization": "DPoP " + token})
    checks.check("DPoP without a proof: 401 invalid_dpop_proof", got[0] == 401 and any(
        'error="invalid_dpop_proof"' in value for value in stacks.header_values(got[1], "WWW-Authenticate")),
        f"{got[0]}")
    got = stacks.request("GET", stack.nginx_url + "/accounts/42")
    checks.check("no credentials: Bearer and DPoP challenges", got[0] == 401 and
                 stacks.header_values(got[1], "WWW-Authenticate") == [
                     f'Bearer realm="api.example.com", resource_metadata="{PUBLIC_ORIGIN}/.well-known/'
                     f'oauth-protected-resource", DPoP realm="api.example.com", algs="{DPOP_ALGS}", '
                     f'resource_metadata="{PUBLIC_ORIGIN}/.well-known/oauth-protected-resource"'],
                 f"{got[0]} {stacks.header_values(got[1], 'WWW-Authenticate')}")

    if args.client:
        step_up = r"401 step-up required under DPoP \(acr_values=urn:example:mfa urn:example:hwk\)"
        client_check(checks, "stepup-client --dpop: a weak DPoP token steps up under DPoP and gets through",
                     run_client(args, stack, "--dpop", "--public-url", uri, "--initial-grant", "weak"), 0,
                     client_stdout, [step_up, r"new token \(acr urn:example:mfa\); retrying once"])
        client_check(checks, "stepup-client --dpop naming another URL in its proofs: refused",
                     run_client(args, stack, "--dpop", "--public-url", PUBLIC_ORIGIN + "/elsewhere",
                                "--initial-grant", "strong"), 1, "",
                     [r"the API answered 401", r"invalid_dpop_proof"])


# --- load: wrk through nginx, with reloads under load -------------------------------------

def parse_mix(output):
    line = next((text for text in output.splitlines() if text.startswith("stepup-mix requests=")), None)
    if line is None:
        return None
    return {key: float(value) for key, value in re.findall(r"(\w+)=([0-9.]+)", line)}


def suite_load(args, checks):
    duration = args.duration
    with running(checks, args.gateway, workers=args.nginx_workers,
                 watch_interval_ms=args.watch_interval_ms) as stack:
        weak = stack.token(grant="weak")
        # MFA two minutes ago: permitted by the example policy (max_age 300),
        # challenged once a reload tightens max_age to 60.
        strong = stack.token(grant="strong", acr_values="urn:example:mfa", auth_age="120")
        url = stack.nginx_url + TRANSFER
        checks.response("before the load: the strong token is permitted",
                        stacks.request("POST", url, headers=bearer(strong)), 200, None, "upstream ok")

        argv = [args.wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency",
                "--timeout", "5s", "-s", os.path.join(HERE, "mix.lua"), stack.nginx_url, "--", weak, strong]
        output = {}

        def run_wrk():
            try:
                done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
                output["text"], output["code"] = done.stdout + done.stderr, done.returncode
            except subprocess.TimeoutExpired as timeout:
                output["text"], output["code"] = str(timeout), None

        runner = threading.Thread(target=run_wrk)
        started = time.monotonic()
        runner.start()
        probes = []
        try:
            if args.reload:
                # A third in: tighten max_age to 60 and send SIGHUP.
                time.sleep(max(0.0, started + duration / 3 - time.monotonic()))
                before = stack.generation()
                stack.write_policy(tightened_policy(stack, 60))
                stack.reload_gateway()
                generation = wait_for_generation(stack, before)
                probes.append(("SIGHUP under load reloads the policy", generation > before, ""))
                got = stacks.request("POST", url, headers=bearer(strong))
                probes.append(("after the SIGHUP reload, the 2-minute-old token gets max_age 60",
                               got[0] == 401 and stacks.header_values(got[1], "WWW-Authenticate")
                               == [age_challenge(60)], str(got[:2])))
                # Two thirds in: max_age 90, and no signal: the file watcher reloads.
                time.sleep(max(0.0, started + 2 * duration / 3 - time.monotonic()))
                before = stack.generation()
                stack.write_policy(tightened_policy(stack, 90))
                generation = wait_for_generation(stack, before)
                probes.append(("the file watcher reloads the changed policy under load", generation > before, ""))
        finally:
            runner.join(duration + 90)
        elapsed = time.monotonic() - started
        for name, ok, detail in probes:
            checks.check(name, ok, detail)

        text = output.get("text", "")
        print("\n".join("      " + line for line in text.splitlines()), flush=True)
        mix = parse_mix(text)
        checks.check("wrk ran and reported", output.get("code") == 0 and mix is not None,
                     f"wrk exit {output.get('code')} after {elapsed:.1f} s")
        if mix is None:
            return
        classified = mix["strong_200"] + mix["anon_401"] + mix["weak_401"] + mix["stale_401"]
        checks.check("zero unexpected statuses (no 5xx, no 200 for a weak or absent token)",
                     mix["unexpected"] == 0, text)
        checks.check("zero socket errors and timeouts",
                     mix["connect_errors"] + mix["read_errors"] + mix["write_errors"] + mix["timeouts"] == 0)
        checks.check("every response was classified", classified == mix["requests"] and mix["requests"] > 0,
                     f"{classified} classified of {mix['requests']}")
        third = mix["requests"] / 3
        checks.check("the three callers are each about a third",
                     all(abs(count - third) <= max(0.05 * third, args.connections)
                         for count in (mix["anon_401"], mix["weak_401"], mix["strong_200"] + mix["stale_401"])))
        if args.max_p99_ms:
            # A dropped SYN (a listen backlog too small) costs a 1 s retransmit.
            checks.check(f"p99 latency under {args.max_p99_ms:g} ms", mix["p99_ms"] < args.max_p99_ms,
                         f"p99 {mix['p99_ms']} ms")
        if args.reload:
            checks.check("after the reload the strong token was challenged under load",
                         mix["stale_401"] > 0 and mix["strong_200"] > 0)
            checks.response("after wrk: decisions follow the last policy (max_age 90)",
                            stacks.request("POST", url, headers=bearer(strong)), 401, age_challenge(90))
            checks.response("after wrk: a fresh MFA token is permitted",
                            stacks.request("POST", url, headers=bearer(
                                stack.token(grant="strong", acr_values="urn:example:mfa"))), 200, None,
                            "upstream ok")
        else:
            checks.check("without a reload no max_age challenge", mix["stale_401"] == 0)
        print(f"load figures: {mix['requests']:.0f} requests in {mix['seconds']:.1f} s, "
              f"{mix['rps']:.0f} requests/s, p50 {mix['p50_ms']:.2f} ms, p90 {mix['p90_ms']:.2f} ms, "
              f"p99 {mix['p99_ms']:.2f} ms, max {mix['max_ms']:.2f} ms, "
              f"unexpected statuses {mix['unexpected']:.0f}", flush=True)
        codes = stack.stop()
        checks.check("after the load, gateway and nginx exit 0 on SIGTERM",
                     codes.get("gateway") == 0 and codes.get("nginx") == 0, f"exit codes {codes}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--client")
    parser.add_argument("--wrk", default="/usr/bin/wrk")
    parser.add_argument("--duration", type=int, default=3, help="wrk seconds")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--nginx-workers", type=int, default=1)
    parser.add_argument("--watch-interval-ms", type=int, default=None)
    parser.add_argument("--max-p99-ms", type=float, default=0, help="fail above this p99 (0: no limit)")
    parser.add_argument("--no-reload", dest="reload", action="store_false")
    parser.add_argument("--samples", type=int, default=400, help="bypass: requests sent")
    parser.add_argument("suite", choices=("nginx", "client", "load", "bypass", "dpop"))
    args = parser.parse_args()
    if not os.access(args.gateway, os.X_OK):
        print(f"integration_test: no gateway binary at {args.gateway}", file=sys.stderr)
        return 1
    if args.suite == "client" and not (args.client and os.access(args.client, os.X_OK)):
        print(f"integration_test: no client binary at {args.client}", file=sys.stderr)
        return 1
    if args.duration > 120:
        print("integration_test: --duration is at most 120 s", file=sys.stderr)
        return 2

    checks = Checks()
    try:
        {"nginx": suite_nginx, "client": suite_client, "load": suite_load,
         "bypass": suite_bypass, "dpop": suite_dpop}[args.suite](args, checks)
    except Exception:  # a server that did not start, a refused connection: one failure, with why
        checks.check(f"{args.suite} suite ran to its end", False, traceback.format_exc())
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
