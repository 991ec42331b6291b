#!/usr/bin/python3
"""Regenerates the demo key set and tokens in this folder.

Run with Debian's python3 (python3-jwt, python3-cryptography). The private
key lives only in memory: what is committed is the public JWKS and tokens
signed at a fixed time, which the demo validates with --now.
"""
import base64
import json
import os

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1800000000  # The demo's fixed clock: 2027-01-15T08:00:00Z.
ISSUER = "https://as.example.com"
AUDIENCE = "https://api.example.com"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(key, kid):
    numbers = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "use": "sig",
            "x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))}


def main():
    key = ec.generate_private_key(ec.SECP256R1())
    stranger = ec.generate_private_key(ec.SECP256R1())
    header = {"kid": "demo-es256", "typ": "at+jwt"}
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "iat": NOW - 60,
              "exp": NOW + 3600, "auth_time": NOW - 120, "acr": "urn:example:mfa",
              "scope": "payments:write"}
    tokens = {
        "valid": jwt.encode(claims, key, algorithm="ES256", headers=header),
        "expired": jwt.encode(dict(claims, exp=NOW - 600), key, algorithm="ES256", headers=header),
        "forged": jwt.encode(dict(claims, sub="mallory"), stranger, algorithm="ES256",
                             headers=header),
        "wrong-audience": jwt.encode(dict(claims, aud="https://other.example.com"), key,
                                     algorithm="ES256", headers=header),
        "alg-none": jwt.encode(claims, None, algorithm="none", headers={"typ": "at+jwt"}),
    }
    with open(os.path.join(HERE, "demo.jwks.json"), "w") as out:
        json.dump({"keys": [public_jwk(key, "demo-es256")]}, out, indent=2)
        out.write("\n")
    for name, token in tokens.items():
        with open(os.path.join(HERE, name + ".jwt"), "w") as out:
            out.write(token + "\n")


if __name__ == "__main__":
    main()
