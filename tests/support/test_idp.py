#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""A test identity provider over HTTPS on 127.0.0.1 (a free port).

At start it makes a CA and a certificate for 127.0.0.1 and localhost in
--dir (ca.pem), and an EC P-256 signing key; then prints one JSON line,
{"port": N, "ca_file": "...", "base": "https://127.0.0.1:N",
"wrong_name_base": "https://127.0.0.1:M"} (M serves the same with a
certificate for other.example only), and serves until killed. Debian's Python only (python3-cryptography, python3-jwt).

Paths (the issuer is `base`, or `base/tenant` for RFC 8414's form):
  /.well-known/openid-configuration   metadata of `base`
  /.well-known/oauth-authorization-server/tenant   RFC 8414 metadata of base/tenant
  /wrong/.well-known/openid-configuration   metadata naming another issuer
  /jwks                 the signing keys (ETag, Cache-Control: max-age=120, 304)
  /keycloak/jwks        the signing keys beside an RSA-OAEP "enc" key
  /status500, /hang (30 s), /huge (4 MiB), /invalid (not JSON)
  /redirect-http        302 to http://127.0.0.1:N/jwks
  /redirect-https       302 to /jwks
  /redirect-loop        302 to itself
  /control/rotate       a new signing key replaces the old one (?keep=1: joins
                        it); returns its kid
  /control/outage?on=1  key sets and metadata answer 503 until ?on=0
  /control/mint?kid=K&claims=JSON   a JWT of the claims signed with key K
  /control/fetches      how many times /jwks was fetched (JSON integer)
"""
import argparse
import base64
import datetime
import hashlib
import http.server
import json
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
import ipaddress


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_certificates(directory):
    """A CA, a server certificate for 127.0.0.1, ::1 and localhost, and one
    for other.example only (served on a second port: a host name mismatch)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stepup test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
              .issuer_name(ca_name).public_key(server_key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.SubjectAlternativeName([
                  x509.DNSName("localhost"),
                  x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                  x509.IPAddress(ipaddress.ip_address("::1"))]), critical=False)
              .sign(ca_key, hashes.SHA256()))
    other = (x509.CertificateBuilder()
             .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "other.example")]))
             .issuer_name(ca_name).public_key(server_key.public_key())
             .serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(minutes=5))
             .not_valid_after(now + datetime.timedelta(days=1))
             .add_extension(x509.SubjectAlternativeName([x509.DNSName("other.example")]),
                            critical=False)
             .sign(ca_key, hashes.SHA256()))
    paths = {name: os.path.join(directory, name)
             for name in ("ca.pem", "server.pem", "server.key", "other.pem")}
    with open(paths["other.pem"], "wb") as out:
        out.write(other.public_bytes(serialization.Encoding.PEM))
    with open(paths["ca.pem"], "wb") as out:
        out.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["server.pem"], "wb") as out:
        out.write(server.public_bytes(serialization.Encoding.PEM))
    with open(paths["server.key"], "wb") as out:
        out.write(server_key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class Keys:
    """The provider's signing keys; rotation replaces them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = 0
        self.fetches = 0
        self.outage = False
        self.signing = {}
        self.rotate()

    def rotate(self, keep_old=False):
        with self.lock:
            self.generation += 1
            kid = "key-%d" % self.generation
            if not keep_old:
                self.signing = {}
            self.signing[kid] = ec.generate_private_key(ec.SECP256R1())
            return kid

    def jwks(self, with_encryption_key=False):
        with self.lock:
            keys = []
            for kid, key in self.signing.items():
                numbers = key.public_key().public_numbers()
                keys.append({"kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
                             "alg": "ES256", "x": b64url(numbers.x.to_bytes(32, "big")),
                             "y": b64url(numbers.y.to_bytes(32, "big"))})
            if with_encryption_key:
                enc = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                numbers = enc.public_key().public_numbers()
                keys.append({"kty": "RSA", "kid": "enc-key", "use": "enc", "alg": "RSA-OAEP",
                             "n": b64url(numbers.n.to_bytes(256, "big")),
                             "e": b64url(numbers.e.to_bytes(3, "big"))})
            return json.dumps({"keys": keys}).encode()

    def mint(self, kid, claims):
        with self.lock:
            key = self.signing.get(kid)
        if key is None:
            # A key the provider does not publish: a forgery.
            key = ec.generate_private_key(ec.SECP256R1())
        return jwt.encode(claims, key, algorithm="ES256",
                          headers={"kid": kid, "typ": "at+jwt"})


def make_handler(keys, base):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body=b"", content_type="application/json", headers=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def metadata(self, issuer):
            return json.dumps({"issuer": issuer, "jwks_uri": base + "/jwks",
                               "token_endpoint": base + "/token"}).encode()

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            path = url.path
            query = urllib.parse.parse_qs(url.query)
            if not path.startswith("/control/"):
                with keys.lock:
                    down = keys.outage
                if down:
                    if path in ("/jwks", "/keycloak/jwks"):
                        with keys.lock:
                            keys.fetches += 1
                    return self.send(503, b"{}")
            if path == "/.well-known/openid-configuration":
                return self.send(200, self.metadata(base))
            if path == "/.well-known/oauth-authorization-server/tenant":
                return self.send(200, self.metadata(base + "/tenant"))
            if path == "/wrong/.well-known/openid-configuration":
                return self.send(200, self.metadata("https://elsewhere.example"))
            if path in ("/jwks", "/keycloak/jwks"):
                with keys.lock:
                    keys.fetches += 1
                body = keys.jwks(with_encryption_key=path.startswith("/keycloak"))
                etag = '"%s"' % hashlib.sha256(body if path == "/keycloak/jwks"
                                               else keys.jwks()).hexdigest()[:16]
                if self.headers.get("If-None-Match") == etag:
                    return self.send(304, headers={"ETag": etag})
                return self.send(200, body, "application/jwk-set+json",
                                 {"ETag": etag, "Cache-Control": "public, max-age=120"})
            if path == "/status500":
                return self.send(500, b"{}")
            if path == "/hang":
                time.sleep(30)
                return self.send(200, keys.jwks())
            if path == "/huge":
                return self.send(200, b" " * (4 << 20))
            if path == "/invalid":
                return self.send(200, b"not json")
            if path == "/redirect-http":
                return self.send(302, headers={
                    "Location": "http://127.0.0.1:%d/jwks" % self.server.server_address[1]})
            if path == "/redirect-https":
                return self.send(302, headers={"Location": "/jwks"})
            if path == "/redirect-loop":
                return self.send(302, headers={"Location": "/redirect-loop"})
            if path == "/control/rotate":
                keep = query.get("keep", ["0"])[0] == "1"
                return self.send(200, json.dumps(keys.rotate(keep)).encode())
            if path == "/control/outage":
                with keys.lock:
                    keys.outage = query.get("on", ["0"])[0] == "1"
                return self.send(200, b"true")
            if path == "/control/mint":
                claims = json.loads(query.get("claims", ["{}"])[0])
                return self.send(200, keys.mint(query.get("kid", [""])[0], claims).encode(),
                                 "text/plain")
            if path == "/control/fetches":
                with keys.lock:
                    return self.send(200, json.dumps(keys.fetches).encode())
            return self.send(404, b"{}")

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    paths = make_certificates(args.dir)
    keys = Keys()
    servers = []
    for certificate in ("server.pem", "other.pem"):
        server = Server(("127.0.0.1", 0), None)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths[certificate], paths["server.key"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        servers.append(server)
    base = "https://127.0.0.1:%d" % servers[0].server_address[1]
    for server in servers:
        server.RequestHandlerClass = make_handler(keys, base)
    threading.Thread(target=servers[1].serve_forever, daemon=True).start()
    print(json.dumps({"port": servers[0].server_address[1], "ca_file": paths["ca.pem"],
                      "base": base,
                      "wrong_name_base": "https://127.0.0.1:%d" % servers[1].server_address[1]}),
          flush=True)
    servers[0].serve_forever()


if __name__ == "__main__":
    sys.exit(main())
