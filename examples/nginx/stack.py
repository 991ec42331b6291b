#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Runs the whole nginx example on loopback: a sample upstream, the local test
authorization server, stepup-gateway with the example policy, and nginx with
auth_request in front, each on a free 127.0.0.1 port, all in a new temporary
folder. With --module, nginx decides in-process with ngx_http_stepup_module
instead, and no gateway runs.

    /usr/bin/python3 examples/nginx/stack.py \\
        --gateway build/dev/tools/gateway/stepup-gateway [--port 8080]
    /usr/bin/python3 examples/nginx/stack.py \\
        --module build/dev/tools/nginx/ngx_http_stepup_module.so

It prints the addresses and a few curl commands, then runs until Ctrl-C or
SIGTERM, and stops everything it started. The integration tests
(tests/integration) import `Stack` from here.
"""
import argparse
import ctypes
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE_POLICY = os.path.join(SOURCE_ROOT, "examples", "policy", "policy.json")
PYTHON = "/usr/bin/python3"  # Debian's: it has python3-jwt and python3-cryptography
NGINX = "/usr/sbin/nginx"
STARTUP_SECONDS = 15.0


class StackError(RuntimeError):
    pass


def free_port():
    """A port that was free a moment ago (for nginx, which cannot report the
    port it picked for `listen 127.0.0.1:0`)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(method, url, headers=None, body=None, timeout=10.0):
    """One HTTP request without redirects or exceptions on 4xx/5xx: returns
    (status, headers as a list of (name, value) pairs, body as text)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + ("?" + parts.query if parts.query else "")
        connection.request(method, path or "/", body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def header_values(headers, name):
    return [value for key, value in headers if key.lower() == name.lower()]


_PR_SET_PDEATHSIG = 1
# Looked up once here: after fork, in the child, only the call itself runs.
_prctl = ctypes.CDLL(None, use_errno=True).prctl


def _die_with_parent():
    """Runs in each child between fork and exec: SIGTERM when this process
    dies, so that nothing outlives a harness that was killed (say, by a ctest
    timeout)."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Child:
    """A process this stack started, with its output in a log file."""

    def __init__(self, name, argv, log_folder, announce=None):
        self.name = name
        self.argv = argv
        self.log_path = os.path.join(log_folder, name + ".log")
        self.address = None
        self.returncode = None
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE if announce else log, stderr=log,
                                        # A session of its own, so that a last-resort
                                        # kill reaches nginx's workers too.
                                        start_new_session=True, preexec_fn=_die_with_parent)
        if announce:
            self.address = self._read_announcement(announce, log)
        else:
            log.close()

    def _read_announcement(self, prefix, log):
        """Reads the one `<prefix> HOST:PORT` line, then drains stdout into the log."""
        lines = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(STARTUP_SECONDS)
        line = lines[0].decode("utf-8", "replace").strip() if lines else ""
        if not line.startswith(prefix + " "):
            self.stop()
            raise StackError(f"{self.name} did not announce its address (got {line!r}); "
                             f"log:\n{self.log_tail()}")

        def drain():
            with log:
                for rest in self.process.stdout:
                    log.write(rest)
                    log.flush()

        threading.Thread(target=drain, daemon=True).start()
        host, _, port = line[len(prefix) + 1:].rpartition(":")
        return host, int(port)

    def alive(self):
        return self.process.poll() is None

    def signal(self, signum):
        if self.alive():
            self.process.send_signal(signum)

    def stop(self, grace=10.0):
        """SIGTERM, then SIGKILL to its whole session if it lingers. Returns the exit code."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(grace)
        self.returncode = self.process.returncode
        return self.returncode

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as log:
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class Stack:
    """upstream + test AS + stepup-gateway + nginx, on loopback, in `folder`;
    with `module` (the built ngx_http_stepup_module.so) and no gateway,
    nginx decides in-process."""

    def __init__(self, gateway=None, folder=None, port=0, workers=1, grant="strong", policy=EXAMPLE_POLICY,
                 gateway_args=(), watch_interval_ms=None, nginx=NGINX, template=None, module=None,
                 placeholders=None):
        if (gateway is None) == (module is None):
            raise StackError("a stack runs either the gateway or the module")
        self.gateway_binary = os.path.abspath(gateway) if gateway else None
        self.module = os.path.abspath(module) if module else None
        self.placeholders = dict(placeholders or {})
        self.own_folder = folder is None
        self.folder = folder or tempfile.mkdtemp(prefix="stepup-stack-")
        # nginx's workers drop root for `nobody` and must reach their temp folders.
        os.chmod(self.folder, 0o755)
        self.port = port
        self.workers = workers
        self.grant = grant
        self.policy_source = policy
        self.gateway_args = list(gateway_args)
        self.watch_interval_ms = watch_interval_ms
        self.nginx_binary = nginx
        self.template = template or os.path.join(
            HERE, "nginx-module.conf.template" if module else "nginx.conf.template")
        self.children = {}
        self.policy_path = os.path.join(self.folder, "policy.json")
        self.jwks_path = os.path.join(self.folder, "as.jwks.json")

    # --- start and stop ---------------------------------------------------------------

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.children["upstream"] = Child("upstream", [PYTHON, os.path.join(HERE, "upstream.py")],
                                          self.folder, announce="upstream listening on")
        self.children["as"] = Child("as", [PYTHON, os.path.join(HERE, "test_as.py"), "--jwks-out",
                                           self.jwks_path, "--grant", self.grant],
                                    self.folder, announce="test-as listening on")
        self.write_policy(self.policy_document())
        if self.module:
            self._start_nginx()
            return
        argv = [self.gateway_binary, "--policy", self.policy_path, "--listen", "127.0.0.1:0"]
        if self.watch_interval_ms is not None:
            argv += ["--watch-interval-ms", str(self.watch_interval_ms)]
        self.children["gateway"] = Child("gateway", argv + self.gateway_args, self.folder,
                                         announce="stepup-gateway listening on")
        self._wait_until("gateway", lambda: request("GET", self.gateway_url + "/healthz")[0] == 200)
        self._start_nginx()

    def _start_nginx(self):
        prefix = os.path.join(self.folder, "nginx")
        for sub in ("logs", "tmp"):
            os.makedirs(os.path.join(prefix, sub), exist_ok=True)
        os.chmod(prefix, 0o755)
        with open(self.template) as template:
            text = template.read()
        # A port picked here may be taken before nginx binds it: try a few.
        for attempt in range(5):
            port = self.port or free_port()
            conf = text
            values = {"LISTEN_PORT": port, "UPSTREAM_PORT": self.children["upstream"].address[1],
                      "WORKERS": self.workers, **self.placeholders}
            if self.module:
                values.update(MODULE_PATH=self.module, POLICY_PATH=self.policy_path)
            else:
                values["GATEWAY_PORT"] = self.gateway_address[1]
            for name, value in values.items():
                conf = conf.replace(f"@{name}@", str(value))
            if re.search(r"@[A-Z_]+@", conf):
                raise StackError("nginx.conf.template has a placeholder this stack does not fill")
            conf_path = os.path.join(prefix, "nginx.conf")
            with open(conf_path, "w") as out:
                out.write(conf)
            child = Child("nginx", [self.nginx_binary, "-p", prefix + "/", "-c", conf_path,
                                    "-e", os.path.join(prefix, "logs", "error.log"), "-g", "daemon off;"],
                          self.folder)
            self.children["nginx"] = child
            self.nginx_port = port
            try:
                self._wait_until("nginx", self._nginx_answers)
                return
            except StackError:
                child.stop()
                if self.port or attempt == 4:
                    raise

    def _nginx_answers(self):
        status, headers, _ = request("GET", self.nginx_url + "/", timeout=2)
        return status == 404 and header_values(headers, "Server") == ["nginx"]

    def _wait_until(self, name, ready):
        deadline = time.monotonic() + STARTUP_SECONDS
        for _ in range(int(STARTUP_SECONDS / 0.05)):
            child = self.children[name]
            if not child.alive():
                break
            try:
                if ready():
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        raise StackError(f"{name} did not become ready; log:\n{self.children[name].log_tail()}"
                         + (f"\nnginx error.log:\n{self.nginx_error_log()}" if name == "nginx" else ""))

    def stop(self):
        """Stops everything, nginx first; returns {name: exit code}."""
        codes = {}
        for name in ("nginx", "gateway", "as", "upstream"):
            child = self.children.get(name)
            if child is not None:
                codes[name] = child.stop()
        return codes

    def cleanup(self):
        if self.own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- the pieces ---------------------------------------------------------------------

    @property
    def gateway_address(self):
        return self.children["gateway"].address

    @property
    def gateway_url(self):
        host, port = self.gateway_address
        return f"http://{host}:{port}"

    @property
    def nginx_url(self):
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def as_url(self):
        host, port = self.children["as"].address
        return f"http://{host}:{port}"

    def nginx_error_log(self):
        try:
            with open(os.path.join(self.folder, "nginx", "logs", "error.log")) as log:
                return log.read()[-4000:]
        except OSError:
            return ""

    def policy_document(self):
        """The example policy, its validator's keys now the test AS's JWKS
        (one ES256 key: stepup refuses an algorithm that no key can verify)."""
        with open(self.policy_source) as source:
            document = json.load(source)
        for validator in document["validators"]:
            validator.pop("jwks", None)
            validator["jwks_file"] = os.path.basename(self.jwks_path)
            validator["algorithms"] = ["ES256"]
        return document

    def write_policy(self, document):
        """Replaces the policy file in one rename, as an editor or a deploy would."""
        temporary = self.policy_path + ".new"
        with open(temporary, "w") as out:
            json.dump(document, out, indent=2)
            out.write("\n")
        os.replace(temporary, self.policy_path)

    def reload_gateway(self):
        self.children["gateway"].signal(signal.SIGHUP)

    def nginx_conf_path(self):
        return os.path.join(self.folder, "nginx", "nginx.conf")

    def nginx_workers(self):
        """The pids of nginx's worker processes (children of the master)."""
        master = self.children["nginx"].process.pid
        workers = set()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master and fields[0] != "Z":
                workers.add(int(entry))
        return workers

    def reload_nginx(self, seconds=10.0):
        """nginx -s reload (SIGHUP to the master); True once a new set of
        workers replaced the old one, False when none came in `seconds` (a
        configuration the master refused)."""
        before = self.nginx_workers()
        self.children["nginx"].signal(signal.SIGHUP)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            now = self.nginx_workers()
            if now and not (now & before):
                return True
            time.sleep(0.05)
        return False

    def generation(self):
        status, _, body = request("GET", self.gateway_url + "/healthz")
        if status != 200:
            raise StackError(f"/healthz answered {status}")
        return json.loads(body)["generation"]

    def token(self, **form):
        """A token from the test AS; `form` as its /token takes it."""
        status, _, body = request("POST", self.as_url + "/token", body=urllib.parse.urlencode(form),
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise StackError(f"test AS answered {status}: {body}")
        return json.loads(body)["access_token"]

    def set_grant(self, grant):
        status, _, body = request("POST", self.as_url + "/control", body=f"grant={grant}",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise StackError(f"test AS answered {status}: {body}")


def main():
    parser = argparse.ArgumentParser(description="Runs nginx + stepup-gateway + a sample upstream + a test AS.")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--gateway", help="the stepup-gateway binary (nginx with auth_request)")
    which.add_argument("--module", help="ngx_http_stepup_module.so (nginx decides in-process)")
    parser.add_argument("--port", type=int, default=0, help="nginx's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--grant", default="strong", help="the test AS's default grant")
    args = parser.parse_args()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stack = Stack(args.gateway, port=args.port, grant=args.grant, module=args.module)
    try:
        with stack:
            decider = (f"stepup-gateway  {stack.gateway_url}   (policy {stack.policy_path}: edit it, it reloads)"
                       if stack.gateway_binary else
                       f"stepup module   {stack.module}\n"
                       f"                (policy {stack.policy_path}: edit it, then nginx -s reload)")
            print(f"""nginx           {stack.nginx_url}   (protects /payments/ and /accounts/)
{decider}
test AS         {stack.as_url}
upstream        http://127.0.0.1:{stack.children['upstream'].address[1]}
files and logs  {stack.folder}

Try:
  curl -i -X POST {stack.nginx_url}/payments/transfers/7
  TOKEN=$(curl -s -d grant=weak {stack.as_url}/token | {PYTHON} -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -i -X POST -H "Authorization: Bearer $TOKEN" {stack.nginx_url}/payments/transfers/7
  stepup-client --url {stack.nginx_url}/payments/transfers/7 --method POST --as-url {stack.as_url}

Ctrl-C stops everything.""", flush=True)
            while not stop.wait(1.0):
                for name, child in stack.children.items():
                    if not child.alive():
                        print(f"{name} exited ({child.process.returncode}); log:\n{child.log_tail()}",
                              file=sys.stderr)
                        return 1
    finally:
        stack.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
