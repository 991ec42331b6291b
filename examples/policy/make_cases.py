#!/usr/bin/python3
"""Regenerates keys.jwks.json and cases.json for the example policy.

Run with Debian's python3 (python3-jwt, python3-cryptography). Private keys
live only in memory; what is committed is the public JWKS and tokens signed
for the fixed clock `now` of the case table.
"""
import base64
import json
import os

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1800000000
REALM = 'Bearer realm="api.example.com"'
ACR_CHALLENGE = (REALM + ', error="insufficient_user_authentication", error_description="A different '
                 'authentication level is required", acr_values="urn:example:mfa urn:example:hwk"')
AGE_CHALLENGE = (REALM + ', error="insufficient_user_authentication", error_description="More recent '
                 'authentication is required", max_age="300"')


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    stranger = ec.generate_private_key(ec.SECP256R1())
    rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    numbers = ec_key.public_key().public_numbers()
    ec_jwk = {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
              "y": b64url(numbers.y.to_bytes(32, "big"))}
    ed_jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(ed_key.public_key()))
    keys = []
    for jwk, kid, alg in ((rsa_jwk, "as-rsa", "RS256"), (ec_jwk, "as-ec", "ES256"),
                          (ed_jwk, "as-ed", "EdDSA")):
        jwk.update({"kid": kid, "alg": alg, "use": "sig"})
        keys.append(jwk)
    signers = {"RS256": (rsa_key, "as-rsa"), "ES256": (ec_key, "as-ec"), "EdDSA": (ed_key, "as-ed")}

    def token(alg="ES256", key=None, kid=None, **overrides):
        claims = {"iss": "https://as.example.com", "aud": "https://api.example.com", "sub": "alice",
                  "iat": NOW - 10, "exp": NOW + 600, "acr": "urn:example:mfa",
                  "auth_time": NOW - 120, "scope": "payments:write accounts:read"}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        signing_key, default_kid = signers[alg]
        return "Bearer " + jwt.encode(claims, key or signing_key, algorithm=alg,
                                      headers={"kid": kid or default_kid, "typ": "at+jwt"})

    transfer = {"method": "POST", "path": "/payments/transfers/7"}

    def case(name, request, decision, status, header=None):
        entry = {"name": name, "request": request, "decision": decision, "status": status}
        if header is not None:
            entry["www_authenticate"] = header
        return entry

    cases = [
        case("weak acr gets an acr_values challenge",
             dict(transfer, authorization=token(acr="urn:example:pwd")), "deny", 401, ACR_CHALLENGE),
        case("stale authentication gets a max_age challenge",
             dict(transfer, authorization=token(auth_time=NOW - 3600)), "deny", 401, AGE_CHALLENGE),
        case("fresh MFA with scope is permitted",
             dict(transfer, authorization=token()), "permit", 200),
        case("hardware key is stronger than MFA (RS256)",
             dict(transfer, authorization=token("RS256", acr="urn:example:hwk")), "permit", 200),
        case("EdDSA token works too", dict(transfer, authorization=token("EdDSA")), "permit", 200),
        case("unknown acr is below every level",
             dict(transfer, authorization=token(acr="urn:other:level")), "deny", 401, ACR_CHALLENGE),
        case("missing acr and auth_time: no step-up challenge",
             dict(transfer, authorization=token(acr=None, auth_time=None)), "deny", 403),
        case("strong but without the scope is forbidden",
             dict(transfer, authorization=token(scope="accounts:read")), "deny", 403),
        case("no credentials: a bare Bearer challenge",
             dict(transfer), "deny", 401, REALM),
        case("forged token is invalid_token",
             dict(transfer, authorization=token(key=stranger)), "indeterminate", 401,
             REALM + ', error="invalid_token", error_description="the token signature is invalid"'),
        case("expired token is invalid_token",
             dict(transfer, authorization=token(exp=NOW - 120)), "indeterminate", 401,
             REALM + ', error="invalid_token", error_description="the token has expired"'),
        case("Basic credentials are a bad request",
             dict(transfer, authorization="Basic dXNlcjpwYXNz"), "indeterminate", 400),
        case("reads need only a valid token",
             {"method": "GET", "path": "/accounts/42", "authorization": token(acr="urn:example:pwd")},
             "permit", 200),
        case("transfers outside transfers/** are not covered",
             dict(transfer, path="/payments/refunds/1", authorization=token()), "deny", 403),
        case("weak acr and stale: first-applicable names only the first requirement",
             dict(transfer, authorization=token(acr="urn:example:pwd", auth_time=NOW - 3600)),
             "deny", 401, ACR_CHALLENGE),
    ]
    with open(os.path.join(HERE, "keys.jwks.json"), "w") as out:
        json.dump({"keys": keys}, out, indent=2)
        out.write("\n")
    with open(os.path.join(HERE, "cases.json"), "w") as out:
        json.dump({"now": NOW, "cases": cases}, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
