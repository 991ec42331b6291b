#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""nginx with and without stepup, measured with wrk in one run, rounds
interleaved (bench/README.md has the table):

  A  nginx proxying to a fast upstream, no authorization;
  B  the same with ngx_http_stepup_module on and a valid RS256 token;
  C  the same through auth_request and stepup-gateway.

One nginx (one worker) serves A, B and C on three ports; the upstream is a
second nginx answering `200 ok` itself; all on 127.0.0.1 free ports.

    /usr/bin/python3 bench/nginx_abc.py \\
        --module build/release/tools/nginx/ngx_http_stepup_module.so \\
        --gateway build/release/tools/gateway/stepup-gateway

Prints each round, then the medians, the ratios and the targets (B >= 0.9x
A's requests/s with p99 <= 1.2x A's; B >= 3x C). Exits 1 when a request was
not answered 200 (never because of a target: figures are for reading).
"""
import argparse
import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SOURCE_ROOT, "examples", "nginx"))
sys.dont_write_bytecode = True

import jwt  # noqa: E402  (Debian's python3-jwt)
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

import stack as stacks  # noqa: E402

PATH = "/accounts/42"
UPSTREAM_CONF = """
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server {
        listen 127.0.0.1:@PORT@ backlog=4096;
        keepalive_requests 1000000;
        location / { return 200 "ok\\n"; }
    }
}
"""
FRONT_CONF = """
load_module @MODULE@;
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    stepup_policy @POLICY@;
    upstream api { server 127.0.0.1:@UPSTREAM@; keepalive 64; keepalive_requests 1000000; }
    upstream stepup_gateway {
        server 127.0.0.1:@GATEWAY@;
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 60s;
    }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    keepalive_requests 1000000;

    server {  # A: no authorization
        listen 127.0.0.1:@PORT_A@ backlog=4096;
        location / { proxy_pass http://api; }
    }
    server {  # B: the module
        listen 127.0.0.1:@PORT_B@ backlog=4096;
        location / { stepup on; proxy_pass http://api; }
    }
    server {  # C: auth_request and stepup-gateway (examples/nginx/nginx.conf.template's way)
        listen 127.0.0.1:@PORT_C@ backlog=4096;
        location / {
            auth_request /_stepup;
            proxy_pass http://api;
        }
        location = /_stepup {
            internal;
            proxy_pass http://stepup_gateway/auth;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header Authorization $http_authorization;
        }
    }
}
"""


def b64url_uint(value):
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def write_policy(folder):
    """The example policy with one RS256 key of ours; returns (path, token)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwks = {"keys": [{"kty": "RSA", "kid": "bench", "use": "sig", "alg": "RS256",
                      "n": b64url_uint(numbers.n), "e": b64url_uint(numbers.e)}]}
    with open(os.path.join(SOURCE_ROOT, "examples", "policy", "policy.json")) as source:
        document = json.load(source)
    for validator in document["validators"]:
        validator.pop("jwks_file", None)
        validator["jwks"] = jwks
        validator["algorithms"] = ["RS256"]
        issuer, audience = validator["issuer"], validator["audience"]
    path = os.path.join(folder, "policy.json")
    with open(path, "w") as out:
        json.dump(document, out)
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience[0] if isinstance(audience, list) else audience,
              "sub": "bench", "iat": now, "exp": now + 86400, "acr": "urn:example:mfa", "auth_time": now,
              "scope": "payments:write accounts:read"}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench", "typ": "at+jwt"})
    return path, token


def start_nginx(name, folder, conf_text):
    prefix = os.path.join(folder, name)
    for sub in ("logs", "tmp"):
        os.makedirs(os.path.join(prefix, sub), exist_ok=True)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as out:
        out.write(conf_text)
    return stacks.Child(name, [stacks.NGINX, "-p", prefix + "/", "-c", conf, "-e",
                               os.path.join(prefix, "logs", "error.log"), "-g", "daemon off;"], folder)


def wait_for(url, headers=None, expect=200):
    deadline = time.monotonic() + stacks.STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if stacks.request("GET", url, headers=headers, timeout=2)[0] == expect:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise stacks.StackError(f"{url} did not answer {expect}")


