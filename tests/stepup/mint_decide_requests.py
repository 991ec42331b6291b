# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Writes a policy folder and request files for the `stepup decide` tests.

Usage: /usr/bin/python3 mint_decide_requests.py OUTPUT_DIR EXAMPLE_POLICY_JSON

OUTPUT_DIR/policy.json is the example policy, unchanged; OUTPUT_DIR/keys.jwks.json
holds fresh public keys generated on every run (none is committed), and
OUTPUT_DIR/requests/NAME.json one request per case of decide_expectations.json,
with tokens minted by PyJWT (Debian's python3-jwt) for the fixed clock NOW.
"""

import base64
import json
import os
import shutil
import sys

try:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
except ImportError as error:
    # The tests must fail, never skip, when the minter cannot run.
    sys.exit(
        f"mint_decide_requests.py: {sys.executable} cannot import PyJWT or cryptography "
        f"({error}).\nInstall the Debian packages python3-jwt and python3-cryptography."
    )

NOW = 1800000000  # The --now of every decide test.
ISSUER = "https://as.example.com"
AUDIENCE = "https://api.example.com"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ec_jwk(key, kid):
    numbers = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "use": "sig",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big"))}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mint_decide_requests.py OUTPUT_DIR EXAMPLE_POLICY_JSON")
    out_dir, example_policy = sys.argv[1], sys.argv[2]
    # A failed run must not leave the previous run's files behind.
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(os.path.join(out_dir, "requests"))

    # One key per algorithm the example policy allows (RS256, ES256, EdDSA).
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    stranger = ec.generate_private_key(ec.SECP256R1())
    ed_jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(ed_key.public_key()))
    ed_jwk.update({"kid": "fresh-ed", "alg": "EdDSA", "use": "sig"})
    rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    rsa_jwk.update({"kid": "fresh-rsa", "alg": "RS256", "use": "sig"})
    keys = {"keys": [rsa_jwk, ec_jwk(ec_key, "fresh-ec"), ed_jwk]}
    for jwk in keys["keys"]:
        if any(member in jwk for member in ("d", "p", "q", "dp", "dq", "qi")):
            sys.exit("mint_decide_requests.py: a private member in a public JWK")

    def token(alg="ES256", key=None, kid=None, **overrides):
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "iat": NOW - 10,
                  "exp": NOW + 600, "acr": "urn:example:mfa", "auth_time": NOW - 120,
                  "scope": "payments:write accounts:read"}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        default_key, default_kid = {"RS256": (rsa_key, "fresh-rsa"), "ES256": (ec_key, "fresh-ec"),
                                    "EdDSA": (ed_key, "fresh-ed")}[alg]
        encoded = jwt.encode(claims, key or default_key, algorithm=alg,
                             headers={"kid": kid or default_kid, "typ": "at+jwt"})
        if not isinstance(encoded, str):
            sys.exit(f"mint_decide_requests.py: jwt.encode returned {type(encoded)}")
        return "Bearer " + encoded

    unsecured = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "exp": NOW + 600,
                            "acr": "urn:example:hwk", "auth_time": NOW - 10},
                           None, algorithm="none", headers={"typ": "at+jwt"})
    transfer = {"method": "POST", "path": "/payments/transfers/7"}
    requests = {
        "weak_acr": dict(transfer, authorization=token(acr="urn:example:pwd")),
        "stale": dict(transfer, authorization=token(auth_time=NOW - 3600)),
        "stepped_up": dict(transfer, authorization=token()),
        "stepped_up_eddsa": dict(transfer, authorization=token("EdDSA", acr="urn:example:hwk")),
        "stepped_up_rs256": dict(transfer, authorization=token("RS256", acr="urn:example:hwk")),
        "missing_claims": dict(transfer, authorization=token(acr=None, auth_time=None)),
        "no_scope": dict(transfer, authorization=token(scope="accounts:read")),
        "forged": dict(transfer, authorization=token(key=stranger)),
        "unknown_kid": dict(transfer, authorization=token(kid="rotated-away")),
        "expired": dict(transfer, authorization=token(exp=NOW - 120)),
        "wrong_audience": dict(transfer, authorization=token(aud="https://other.example.com")),
        "alg_none": dict(transfer, authorization="Bearer " + unsecured),
        "no_credentials": dict(transfer),
        "basic": dict(transfer, authorization="Basic dXNlcjpwYXNz"),
        "read_weak": {"method": "GET", "path": "/accounts/42",
                      "authorization": token(acr="urn:example:pwd"),
                      "headers": {"X-Request-Id": "r-1"}, "client_ip": "203.0.113.5"},
        "introspected_inactive": dict(transfer, claims={"active": False}),
        "introspected_weak": dict(transfer, claims={
            "active": True, "iss": ISSUER, "sub": "alice", "acr": "urn:example:pwd",
            "auth_time": NOW - 60, "scope": "payments:write"}),
    }

    shutil.copyfile(example_policy, os.path.join(out_dir, "policy.json"))
    with open(os.path.join(out_dir, "keys.jwks.json"), "w", encoding="utf-8") as out:
        json.dump(keys, out, indent=1)
    for name, request in requests.items():
        with open(os.path.join(out_dir, "requests", name + ".json"), "w", encoding="utf-8") as out:
            json.dump(request, out, indent=1)
    # Written last: its presence means the run completed.
    with open(os.path.join(out_dir, "done"), "w", encoding="utf-8") as out:
        out.write(f"PyJWT {jwt.__version__}: {len(requests)} requests\n")
    print(f"PyJWT {jwt.__version__}: {len(requests)} requests in {out_dir}")


if __name__ == "__main__":
    main()
