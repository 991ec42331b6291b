#!/usr/bin/env python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#
# Writes the seed corpus of decide_fuzzer (tests/fuzz/corpus/decide/): each
# seed describes a request, encoded the way decide_fuzzer.cc reads its input
# with FuzzedDataProvider. Strings come from the front of the input (a
# backslash followed by another byte ends one; "\\" is a backslash); integers
# from the end, one byte at a time, most significant first, as many bytes as
# the range needs. The tables below mirror the harness's; change both
# together, then run this script again (it replaces the corpus folder's
# contents) and check the result with STEPUP_FUZZ_VERBOSE=1 decide_replay.
#
#   tests/fuzz/make_decide_seeds.py [output-dir]

import os
import sys

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "", "POST "]
BASES = ["", "/payments", "/accounts", "/payments/transfers", "/other", "//payments", "/Payments",
         "/payments/", "/payments/exports"]
SEPARATORS = ["/", "//", "/./", "/../", "\\"]
SEGMENTS = ["transfers", "7", "..", ".", "", "%2e%2e", "%2E", "%2f", "%252e", "a%00b", "%", "%zz",
            "*", "**", "data", "exports", "report.json", "\u00e9", "a b", ";x=1"]
QUERY_PARTS = ["x", "debug", "1", "a%20b", "+", "%", "=", "", "%3D", "debug%00"]
HEADER_NAMES = ["Accept", "X-Debug", "x-debug", "X-Request-Id", "Authorization", "Host", "",
                "X-DEBUG "]
HEADER_VALUES = ["on", "42", "application/json", "", "ON", "on\r\n"]
CLIENT_IPS = ["", "10.0.0.7", "192.0.2.1", "2001:db8::1", "10."]
SCHEMES = ["Bearer ", "bearer ", "BEARER ", "Bearer  ", "Bearer\t", "Basic ", "", " Bearer "]
# Minted tokens: every claim set under each key, in this order.
KEYS = ["RS256", "PS256", "ES256", "EdDSA", "HS256"]
CLAIMS = ["strong", "weak", "stale", "bare", "admin"]
# decide_fuzzer.cc's mutated_token(): kind 5 is "append" or "swap" by a bool.
MUTATIONS = ["none", "set", "insert", "erase", "truncate", "append", "alphabet"]
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# Every minted token is longer than 255 bytes, so its positions take two.
POSITION_BYTES = 2


class Encoder:
    def __init__(self):
        self.front = bytearray()
        self.back = bytearray()  # In the order the harness consumes it.

    def integer(self, low, high, value, type_bytes):
        span = high - low
        offset, count = 0, 0
        while offset < type_bytes * 8 and (span >> offset) > 0:
            offset += 8
            count += 1
        encoded = (value - low) % (1 << 64)
        for i in reversed(range(count)):
            self.back.append((encoded >> (8 * i)) & 0xFF)

    def pick(self, count, index):
        assert 0 <= index < count
        self.integer(0, count - 1, index, 4)

    def boolean(self, value):
        self.integer(0, 255, 1 if value else 0, 1)

    def string(self, text, max_length):
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        assert len(data) <= max_length
        self.front += data.replace(b"\\", b"\\\\")
        if len(data) < max_length:
            self.front += b"\\\x00"

    def pick_or_raw(self, table, value, max_raw):
        if value in table:
            self.pick(len(table) + 1, table.index(value))
        else:
            self.pick(len(table) + 1, len(table))
            self.string(value, max_raw)

    def data(self):
        return bytes(self.front) + bytes(reversed(self.back))