LATENCY_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def cpu_seconds(pids):
    """User and system CPU seconds the processes `pids` (and their reaped children) used so far."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def process_tree(pid):
    """`pid` and its children."""
    pids = {pid}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.add(int(entry))
            except OSError:
                pass
    return pids


def run_wrk(args, url, token, measured=()):
    argv = [args.wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
            "-H", f"Authorization: Bearer {token}", url]
    cpu_before = [cpu_seconds(pids) for pids in measured]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=args.duration + 60)
    cpu_used = [cpu_seconds(pids) - before for pids, before in zip(measured, cpu_before)]
    text = done.stdout + done.stderr
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    p99 = re.search(r"^\s+99%\s+([0-9.]+)(us|ms|s)\s*$", text, re.M)
    requests = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if args.verbose:
        print("\n".join("    " + line for line in text.splitlines()), flush=True)
    if done.returncode != 0 or not (rps and p99 and requests):
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{text}")
    return {"rps": float(rps.group(1)), "p99_ms": float(p99.group(1)) * LATENCY_UNITS[p99.group(2)],
            "requests": int(requests.group(1)), "bad": int(non2xx.group(1)) if non2xx else 0,
            "errors": sum(int(n) for n in errors.groups()) if errors else 0,
            # Microseconds of CPU per request in each measured process tree.
            "cpu_us": [1e6 * used / int(requests.group(1)) for used in cpu_used]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--wrk", default="/usr/bin/wrk")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--verbose", action="store_true", help="print wrk's whole output")
    args = parser.parse_args()
    if args.duration * args.rounds * 3 > 900:
        print("nginx_abc: at most 900 s of wrk in all", file=sys.stderr)
        return 2

    folder = tempfile.mkdtemp(prefix="stepup-nginx-abc-")
    os.chmod(folder, 0o755)
    children = []
    try:
        policy, token = write_policy(folder)
        upstream_port = stacks.free_port()
        children.append(start_nginx("upstream", folder, UPSTREAM_CONF.replace("@PORT@", str(upstream_port))))
        gateway = stacks.Child("gateway", [os.path.abspath(args.gateway), "--policy", policy, "--listen",
                                           "127.0.0.1:0"], folder, announce="stepup-gateway listening on")
        children.append(gateway)
        ports = {name: stacks.free_port() for name in "ABC"}
        conf = FRONT_CONF
        for name, value in (("MODULE", os.path.abspath(args.module)), ("POLICY", policy),
                            ("UPSTREAM", upstream_port), ("GATEWAY", gateway.address[1]),
                            ("PORT_A", ports["A"]), ("PORT_B", ports["B"]), ("PORT_C", ports["C"])):
            conf = conf.replace(f"@{name}@", str(value))
        children.append(start_nginx("front", folder, conf))
        bearer = {"Authorization": "Bearer " + token}
        for name in "ABC":
            wait_for(f"http://127.0.0.1:{ports[name]}{PATH}", bearer)
        stacks.request("GET", f"http://127.0.0.1:{ports['B']}{PATH}")  # warm
        for name in "BC":
            wait_for(f"http://127.0.0.1:{ports[name]}{PATH}", expect=401)

        front = process_tree(children[-1].process.pid)
        measured = (front, {gateway.process.pid})
        results = {name: [] for name in "ABC"}
        for round_number in range(1, args.rounds + 1):
            for name in "ABC":
                figures = run_wrk(args, f"http://127.0.0.1:{ports[name]}{PATH}", token, measured)
                figures["nginx_us"], figures["gateway_us"] = figures.pop("cpu_us")
                results[name].append(figures)
                print(f"round {round_number} {name}: {figures['rps']:.0f} requests/s, "
                      f"p99 {figures['p99_ms']:.2f} ms, {figures['requests']} requests, "
                      f"{figures['bad']} not 200, {figures['errors']} socket errors, CPU per request: "
                      f"nginx {figures['nginx_us']:.1f} us, gateway {figures['gateway_us']:.1f} us",
                      flush=True)

        median = {name: {key: statistics.median(run[key] for run in runs)
                         for key in ("rps", "p99_ms", "nginx_us", "gateway_us")}
                  for name, runs in results.items()}
        a, b, c = median["A"], median["B"], median["C"]
        print(f"\nmedians of {args.rounds} rounds, wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration}s, one nginx worker:")
        print("| setup | requests/s | p99 (ms) | vs A | nginx CPU/request | gateway CPU/request |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, label in (("A", "A: nginx proxy, no authorization"),
                            ("B", "B: ngx_http_stepup_module, RS256 token"),
                            ("C", "C: auth_request + stepup-gateway")):
            m = median[name]
            print(f"| {label} | {m['rps']:,.0f} | {m['p99_ms']:.2f} | {m['rps'] / a['rps']:.2f}x | "
                  f"{m['nginx_us']:.1f} µs | {m['gateway_us']:.1f} µs |")
        checks = [("B requests/s >= 0.9x A", b["rps"] / a["rps"], b["rps"] >= 0.9 * a["rps"]),
                  ("B p99 <= 1.2x A", b["p99_ms"] / a["p99_ms"], b["p99_ms"] <= 1.2 * a["p99_ms"]),
                  ("B requests/s >= 3x C", b["rps"] / c["rps"], b["rps"] >= 3 * c["rps"])]
        for label, ratio, held in checks:
            print(f"target {label}: {ratio:.2f} {'holds' if held else 'MISSED'}")
        bad = sum(run["bad"] + run["errors"] for runs in results.values() for run in runs)
        print(f"requests not answered 200 or with socket errors: {bad}")
        return 0 if bad == 0 else 1
    finally:
        for child in reversed(children):
            child.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
