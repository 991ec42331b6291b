# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Mints JWS access tokens with PyJWT, an implementation independent of stepup.

Usage: /usr/bin/python3 mint_tokens.py OUTPUT_DIR

Writes OUTPUT_DIR/jwks.json (the public keys) and OUTPUT_DIR/tokens.json (a list
of {"name", "alg", "kid", "token", "expect", "claims"}), read by interop_test.cc.
Keys are generated on every run, so none is ever committed.
"""

import base64
import json
import os
import secrets
import sys
import time

try:
    import cryptography
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from jwt.algorithms import HMACAlgorithm, OKPAlgorithm, RSAAlgorithm
except ImportError as error:
    # The interop test must fail, never skip, when the minter cannot run.
    sys.exit(
        f"mint_tokens.py: {sys.executable} cannot import PyJWT or cryptography ({error}).\n"
        "Install the Debian packages python3-jwt and python3-cryptography: "
        "run scripts/install-deps.sh."
    )

ISSUER = "https://as.example.com"
AUDIENCE = "https://api.example.com"
OTHER_AUDIENCE = "https://other-api.example.com"
ACR = "urn:example:mfa"

RSA_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
EC_CURVES = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1, "ES512": ec.SECP521R1}
EC_CRV_NAMES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
HMAC_SIZES = {"HS256": 32, "HS384": 48, "HS512": 64}
ALL_ALGS = RSA_ALGS + list(EC_CURVES) + ["EdDSA"] + list(HMAC_SIZES)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_key(alg):
    """A fresh signing key for alg: what jwt.encode takes."""
    if alg in RSA_ALGS:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if alg in EC_CURVES:
        return ec.generate_private_key(EC_CURVES[alg]())
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    return secrets.token_bytes(HMAC_SIZES[alg])


def public_jwk(alg, key, kid):
    """The public JWK of key, bound to kid and alg."""
    if alg in RSA_ALGS:
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    elif alg in EC_CURVES:
        # Built by hand: PyJWT 2.6's ECAlgorithm.to_jwk strips leading zero
        # bytes from x and y, but RFC 7518 §6.2.1.2 requires full-size
        # coordinates (a P-521 coordinate starts with 0x00 half the time).
        numbers = key.public_key().public_numbers()
        size = (key.curve.key_size + 7) // 8
        jwk = {
            "kty": "EC",
            "crv": EC_CRV_NAMES[alg],
            "x": b64url(numbers.x.to_bytes(size, "big")),
            "y": b64url(numbers.y.to_bytes(size, "big")),
        }
    elif alg == "EdDSA":
        jwk = json.loads(OKPAlgorithm.to_jwk(key.public_key()))
    else:
        jwk = json.loads(HMACAlgorithm.to_jwk(key))
    for member in ("d", "p", "q", "dp", "dq", "qi"):
        if member in jwk:
            sys.exit(f"mint_tokens.py: private member {member!r} in the {alg} public JWK")
    jwk["kid"] = kid
    jwk["alg"] = alg
    return jwk


def claims_at(now, audience=AUDIENCE, exp=None, sub="alice"):
    return {
        "iss": ISSUER,
        "aud": audience,
        "sub": sub,
        "exp": now + 600 if exp is None else exp,
        "iat": now,
        "auth_time": now - 30,
        "acr": ACR,
        "scope": "read write",
    }


def flip_signature_bit(token):
    """The token with one bit of its signature flipped, still canonical base64url.

    Editing the last base64url character could change only the unused low bits,
    which stepup rightly refuses as non-canonical encoding instead of reaching
    the signature check. Flipping a bit of the decoded bytes cannot.
    """
    signing_input, signature = token.rsplit(".", 1)
    raw = bytearray(b64url_decode(signature))
    raw[0] ^= 0x01
    return signing_input + "." + b64url(bytes(raw))


def case(name, alg, kid, token, expect, claims=None):
    entry = {"name": name, "alg": alg, "kid": kid, "token": token, "expect": expect}
    if claims is not None:
        # Only what the test reads back from a verified token.
        entry["claims"] = {k: claims[k] for k in ("sub", "acr", "auth_time")}
    return entry


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mint_tokens.py OUTPUT_DIR")
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    # A failed run must not leave the previous run's files for the verifier.
    for stale in ("jwks.json", "tokens.json"):
        path = os.path.join(out_dir, stale)
        if os.path.exists(path):
            os.remove(path)

    now = int(time.time())
    keys = []
    signing_keys = {}
    cases = []
    for alg in ALL_ALGS:
        kid = f"interop-{alg}"
        key = signing_keys[alg] = generate_key(alg)
        keys.append(public_jwk(alg, key, kid))
        headers = {"kid": kid, "typ": "at+jwt"}

        def mint(claims, signing_key=key, token_headers=headers, alg=alg):
            token = jwt.encode(claims, signing_key, algorithm=alg, headers=token_headers)
            # PyJWT < 2 returned bytes; 2.x returns str. Fail loudly on surprises.
            if not isinstance(token, str):
                sys.exit(f"mint_tokens.py: jwt.encode returned {type(token)} for {alg}")
            header = jwt.get_unverified_header(token)
            if header.get("alg") != alg or header.get("kid") != token_headers["kid"]:
                sys.exit(f"mint_tokens.py: unexpected {alg} header {header}")
            return token

        valid_claims = claims_at(now, sub=f"alice-{alg}")
        valid = mint(valid_claims)
        cases.append(case(f"{alg}/valid", alg, kid, valid, "Ok", valid_claims))
        cases.append(
            case(
                f"{alg}/other-audience",
                alg,
                kid,
                mint(claims_at(now, audience=OTHER_AUDIENCE)),
                "AudienceMismatch",
            )
        )
        expired = claims_at(now - 4200, exp=now - 3600)
        cases.append(case(f"{alg}/expired", alg, kid, mint(expired), "Expired"))
        cases.append(
            case(f"{alg}/flipped-signature-bit", alg, kid, flip_signature_bit(valid),
                 "SignatureInvalid")
        )
        # Same type and size as the real key, so only the signature check can tell.
        impostor = mint(claims_at(now), signing_key=generate_key(alg))
        cases.append(case(f"{alg}/other-key-same-kid", alg, kid, impostor, "SignatureInvalid"))

    # A JWT typ where RFC 9068 access tokens must say at+jwt.
    # Validly signed, so only the typ check can refuse it.
    jwt_typ = jwt.encode(claims_at(now), signing_keys["ES256"], algorithm="ES256",
                         headers={"kid": "interop-ES256", "typ": "JWT"})
    cases.append(case("ES256/typ-JWT", "ES256", "interop-ES256", jwt_typ, "TypMismatch"))

    # Unsecured JWS (RFC 7519 §6): "alg":"none" with an empty signature, as
    # PyJWT itself makes it: refused for what it is, AlgNone.
    unsecured = jwt.encode(claims_at(now), None, algorithm="none", headers={"typ": "at+jwt"})
    cases.append(case("none/empty-signature", "none", "", unsecured, "AlgNone"))
    # The classic downgrade: a real signed token relabelled "alg":"none" and
    # keeping its kid and signature, so the header check is what refuses it.
    header = b64url(
        json.dumps({"alg": "none", "kid": "interop-RS256", "typ": "at+jwt"},
                   separators=(",", ":")).encode()
    )
    rs256_valid = next(c["token"] for c in cases if c["name"] == "RS256/valid")
    _, payload, signature = rs256_valid.split(".")
    cases.append(case("none/relabelled-RS256", "none", "interop-RS256",
                      f"{header}.{payload}.{signature}", "AlgNone"))

    with open(os.path.join(out_dir, "jwks.json"), "w", encoding="utf-8") as out:
        json.dump({"keys": keys}, out, indent=1)
    # tokens.json last: its presence means the run completed.
    with open(os.path.join(out_dir, "tokens.json"), "w", encoding="utf-8") as out:
        json.dump(cases, out, indent=1)

    per_alg = {}
    for c in cases:
        per_alg[c["alg"]] = per_alg.get(c["alg"], 0) + 1
    print(f"PyJWT {jwt.__version__}, cryptography {cryptography.__version__}, "
          f"Python {sys.version.split()[0]}: {len(keys)} keys, {len(cases)} cases in {out_dir}")
    print("cases per alg: " + ", ".join(f"{a} {n}" for a, n in per_alg.items()))


if __name__ == "__main__":
    main()