def encode(seed):
    out = Encoder()
    out.pick_or_raw(METHODS, seed.get("method", "GET"), 16)

    path = seed.get("path")
    if isinstance(path, (str, bytes)):
        out.pick(4, 0)
        out.string(path, 512)
    else:
        base, segments, query, fragment = path
        out.pick(4, 1)
        out.pick(len(BASES), BASES.index(base))
        out.pick(7, len(segments))
        for separator, segment in segments:
            out.pick(len(SEPARATORS), SEPARATORS.index(separator))
            out.pick_or_raw(SEGMENTS, segment, 32)
        out.boolean(query is not None)
        if query is not None:
            out.pick(5, len(query))
            for i, (name, value) in enumerate(query):
                if i > 0:
                    out.pick(2, 0)  # '&'
                out.pick_or_raw(QUERY_PARTS, name, 16)
                out.pick_or_raw(QUERY_PARTS, value, 16)
        if fragment is None:
            out.pick(8, 1)
        else:
            out.pick(8, 0)
            out.string(fragment, 16)

    headers = seed.get("headers", [])
    out.pick(7, len(headers))
    for name, value in headers:
        out.pick_or_raw(HEADER_NAMES, name, 32)
        out.pick_or_raw(HEADER_VALUES, value, 64)
    out.pick_or_raw(CLIENT_IPS, seed.get("ip", "192.0.2.1"), 64)

    def token(spec):
        key, claims, mutation = spec[0], spec[1], spec[2] if len(spec) > 2 else ("none", 0)
        out.pick(len(KEYS) * len(CLAIMS), KEYS.index(key) * len(CLAIMS) + CLAIMS.index(claims))
        kind, position = mutation[0], mutation[1]
        out.integer(0, 65535, position, 8)
        assert POSITION_BYTES == 2
        out.pick(len(MUTATIONS), MUTATIONS.index("append" if kind == "swap" else kind))
        if kind == "set":
            out.integer(0, 255, mutation[2], 1)
        elif kind == "insert":
            out.string(mutation[2], 64)
        elif kind == "erase":
            out.integer(1, 64, mutation[2], 8)
        elif kind == "append":
            out.boolean(True)
            out.string(mutation[2], 16)
        elif kind == "swap":
            out.boolean(False)
            other_key, other_claims = mutation[2]
            out.pick(len(KEYS) * len(CLAIMS),
                     KEYS.index(other_key) * len(CLAIMS) + CLAIMS.index(other_claims))
        elif kind == "alphabet":
            # Only where the token has no '.': the harness reads nothing there.
            out.pick(len(ALPHABET), ALPHABET.index(mutation[2]))
        else:
            assert kind in ("none", "truncate")

    auth = seed.get("auth")
    if auth is None:
        out.pick(6, 0)
    elif auth[0] == "raw":
        out.pick(6, 1)
        out.string(auth[1], 1024)
    elif auth[0] == "bearer-raw":
        out.pick(6, 2)
        out.string(auth[1], 1024)
    elif auth[0] == "two":
        out.pick(6, 3)
        token(auth[1])
        token(auth[2])
    else:
        scheme, spec = auth[1], auth[2]
        out.pick(6, 4)
        out.pick(len(SCHEMES), SCHEMES.index(scheme))
        token(spec)

    out.boolean(seed.get("explain", False))
    now = seed.get("now")
    if now is None:
        out.pick(4, 0)
    elif now[0] == "delta":
        out.pick(4, 1)
        out.integer(-7200, 7200, now[1], 8)
    elif now[0] == "wide":
        out.pick(4, 2)
        out.integer(-(1 << 40), 1 << 40, now[1], 8)
    else:
        out.pick(4, 3)
        out.integer(-(1 << 63), (1 << 63) - 1, now[1], 8)
    return out.data()


def transfer(query=None):
    return ("/payments", [("/", "transfers"), ("/", "7")], query, None)


def bearer(key, claims, mutation=("none", 0)):
    return ("token", "Bearer ", (key, claims, mutation))


