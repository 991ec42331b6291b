#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""A local test authorization server for the step-up examples and tests.

NOT an OAuth server: it authenticates nobody. It makes a fresh ES256 key at
start, writes the public JWKS to --jwks-out (the gateway's policy names that
file in its validator's `jwks_file`), and mints RFC 9068 `at+jwt` access tokens
for the example policy on request:

    POST /token   (application/x-www-form-urlencoded)
      sub         the subject (default: alice)
      scope       the granted scope (default: "payments:write accounts:read")
      acr_values  the requested acr values, most preferred first (RFC 9470 §4)
      max_age     the requested maximum authentication age (accepted; a "fresh"
                  grant authenticates now anyway)
      grant       test knob, how the "user" authenticates (default: --grant):
                    weak    password only: acr urn:example:pwd whatever was asked
                    strong  the first requested acr value (urn:example:mfa when
                            none was asked), authenticated now
                    stale   like strong, but authenticated an hour ago
                    same    the acr and auth_time of this subject's previous
                            token again (a step-up that did not happen)
      auth_age    test knob: auth_time = now - auth_age (weak and strong)
    -> 200 {"access_token": "...", "token_type": "Bearer", "expires_in": N,
            "scope": "...", "acr": "...", "auth_time": N}
      With a DPoP header (RFC 9449 §5), a proof checked with PyJWT (typ
      dpop+jwt, an asymmetric alg, signature under its jwk, htm POST, htu
      ending in /token, iat within 300 s): the token is bound to the proof's
      key (cnf.jkt, its RFC 7638 thumbprint) and token_type is "DPoP".
    POST /control grant=MODE   sets the default grant (for tests)
    GET  /jwks                  the public JWKS
    GET  /healthz               {"status": "ok"}

    /usr/bin/python3 test_as.py --jwks-out keys.jwks.json [--listen 127.0.0.1:0]

On start it prints one line, `test-as listening on HOST:PORT`, to stdout,
after the JWKS file is in place. Needs Debian's python3-jwt and
python3-cryptography; SIGTERM and SIGINT end it with status 0.
"""
import argparse
import base64
import hashlib
import json
import os
import secrets
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

ACR_LEVELS = ["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"]
GRANTS = ("weak", "strong", "stale", "same")
DEFAULT_SCOPE = "payments:write accounts:read"
MAX_FORM_BYTES = 16 * 1024


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write_atomically(path, text):
    """Writes `text` to `path` by renaming a finished temporary file over it, so
    that a gateway polling the file never reads half of it."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".jwks-")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class Authority:
    """The key, the settings and what was issued; shared by the handler threads."""

    def __init__(self, issuer, audience, lifetime, grant):
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
        self.grant = grant
        self.kid = "test-as-" + secrets.token_hex(4)
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.lock = threading.Lock()
        self.last = {}  # sub -> (acr, auth_time) of its latest token

    def jwks(self):
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "EC", "crv": "P-256", "kid": self.kid, "alg": "ES256", "use": "sig",
                          "x": b64url(numbers.x.to_bytes(32, "big")),
                          "y": b64url(numbers.y.to_bytes(32, "big"))}]}

    def issue(self, form, dpop_proof=None):
        """Mints a token for the form's fields, bound to the key of `dpop_proof`
        when given; raises ValueError on bad input."""
        sub = form.get("sub", "alice")
        scope = form.get("scope", DEFAULT_SCOPE)
        requested = form.get("acr_values", "").split()
        grant = form.get("grant", self.grant)
        if grant not in GRANTS:
            raise ValueError(f"grant must be one of {', '.join(GRANTS)}")
        if "max_age" in form and not form["max_age"].isdigit():
            raise ValueError("max_age must be a non-negative integer")
        auth_age = form.get("auth_age", "0")
        if not auth_age.isdigit():
            raise ValueError("auth_age must be a non-negative integer")
        now = int(time.time())
        with self.lock:
            if grant == "same" and sub in self.last:
                acr, auth_time = self.last[sub]
            elif grant in ("weak", "same"):
                acr, auth_time = ACR_LEVELS[0], now - int(auth_age)
            else:
                known = [value for value in requested if value in ACR_LEVELS]
                acr = known[0] if known else ACR_LEVELS[1]
                auth_time = now - 3600 if grant == "stale" else now - int(auth_age)
            self.last[sub] = (acr, auth_time)
        claims = {"iss": self.issuer, "aud": self.audience, "sub": sub, "client_id": "stepup-example",
                  "iat": now, "exp": now + self.lifetime, "jti": secrets.token_hex(8),
                  "acr": acr, "auth_time": auth_time,
                  "amr": ["pwd"] if acr == ACR_LEVELS[0] else ["pwd", "otp"]}
        if scope:
            claims["scope"] = scope
        if dpop_proof is not None:
            claims["cnf"] = {"jkt": proof_thumbprint(dpop_proof, now)}
        token = jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": self.kid, "typ": "at+jwt"})
        return {"access_token": token, "token_type": "Bearer" if dpop_proof is None else "DPoP",
                "expires_in": self.lifetime, "scope": scope, "acr": acr, "auth_time": auth_time}