SEEDS = {
    "no_credentials_transfer": dict(method="POST", path=transfer()),
    "permit_transfer_es256": dict(method="POST", path=transfer(), auth=bearer("ES256", "strong")),
    "permit_transfer_rs256_explain": dict(method="POST", path=transfer(),
                                          auth=bearer("RS256", "strong"), explain=True),
    "permit_transfer_ps256": dict(method="POST", path=transfer(), auth=bearer("PS256", "strong")),
    "permit_transfer_eddsa": dict(method="POST", path=transfer(), auth=bearer("EdDSA", "strong")),
    "step_up_acr": dict(method="POST", path=transfer(), auth=bearer("ES256", "weak")),
    "step_up_max_age": dict(method="POST", path=transfer(), auth=bearer("EdDSA", "stale")),
    "no_acr_forbidden": dict(method="POST", path=transfer(), auth=bearer("RS256", "bare")),
    "read_accounts_partner_hs256": dict(method="GET",
                                        path=("/accounts", [("/", "7")], None, None),
                                        auth=bearer("HS256", "strong")),
    "exports_merged_challenge": dict(method="POST",
                                     path=("/payments/exports", [("/", "data")], None, None),
                                     auth=bearer("ES256", "stale")),
    "exports_hardware_key": dict(method="GET",
                                 path=("/payments/exports", [("/", "report.json")], None, None),
                                 auth=bearer("ES256", "admin")),
    "admin_denied_reason_scope": dict(method="DELETE",
                                      path=("/accounts", [("/", "7")], None, None),
                                      auth=bearer("RS256", "strong")),
    "admin_permitted": dict(method="PUT", path=("/accounts", [("/", "7")], None, None),
                            auth=bearer("PS256", "admin")),
    "debug_throttled_429": dict(method="POST", path=("/other", [("/", "data")], None, None),
                                headers=[("X-Debug", "on")], auth=bearer("ES256", "strong")),
    "token_signature_char_changed": dict(method="POST", path=transfer(),
                                         auth=bearer("RS256", "strong", ("alphabet", 600, "A"))),
    "internal_query_and_ip": dict(method="POST",
                                  path=("/other", [("/", "data")], [("debug", "1")], None),
                                  ip="10.0.0.7", auth=bearer("ES256", "bare"), explain=True),
    "partner_json_resource": dict(method="PATCH",
                                  path=("/other", [("/", "report.json")], None, None),
                                  auth=bearer("HS256", "bare")),
    "dot_segments_into_transfers": dict(
        method="POST",
        path=("/payments", [("/", "x"), ("/../", "transfers"), ("//", "7"), ("/./", "%2e%2e")],
              None, None),
        auth=bearer("ES256", "weak")),
    "percent_escapes_and_query": dict(
        method="POST",
        path=("/Payments", [("/", "%74ransfers"), ("/", "%2f"), ("/", "a%00b")],
              [("x", "a%20b"), ("%", "%3D")], "frag"),
        headers=[("Accept", "application/json"), ("x-debug", "ON")], auth=bearer("EdDSA", "weak"),
        explain=True),
    "raw_path_bytes": dict(method="GET", path=b"/payments/\xc3\x28/%C3%28?q=%FF%FE",
                           auth=bearer("ES256", "strong")),
    "basic_credentials": dict(method="POST", path=transfer(), auth=("raw", "Basic dXNlcjpwYXNz")),
    "bearer_garbage": dict(method="GET", path=transfer(), auth=("bearer-raw", "a.b.c")),
    "bearer_empty": dict(method="GET", path=transfer(), auth=("raw", "Bearer ")),
    "two_credentials": dict(method="POST", path=transfer(),
                            auth=("two", ("ES256", "strong"), ("RS256", "strong"))),
    "lowercase_scheme": dict(method="POST", path=transfer(),
                             auth=("token", "bearer ", ("ES256", "strong"))),
    "tab_after_scheme": dict(method="POST", path=transfer(),
                             auth=("token", "Bearer\t", ("ES256", "strong"))),
    "token_header_byte_changed": dict(method="POST", path=transfer(),
                                      auth=bearer("ES256", "strong", ("set", 10, ord("x")))),
    "token_payload_truncated": dict(method="POST", path=transfer(),
                                    auth=bearer("RS256", "strong", ("truncate", 120))),
    "token_extra_segment": dict(method="POST", path=transfer(),
                                auth=bearer("EdDSA", "strong", ("append", 0, "AAAA"))),
    "token_signature_swapped": dict(method="POST", path=transfer(),
                                    auth=bearer("ES256", "strong", ("swap", 0, ("ES256", "weak")))),
    "token_bytes_inserted": dict(method="GET", path=transfer(),
                                 auth=bearer("HS256", "strong", ("insert", 30, "..=="))),
    "token_bytes_erased": dict(method="GET", path=transfer(),
                               auth=bearer("PS256", "bare", ("erase", 50, 7))),
    "expired_at_now": dict(method="GET", path=transfer(), auth=bearer("ES256", "strong"),
                           now=("delta", 7000)),
    "before_iat": dict(method="GET", path=transfer(), auth=bearer("HS256", "strong"),
                       now=("delta", -3000)),
    "far_past_now": dict(method="GET", path=transfer(), auth=bearer("ES256", "admin"),
                         now=("wide", -(1 << 39))),
    "extreme_now": dict(method="POST", path=transfer(), auth=bearer("EdDSA", "stale"),
                        now=("any", (1 << 63) - 1), explain=True),
    "odd_method_and_headers": dict(method="POST ", path=transfer(),
                                   headers=[("", ""), ("X-DEBUG ", "on\r\n"),
                                            ("Authorization", "Basic x")],
                                   ip="2001:db8::1", auth=bearer("ES256", "strong")),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus", "decide")
    os.makedirs(target, exist_ok=True)
    for name in os.listdir(target):
        os.remove(os.path.join(target, name))
    for name, seed in SEEDS.items():
        with open(os.path.join(target, name), "wb") as f:
            f.write(encode(seed))
    print(f"wrote {len(SEEDS)} seeds to {target}")


if __name__ == "__main__":
    main()