DPOP_ALGORITHMS = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                   "EdDSA"]
THUMBPRINT_MEMBERS = {"EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n"), "OKP": ("crv", "kty", "x")}


def thumbprint(jwk):
    """RFC 7638: base64url SHA-256 of the required members in name order."""
    members = THUMBPRINT_MEMBERS.get(jwk.get("kty"))
    if members is None or any(not isinstance(jwk.get(name), str) for name in members):
        raise ValueError("DPoP proof: jwk of an unknown kty or without its members")
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def proof_thumbprint(proof, now):
    """Checks a token request's DPoP proof (RFC 9449 §4.3, for /token) and
    returns its key's thumbprint; raises ValueError when it fails."""
    try:
        header = jwt.get_unverified_header(proof)
        if header.get("typ") != "dpop+jwt" or header.get("alg") not in DPOP_ALGORITHMS:
            raise ValueError("DPoP proof: typ must be dpop+jwt and alg asymmetric")
        jwk = header.get("jwk")
        if not isinstance(jwk, dict) or any(name in jwk for name in ("d", "p", "q", "dp", "dq", "qi")):
            raise ValueError("DPoP proof: jwk must be a public key")
        key = jwt.PyJWK(jwk, algorithm=header["alg"]).key
        claims = jwt.decode(proof, key, algorithms=[header["alg"]], options={"verify_aud": False})
    except jwt.PyJWTError as error:
        raise ValueError(f"DPoP proof: {error}") from error
    if claims.get("htm") != "POST" or not str(claims.get("htu", "")).split("?")[0].endswith("/token"):
        raise ValueError("DPoP proof: not for POST .../token")
    if not isinstance(claims.get("iat"), int) or abs(now - claims["iat"]) > 300:
        raise ValueError("DPoP proof: iat outside 300 s of now")
    return thumbprint(jwk)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stepup-test-as"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle holds
    # the body until nginx's delayed ACK, some 40 ms per request.
    disable_nagle_algorithm = True

    def _send(self, status, document):
        body = (json.dumps(document) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _form(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_FORM_BYTES:
            raise ValueError("form too large")
        text = self.rfile.read(length).decode("utf-8")
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
        form = {}
        for name, value in pairs:
            if name in form:
                raise ValueError(f"parameter {name} repeated")  # RFC 6749 §3.1
            form[name] = value
        return form

    def do_GET(self):
        if self.path == "/jwks":
            self._send(200, self.server.authority.jwks())
        elif self.path == "/healthz":
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": "not_found"})

    def do_POST(self):
        try:
            form = self._form()
            if self.path == "/token":
                proofs = self.headers.get_all("DPoP") or []
                if len(proofs) > 1:
                    raise ValueError("more than one DPoP header")
                self._send(200, self.server.authority.issue(form, proofs[0] if proofs else None))
            elif self.path == "/control":
                grant = form.get("grant")
                if grant not in GRANTS:
                    raise ValueError(f"grant must be one of {', '.join(GRANTS)}")
                self.server.authority.grant = grant
                self._send(200, {"grant": grant})
            else:
                self._send(404, {"error": "not_found"})
        except (ValueError, UnicodeDecodeError) as error:
            self._send(400, {"error": "invalid_request", "error_description": str(error)})

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def main():
    parser = argparse.ArgumentParser(description="A local test authorization server (not for production).")
    parser.add_argument("--jwks-out", required=True, help="where to write the public JWKS")
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (port 0: any free port)")
    parser.add_argument("--grant", default="strong", choices=GRANTS, help="default grant (see above)")
    parser.add_argument("--issuer", default="https://as.example.com")
    parser.add_argument("--audience", default="https://api.example.com")
    parser.add_argument("--lifetime", type=int, default=600, help="token lifetime in seconds")
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args()

    authority = Authority(args.issuer, args.audience, args.lifetime, args.grant)
    write_atomically(args.jwks_out, json.dumps(authority.jwks(), indent=2) + "\n")
    host, _, port = args.listen.rpartition(":")
    server = Server((host, int(port)), Handler)
    server.authority = authority
    server.verbose = args.verbose

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"test-as listening on {server.server_address[0]}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
