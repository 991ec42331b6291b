# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Writes the hostile-token corpus of tests/hostile/ (run once, output committed).

    /usr/bin/python3 tests/hostile/make_corpus.py

Needs Debian's python3-cryptography and python3-jwt; the C++ test that reads
the corpus (tests/token/hostile_corpus_test.cc) needs neither.

Every run makes new keys, so it rewrites every file it owns:
  keys/*.jwks.json   the verification keys of each validator configuration
                     (public keys, plus one HMAC secret: all test-only);
  tokens.json        the manifest: validator configurations, token cases,
                     Authorization header cases and JWK Set load cases, each
                     with the exact expected refusal, a reason and a reference.
The private halves live only in this process: regenerating needs none of them.

Each token is written exactly as an attacker would send it, so the bytes are
built by hand here (PyJWT refuses most of them); PyJWT mints the valid
control tokens, an independent implementation checking the keys and claims.
"""

import base64
import datetime
import json
import os
import sys

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))

# The instant every case is validated at (tests/support/token_fixture.h kTestNow).
NOW = 1800000000
ISSUER = "https://as.example.com"
AUDIENCE = "https://api.example.com"
ALL_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
                  "ES512", "EdDSA", "HS256", "HS384", "HS512"]

# Group orders (SEC 2 / FIPS 186-4) and the Ed25519 group order L (RFC 8032).
CURVE_ORDER = {
    "ES256": int("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16),
    "ES384": int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
                 "581a0db248b0a77aecec196accc52973", 16),
    "ES512": int("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                 "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409", 16),
}
ED25519_L = 2**252 + 27742317777372353535851937790883648493
SCALAR_BYTES = {"ES256": 32, "ES384": 48, "ES512": 66}
HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64_int(value, size=None):
    size = size or max(1, (value.bit_length() + 7) // 8)
    return b64(value.to_bytes(size, "big"))


def as_bytes(part):
    """A header or payload: a dict (compact JSON), str (exact JSON text) or bytes."""
    if isinstance(part, dict):
        return json.dumps(part, separators=(",", ":")).encode("utf-8")
    if isinstance(part, str):
        return part.encode("utf-8")
    return part


class Keys:
    """The issuer's keys (their public halves go into keys/*.jwks.json)."""

    def __init__(self):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = {"ES256": ec.generate_private_key(ec.SECP256R1()),
                   "ES384": ec.generate_private_key(ec.SECP384R1()),
                   "ES512": ec.generate_private_key(ec.SECP521R1())}
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self.hmac_secret = os.urandom(64)
        self.kid = {"RS": "rsa-2048", "PS": "rsa-2048", "ES256": "ec-p256", "ES384": "ec-p384",
                    "ES512": "ec-p521", "EdDSA": "ed25519", "HS": "hmac-512"}

    def kid_for(self, alg):
        return self.kid.get(alg, self.kid.get(alg[:2]))

    def rsa_jwk(self):
        numbers = self.rsa.public_key().public_numbers()
        return {"kty": "RSA", "kid": self.kid["RS"], "use": "sig",
                "n": b64_int(numbers.n), "e": b64_int(numbers.e)}

    def ec_jwk(self, alg):
        numbers = self.ec[alg].public_key().public_numbers()
        size = SCALAR_BYTES[alg]
        crv = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[alg]
        return {"kty": "EC", "kid": self.kid[alg], "crv": crv, "alg": alg,
                "x": b64_int(numbers.x, size), "y": b64_int(numbers.y, size)}

    def ed_jwk(self):
        raw = self.ed.public_key().public_bytes(serialization.Encoding.Raw,
                                                serialization.PublicFormat.Raw)
        return {"kty": "OKP", "kid": self.kid["EdDSA"], "crv": "Ed25519", "x": b64(raw)}

    def hmac_jwk(self):
        return {"kty": "oct", "kid": self.kid["HS"], "k": b64(self.hmac_secret)}

    def private_for(self, alg):
        if alg[:2] in ("RS", "PS"):
            return self.rsa
        if alg in self.ec:
            return self.ec[alg]
        if alg == "EdDSA":
            return self.ed
        return self.hmac_secret


def sign(key, alg, signing_input, der=False):
    """The JWS signature (raw R||S for ECDSA unless `der`) of `signing_input`."""
    if alg.startswith("HS"):
        mac = hmac.HMAC(key, HASHES[alg[2:]]())
        mac.update(signing_input)
        return mac.finalize()
    if alg.startswith("RS"):
        return key.sign(signing_input, padding.PKCS1v15(), HASHES[alg[2:]]())
    if alg.startswith("PS"):
        digest = HASHES[alg[2:]]()
        return key.sign(signing_input,
                        padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size),
                        digest)
    if alg.startswith("ES"):
        signature = key.sign(signing_input, ec.ECDSA(HASHES[alg[2:]]()))
        if der:
            return signature
        r, s = decode_dss_signature(signature)
        size = SCALAR_BYTES[alg]
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg == "EdDSA":
        return key.sign(signing_input)
    raise ValueError(alg)


def mint(header, payload, key, alg, der=False):
    signing_input = (b64(as_bytes(header)) + "." + b64(as_bytes(payload))).encode("ascii")
    return signing_input.decode("ascii") + "." + b64(sign(key, alg, signing_input, der))


def unsigned(header, payload, signature=b""):
    return b64(as_bytes(header)) + "." + b64(as_bytes(payload)) + "." + b64(signature)


class Corpus:
    def __init__(self, keys):
        self.keys = keys
        self.tokens = []
        self.authorization = []
        self.jwks = []
        self.names = set()

    def _name(self, name):
        if name in self.names:
            raise ValueError("duplicate case name " + name)
        self.names.add(name)

    def token(self, name, token, expect, why, ref, config="default"):
        self._name(name)
        # The token last: the rest of the line reads as the case's summary.
        case = {"name": name, "config": config, "expect": expect, "why": why, "ref": ref}
        if isinstance(token, list):
            case["token_parts"] = token
        else:
            case["token"] = token
        self.tokens.append(case)

    def header_case(self, name, value, expect, why, ref, token=None):
        self._name(name)
        case = {"name": name, "expect": expect, "why": why, "ref": ref, "authorization": value}
        if token is not None:
            case["token"] = token
        self.authorization.append(case)

    def jwks_case(self, name, jwks, expect_error, why, ref):
        self._name(name)
        text = jwks if isinstance(jwks, str) else json.dumps(jwks, separators=(",", ":"))
        self.jwks.append({"name": name, "expect_error": expect_error, "why": why, "ref": ref,
                          "jwks": text})

    # --- helpers over the issuer's keys ----------------------------------------------------
    def header(self, alg, **extra):
        header = {"alg": alg, "kid": self.keys.kid_for(alg), "typ": "at+jwt"}
        header.update(extra)
        return header

    def signed(self, alg, header=None, payload=None, der=False):
        return mint(header if header is not None else self.header(alg),
                    payload if payload is not None else claims(), self.keys.private_for(alg),
                    alg, der)

    def resigned(self, alg, header, payload_text):
        """A token whose claims are `payload_text` exactly (str or bytes), validly signed."""
        return mint(header if header is not None else self.header(alg), payload_text,
                    self.keys.private_for(alg), alg)


def claims(**overrides):
    """The claims of a valid access token at NOW; None removes a claim."""
    result = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "exp": NOW + 600,
              "iat": NOW - 10, "auth_time": NOW - 60, "acr": "urn:example:mfa",
              "scope": "read write", "client_id": "hostile-corpus"}
    for name, value in overrides.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def claims_text(extra):
    """Claims as JSON text with `extra` (raw JSON members) appended."""
    base = json.dumps(claims(), separators=(",", ":"))
    return base[:-1] + "," + extra + "}"


def claims_bytes(extra):
    """Claims as bytes with `extra` (raw bytes of JSON members) appended."""
    return json.dumps(claims(), separators=(",", ":"))[:-1].encode("utf-8") + b"," + extra + b"}"


def claims_text_without(name, extra):
    base = json.dumps(claims(**{name: None}), separators=(",", ":"))
    return base[:-1] + "," + extra + "}"


def with_signature(token, signature):
    return token[:token.rfind(".") + 1] + b64(signature)


def signature_of(token):
    segment = token[token.rfind(".") + 1:]
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def set_unused_bits(segment):
    """The same bytes spelled with non-zero unused bits in the last character."""
    if len(segment) % 4 == 0:
        raise ValueError("segment has no unused bits")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(segment[-1])
    return segment[:-1] + alphabet[last | 1]


def replace_segment(token, index, segment):
    parts = token.split(".")
    parts[index] = segment
    return ".".join(parts)


def pem(public_key, fmt=serialization.PublicFormat.SubjectPublicKeyInfo):
    return public_key.public_bytes(serialization.Encoding.PEM, fmt)


def self_signed_certificate(private_key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker.example")])
    start = datetime.datetime(2026, 1, 1)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(private_key.public_key()).serial_number(1)
                   .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
                   .sign(private_key, hashes.SHA256()))
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode("ascii")


def repeated_b64(prefix, filler, count, suffix):
    """base64url(prefix + filler * count + suffix) as parts, without spelling out the
    repetition: `prefix` and `filler` are multiples of 3 bytes, so each copy of the
    filler encodes to the same 4-character groups."""
    assert len(prefix) % 3 == 0 and len(filler) % 3 == 0
    return [{"text": b64(prefix)}, {"repeat": b64(filler), "count": count}, {"text": b64(suffix)}]


def parts_text(parts):
    return "".join(p["text"] if "text" in p else p["repeat"] * p["count"] for p in parts)


def add_control_cases(c):
    keys = c.keys
    for alg in ALL_ALGORITHMS:
        # PyJWT mints the controls: an independent implementation agreeing with stepup on
        # what a valid token is shows that every refusal below is the input's fault.
        key = keys.private_for(alg)
        if alg == "EdDSA":
            token = jwt.encode(claims(), key, algorithm="EdDSA",
                               headers={"kid": keys.kid_for(alg), "typ": "at+jwt"})
        else:
            token = jwt.encode(claims(), key, algorithm=alg,
                               headers={"kid": keys.kid_for(alg), "typ": "at+jwt"})
        c.token("control_valid_" + alg, token, "Ok",
                "a valid token of every algorithm is accepted, so each refusal is meaningful",
                "RFC 7515 §5.2, RFC 9068 §4")
    c.token("control_valid_without_kid", c.signed("ES256", {"alg": "ES256", "typ": "at+jwt"}),
            "Ok", "without kid, the keys bound to the alg are tried", "RFC 7515 §4.1.4")
    c.token("control_typ_case_and_prefix",
            c.signed("ES256", c.header("ES256", typ="application/AT+JWT")), "Ok",
            "typ is a media type: case-insensitive, application/ optional", "RFC 9068 §2.1")
    c.token("control_exp_at_the_largest_numeric_date",
            c.signed("ES256", payload=claims(exp=253402300799)), "Ok",
            "253402300799 (9999-12-31T23:59:59Z) is the last NumericDate stepup accepts",
            "docs/choices.md")


def add_alg_none_cases(c):
    keys = c.keys
    valid = c.signed("ES256")
    for spelling in ["none", "None", "NONE", "nOnE"]:
        c.token("alg_" + spelling + "_empty_signature",
                unsigned({"alg": spelling, "typ": "at+jwt"}, claims()), "AlgNone",
                "unsecured JWS in any letter case is never accepted",
                "RFC 8725 §2.1/§3.1; McLean 2015 'Critical vulnerabilities in JWT libraries'")
    c.token("alg_none_with_real_signature",
            replace_segment(valid, 0, b64(as_bytes({"alg": "none", "kid": "ec-p256",
                                                    "typ": "at+jwt"}))),
            "AlgNone", "alg none keeps a left-over signature: still unsecured", "RFC 8725 §2.1")
    c.token("alg_none_with_kid", unsigned({"alg": "none", "kid": "hmac-512", "typ": "at+jwt"},
                                          claims()),
            "AlgNone", "a kid never turns an unsecured token into a signed one", "RFC 8725 §3.1")
    c.token("alg_none_trailing_space",
            unsigned({"alg": "none ", "typ": "at+jwt"}, claims()), "AlgUnknown",
            "a near-miss spelling of none is no algorithm at all", "RFC 7515 §4.1.1")
    c.token("alg_none_nul_suffix",
            unsigned('{"alg":"none\\u0000","typ":"at+jwt"}', claims()), "AlgUnknown",
            "an escaped NUL must not truncate the alg to none (C-string handling)",
            "RFC 8259 §7; RFC 8725 §3.1")
    c.token("alg_hs256_nul_suffix",
            mint('{"alg":"HS256\\u0000","kid":"hmac-512","typ":"at+jwt"}', claims(),
                 keys.hmac_secret, "HS256"),
            "AlgUnknown", "HS256 followed by an escaped NUL is not HS256", "RFC 7515 §4.1.1")
    c.token("alg_missing", unsigned({"typ": "at+jwt"}, claims(), b"x"), "AlgMissing",
            "alg is required", "RFC 7515 §4.1.1")
    c.token("alg_null", unsigned({"alg": None, "typ": "at+jwt"}, claims(), b"x"), "AlgMissing",
            "alg must be a string", "RFC 7515 §4.1.1")
    c.token("alg_array", unsigned({"alg": ["ES256"], "typ": "at+jwt"}, claims(), b"x"),
            "AlgMissing", "alg as a list (type confusion)", "RFC 7515 §4.1.1")
    c.token("alg_empty_string", unsigned({"alg": "", "typ": "at+jwt"}, claims(), b"x"),
            "AlgUnknown", "an empty alg names nothing", "RFC 7515 §4.1.1")
    c.token("alg_lowercase_rs256",
            mint({"alg": "rs256", "kid": "rsa-2048", "typ": "at+jwt"}, claims(), keys.rsa,
                 "RS256"),
            "AlgUnknown", "alg values are case-sensitive", "RFC 7515 §4.1.1, RFC 7518 §3.1")
    c.token("alg_unsupported_es256k",
            unsigned({"alg": "ES256K", "kid": "ec-p256", "typ": "at+jwt"}, claims(), b"x" * 64),
            "AlgUnknown", "an algorithm stepup does not implement", "RFC 8725 §3.2")


def add_confusion_cases(c):
    keys = c.keys
    rsa_public = keys.rsa.public_key()
    ec_public = keys.ec["ES256"].public_key()
    secrets = {
        "rsa_spki_pem": pem(rsa_public),
        "rsa_pkcs1_pem": pem(rsa_public, serialization.PublicFormat.PKCS1),
        "rsa_openssh": rsa_public.public_bytes(serialization.Encoding.OpenSSH,
                                               serialization.PublicFormat.OpenSSH),
        "rsa_spki_der": rsa_public.public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo),
        "rsa_jwk": json.dumps(keys.rsa_jwk(), separators=(",", ":")).encode("utf-8"),
    }
    refs = {
        "rsa_spki_pem": "CVE-2015-9235 (jsonwebtoken), CVE-2016-10555 (jwt-simple)",
        "rsa_pkcs1_pem": "CVE-2017-11424 (PyJWT), CVE-2023-48223 (fast-jwt)",
        "rsa_openssh": "CVE-2022-29217 (PyJWT)",
        "rsa_spki_der": "CVE-2016-5431 (php-jose)",
        "rsa_jwk": "RFC 8725 §2.1",
    }
    for form, secret in secrets.items():
        header = {"alg": "HS256", "kid": "rsa-2048", "typ": "at+jwt"}
        c.token("confusion_hs256_" + form + "_kid_rsa", mint(header, claims(), secret, "HS256"),
                "KeyAlgorithmMismatch",
                "HS256 signed with the RSA public key as secret; the kid names the RSA key, "
                "which never acts as an HMAC secret", refs[form], config="rsa_and_hmac")
        c.token("confusion_hs256_" + form + "_no_kid",
                mint({"alg": "HS256", "typ": "at+jwt"}, claims(), secret, "HS256"),
                "SignatureInvalid",
                "HS256 with the RSA public key as secret and no kid: only the real HMAC key "
                "is tried", refs[form], config="rsa_and_hmac")
    c.token("confusion_hs256_rsa_pem_rs256_only",
            mint({"alg": "HS256", "kid": "rsa-2048", "typ": "at+jwt"}, claims(),
                 secrets["rsa_spki_pem"], "HS256"),
            "AlgNotAllowed", "HS256 is not on an RS256-only allow-list",
            "RFC 8725 §3.1; CVE-2015-9235", config="rs256_only")
    c.token("confusion_hs256_ec_pem_kid_ec",
            mint({"alg": "HS256", "kid": "ec-p256", "typ": "at+jwt"}, claims(), pem(ec_public),
                 "HS256"),
            "KeyAlgorithmMismatch", "HS256 with the EC public key's PEM as secret",
            "CVE-2024-33663 (python-jose)")
    c.token("confusion_hs256_ec_openssh_kid_ec",
            mint({"alg": "HS256", "kid": "ec-p256", "typ": "at+jwt"}, claims(),
                 ec_public.public_bytes(serialization.Encoding.OpenSSH,
                                        serialization.PublicFormat.OpenSSH), "HS256"),
            "KeyAlgorithmMismatch", "HS256 with the EC key in OpenSSH form as secret",
            "CVE-2022-29217 (PyJWT), CVE-2024-33663 (python-jose)")
    ed_raw = keys.ed.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    c.token("confusion_hs256_ed25519_raw_kid_ed",
            mint({"alg": "HS256", "kid": "ed25519", "typ": "at+jwt"}, claims(), ed_raw, "HS256"),
            "KeyAlgorithmMismatch", "HS256 with the 32 raw Ed25519 public key bytes as secret",
            "RFC 8725 §2.1")
    c.token("confusion_hs256_ec_pem_ec_only",
            mint({"alg": "HS256", "kid": "ec-p256", "typ": "at+jwt"}, claims(), pem(ec_public),
                 "HS256"),
            "AlgNotAllowed", "an ES256-only validator never runs HMAC", "RFC 8725 §3.1",
            config="ec_only")
    c.token("confusion_rs256_token_ec_only", c.signed("RS256"), "AlgNotAllowed",
            "an RS256 token against an ES256-only validator", "RFC 8725 §3.1", config="ec_only")
    c.token("confusion_rs256_kid_ec",
            mint({"alg": "RS256", "kid": "ec-p256", "typ": "at+jwt"}, claims(), keys.rsa,
                 "RS256"),
            "KeyAlgorithmMismatch", "an RS256 token whose kid names the EC key",
            "RFC 8725 §3.1; RFC 7517 §4.4")
    c.token("confusion_es256_kid_rsa",
            mint({"alg": "ES256", "kid": "rsa-2048", "typ": "at+jwt"}, claims(),
                 keys.ec["ES256"], "ES256"),
            "KeyAlgorithmMismatch", "an ES256 token whose kid names the RSA key", "RFC 8725 §3.1")
    c.token("confusion_es512_kid_p256",
            mint({"alg": "ES512", "kid": "ec-p256", "typ": "at+jwt"}, claims(),
                 keys.ec["ES512"], "ES512"),
            "KeyAlgorithmMismatch", "a P-256 key is never used with ES512 (curve binds the alg)",
            "RFC 7518 §3.4")
    c.token("confusion_eddsa_kid_hmac",
            mint({"alg": "EdDSA", "kid": "hmac-512", "typ": "at+jwt"}, claims(), keys.ed,
                 "EdDSA"),
            "KeyAlgorithmMismatch", "an EdDSA token whose kid names the HMAC secret",
            "RFC 8725 §3.1")
    c.token("confusion_ps256_kid_ec",
            mint({"alg": "PS256", "kid": "ec-p384", "typ": "at+jwt"}, claims(), keys.rsa,
                 "PS256"),
            "KeyAlgorithmMismatch", "a PS256 token whose kid names an EC key", "RFC 8725 §3.1")
    c.token("confusion_es384_signed_with_p256_kid_p384",
            mint({"alg": "ES384", "kid": "ec-p384", "typ": "at+jwt"}, claims(),
                 keys.ec["ES256"], "ES256"),
            "SignatureLengthInvalid",
            "a 64-byte P-256 signature presented as ES384 for the P-384 key", "RFC 7518 §3.4")


def add_ecdsa_cases(c):
    for alg in ["ES256", "ES384", "ES512"]:
        size = SCALAR_BYTES[alg]
        n = CURVE_ORDER[alg]
        valid = c.signed(alg)
        real = signature_of(valid)
        r, s = real[:size], real[size:]
        zero = bytes(size)
        order = n.to_bytes(size, "big")
        low = alg.lower()
        ref = "CVE-2022-21449 (Java 'psychic signatures'); RFC 8725 §3.4"
        c.token(low + "_psychic_r0_s0", with_signature(valid, zero + zero), "SignatureInvalid",
                "r = s = 0 verifies any message in a verifier that skips the range check", ref)
        c.token(low + "_psychic_r0", with_signature(valid, zero + s), "SignatureInvalid",
                "r = 0 with a real s", ref)
        c.token(low + "_psychic_s0", with_signature(valid, r + zero), "SignatureInvalid",
                "s = 0 with a real r", ref)
        c.token(low + "_r_s_equal_n", with_signature(valid, order + order), "SignatureInvalid",
                "r = s = n, which is 0 mod n", ref + "; FIPS 186-4 §6.4.2 (0 < r, s < n)")
        c.token(low + "_r_equal_n", with_signature(valid, order + s), "SignatureInvalid",
                "r = n with a real s", "FIPS 186-4 §6.4.2; Wycheproof ecdsa 'r = n'")
        c.token(low + "_s_equal_n", with_signature(valid, r + order), "SignatureInvalid",
                "s = n with a real r", "FIPS 186-4 §6.4.2; Wycheproof ecdsa 's = n'")
        ones = b"\xff" * size
        c.token(low + "_r_s_above_n", with_signature(valid, ones + ones), "SignatureInvalid",
                "r and s above the group order", "FIPS 186-4 §6.4.2")
        c.token(low + "_der_signature", c.signed(alg, der=True), "SignatureLengthInvalid",
                "a DER (ASN.1) ECDSA signature instead of R||S", "RFC 7518 §3.4")
        c.token(low + "_r_s_one", with_signature(valid, (1).to_bytes(size, "big") * 2),
                "SignatureInvalid", "r = s = 1", "Wycheproof ecdsa edge cases")
        c.token(low + "_short_by_one", with_signature(valid, r[1:] + s), "SignatureLengthInvalid",
                "R||S one byte short (a leading zero dropped)", "RFC 7518 §3.4")
        c.token(low + "_long_by_one", with_signature(valid, b"\x00" + r + s),
                "SignatureLengthInvalid", "R||S with an extra leading zero", "RFC 7518 §3.4")
    # On P-521, r + n still fits in 66 bytes: a verifier that reduces r mod n accepts it.
    valid = c.signed("ES512")
    real = signature_of(valid)
    r = int.from_bytes(real[:66], "big")
    s = int.from_bytes(real[66:], "big")
    n = CURVE_ORDER["ES512"]
    c.token("es512_r_plus_n", with_signature(valid, (r + n).to_bytes(66, "big") + real[66:]),
            "SignatureInvalid", "r + n is r mod n but outside [1, n-1]",
            "FIPS 186-4 §6.4.2; Wycheproof ecdsa 'r + n'")
    c.token("es512_s_plus_n", with_signature(valid, real[:66] + (s + n).to_bytes(66, "big")),
            "SignatureInvalid", "s + n is s mod n but outside [1, n-1]", "FIPS 186-4 §6.4.2")
    c.token("es512_halves_of_65_bytes",
            with_signature(valid, real[1:66] + real[67:]), "SignatureLengthInvalid",
            "130-byte R||S (65-byte halves) for P-521", "RFC 7518 §3.4")


def add_other_signature_cases(c):
    keys = c.keys
    valid_rs = c.signed("RS256")
    modulus = keys.rsa.public_key().public_numbers().n.to_bytes(256, "big")
    c.token("rs256_signature_equal_to_modulus", with_signature(valid_rs, modulus),
            "SignatureInvalid", "a signature representative >= n is out of range",
            "RFC 8017 §5.2.2 (RSAVP1 step 1)")
    c.token("rs256_signature_all_ff", with_signature(valid_rs, b"\xff" * 256), "SignatureInvalid",
            "an oversize signature integer (above the modulus)", "RFC 8017 §5.2.2")
    c.token("rs256_signature_zero", with_signature(valid_rs, bytes(256)), "SignatureInvalid",
            "s = 0", "RFC 8017 §5.2.2")
    c.token("rs256_signature_one", with_signature(valid_rs, bytes(255) + b"\x01"),
            "SignatureInvalid", "s = 1 (1^e = 1 for every e)", "RFC 8017 §5.2.2")
    c.token("rs256_signature_with_leading_zero",
            with_signature(valid_rs, b"\x00" + signature_of(valid_rs)), "SignatureLengthInvalid",
            "257 bytes: a valid signature with a leading zero octet", "RFC 8017 §8.2.2 step 1")
    c.token("rs256_empty_signature", valid_rs[:valid_rs.rfind(".") + 1],
            "SignatureLengthInvalid", "header.payload. with a real algorithm",
            "CVE-2020-28042 (ServiceStack empty signature)")
    valid_hs = c.signed("HS256")
    c.token("hs256_empty_signature", valid_hs[:valid_hs.rfind(".") + 1],
            "SignatureLengthInvalid", "an HMAC token without its MAC", "CVE-2020-28042")
    c.token("hs256_truncated_mac", with_signature(valid_hs, signature_of(valid_hs)[:16]),
            "SignatureLengthInvalid", "a MAC truncated to 128 bits", "RFC 7518 §3.2")
    valid_ed = c.signed("EdDSA")
    ed_sig = signature_of(valid_ed)
    s_plus_l = int.from_bytes(ed_sig[32:], "little") + ED25519_L
    c.token("eddsa_s_plus_l", with_signature(valid_ed, ed_sig[:32] + s_plus_l.to_bytes(32, "little")),
            "SignatureInvalid", "S + L: the malleable twin of a valid signature (S >= L)",
            "RFC 8032 §5.1.7; Wycheproof ed25519")
    c.token("eddsa_signature_zero", with_signature(valid_ed, bytes(64)), "SignatureInvalid",
            "an all-zero EdDSA signature", "RFC 8032 §5.1.7")
    attacker = ec.generate_private_key(ec.SECP256R1())
    c.token("wrong_key_right_kid", mint(c.header("ES256"), claims(), attacker, "ES256"),
            "SignatureInvalid", "signed by another key under the issuer's kid", "RFC 7515 §5.2")
    tampered = c.signed("ES256")
    c.token("payload_swapped_after_signing",
            replace_segment(tampered, 1, b64(as_bytes(claims(sub="admin")))), "SignatureInvalid",
            "claims changed after signing", "RFC 7515 §5.2")
    c.token("header_swapped_after_signing",
            replace_segment(tampered, 0, b64(as_bytes({"alg": "ES256", "kid": "ec-p256",
                                                        "typ": "at+jwt", "x": 1}))),
            "SignatureInvalid", "the protected header is signed too", "RFC 7515 §5.2")


def add_embedded_key_cases(c):
    attacker = ec.generate_private_key(ec.SECP256R1())
    numbers = attacker.public_key().public_numbers()
    attacker_jwk = {"kty": "EC", "crv": "P-256", "x": b64_int(numbers.x, 32),
                    "y": b64_int(numbers.y, 32)}
    ref = "RFC 8725 §3.10; CVE-2018-0114 (node-jose embedded jwk)"
    c.token("embedded_jwk_no_kid",
            mint({"alg": "ES256", "typ": "at+jwt", "jwk": attacker_jwk}, claims(), attacker,
                 "ES256"),
            "SignatureInvalid", "a key carried in the header is never trusted", ref)
    c.token("embedded_jwk_own_kid",
            mint({"alg": "ES256", "typ": "at+jwt", "kid": "attacker",
                  "jwk": dict(attacker_jwk, kid="attacker")}, claims(), attacker, "ES256"),
            "KeyNotFound", "the header's own key and kid are not in the configured set", ref)
    c.token("embedded_jwk_real_kid",
            mint({"alg": "ES256", "typ": "at+jwt", "kid": "ec-p256", "jwk": attacker_jwk},
                 claims(), attacker, "ES256"),
            "SignatureInvalid", "the issuer's kid with the attacker's embedded key", ref)
    c.token("embedded_jku",
            mint({"alg": "ES256", "typ": "at+jwt", "kid": "ec-p256",
                  "jku": "https://attacker.example/jwks.json"}, claims(), attacker, "ES256"),
            "SignatureInvalid", "jku is never fetched (key injection, SSRF)",
            "RFC 8725 §3.10, §2.9")
    c.token("embedded_x5u",
            mint({"alg": "ES256", "typ": "at+jwt", "x5u": "http://169.254.169.254/latest"},
                 claims(), attacker, "ES256"),
            "SignatureInvalid", "x5u is never fetched (key injection, SSRF)",
            "RFC 8725 §3.10, §2.9")
    c.token("embedded_x5c_self_signed",
            mint({"alg": "ES256", "typ": "at+jwt",
                  "x5c": [self_signed_certificate(attacker)]}, claims(), attacker, "ES256"),
            "SignatureInvalid", "a self-signed certificate chain in the header is ignored",
            "RFC 8725 §3.10; RFC 7515 §4.1.6")


def add_base64_cases(c):
    valid = c.signed("ES256")
    header, payload, signature = valid.split(".")
    ref = "RFC 7515 §2 (base64url without padding), RFC 4648 §3.5; RFC 8725 §2.6"

    def padded(segment):
        return segment + ("=" * (-len(segment) % 4) or "==")

    c.token("b64_header_padding", replace_segment(valid, 0, padded(header)),
            "HeaderBase64Invalid", "padding '=' in the header segment", ref)
    c.token("b64_payload_padding", replace_segment(valid, 1, padded(payload)),
            "PayloadBase64Invalid", "padding '=' in the payload segment", ref)
    c.token("b64_signature_padding", replace_segment(valid, 2, padded(signature)),
            "SignatureBase64Invalid", "padding '=' in the signature segment", ref)
    # A header whose standard base64 spelling needs '+' or '/' ('?' is 0x3F).
    for fill in range(1, 12):
        std_header = base64.b64encode(as_bytes(
            {"alg": "ES256", "kid": "ec-p256", "typ": "at+jwt", "x": "?" * fill})).decode()
        std_header = std_header.rstrip("=")
        if "+" in std_header or "/" in std_header:
            break
    assert "+" in std_header or "/" in std_header
    c.token("b64_header_standard_alphabet", replace_segment(valid, 0, std_header),
            "HeaderBase64Invalid", "'+' or '/' (standard alphabet) in the header", ref)
    c.token("b64_payload_slash", replace_segment(valid, 1, payload[:8] + "/" + payload[9:]),
            "PayloadBase64Invalid", "'/' in the payload", ref)
    c.token("b64_signature_plus", replace_segment(valid, 2, signature[:5] + "+" + signature[6:]),
            "SignatureBase64Invalid", "'+' in the signature", ref)
    c.token("b64_signature_unused_bits", replace_segment(valid, 2, set_unused_bits(signature)),
            "SignatureBase64Invalid", "non-zero unused bits: a second spelling of one signature",
            ref + "; RFC 4648 §3.5")
    if len(header) % 4:
        c.token("b64_header_unused_bits", replace_segment(valid, 0, set_unused_bits(header)),
                "HeaderBase64Invalid", "non-zero unused bits in the header", ref)
    if len(payload) % 4:
        c.token("b64_payload_unused_bits", replace_segment(valid, 1, set_unused_bits(payload)),
                "PayloadBase64Invalid", "non-zero unused bits in the payload", ref)
    c.token("b64_payload_space", replace_segment(valid, 1, payload[:10] + " " + payload[10:]),
            "PayloadBase64Invalid", "a space inside the payload segment", ref)
    c.token("b64_signature_line_break",
            replace_segment(valid, 2, signature[:76] + "\r\n" + signature[76:]),
            "SignatureBase64Invalid", "a MIME line break inside the signature", "RFC 2045 §6.8")
    c.token("b64_header_newline", replace_segment(valid, 0, header[:4] + "\n" + header[4:]),
            "HeaderBase64Invalid", "a line feed inside the header", ref)
    c.token("b64_payload_tab", replace_segment(valid, 1, payload + "\t"), "PayloadBase64Invalid",
            "a trailing tab on the payload", ref)
    c.token("b64_impossible_length",
            replace_segment(valid, 1, payload + "A" * ((1 - len(payload)) % 4)),
            "PayloadBase64Invalid", "a segment whose length is 1 mod 4 encodes no byte string",
            ref)
    c.token("nul_in_header_segment", replace_segment(valid, 0, header[:6] + "\0" + header[6:]),
            "HeaderBase64Invalid", "a NUL byte inside the header segment", ref)
    c.token("nul_in_payload_segment", replace_segment(valid, 1, payload + "\0"),
            "PayloadBase64Invalid", "a NUL byte after the payload segment", ref)
    c.token("nul_at_token_end", valid + "\0", "SignatureBase64Invalid",
            "a NUL byte after the signature (C-string truncation)", ref)


def add_json_cases(c):
    keys = c.keys

    def hs(header_text, payload=None):
        return mint(header_text, payload if payload is not None else claims(), keys.hmac_secret,
                    "HS256")

    ref_utf8 = "RFC 8259 §8.1, RFC 3629 §3; RFC 8725 §3.7"
    # NUL inside JSON text.
    c.token("nul_raw_in_header_string",
            hs(b'{"alg":"HS256","kid":"hmac-512\x00","typ":"at+jwt"}'), "HeaderNotJson",
            "a raw NUL byte inside a JSON string (control characters must be escaped)",
            "RFC 8259 §7")
    c.token("nul_raw_after_header",
            hs(b'{"alg":"HS256","kid":"hmac-512","typ":"at+jwt"}\x00'), "HeaderNotJson",
            "a NUL byte after the header object", "RFC 8259 §2")
    c.token("nul_raw_in_claim_string",
            c.resigned("ES256", None, claims_bytes(b'"name":"al\x00ice"')),
            "PayloadNotJson", "a raw NUL byte inside a claim string", "RFC 8259 §7")
    c.token("nul_escaped_in_kid",
            hs('{"alg":"HS256","kid":"hmac-512\\u0000","typ":"at+jwt"}'), "KeyNotFound",
            "kid 'hmac-512' + NUL must not match 'hmac-512'", "RFC 8725 §3.10")
    c.token("nul_escaped_in_iss",
            c.resigned("ES256", None, json.dumps(claims(iss=ISSUER + "\0.attacker.example"),
                                                 separators=(",", ":"))),
            "IssuerUnknown", "an issuer with an escaped NUL and a suffix is another issuer",
            "RFC 7519 §4.1.1; RFC 8725 §3.8")
    c.token("nul_escaped_in_aud",
            c.resigned("ES256", None, json.dumps(claims(aud=AUDIENCE + "\0"),
                                                 separators=(",", ":"))),
            "AudienceMismatch", "an audience with an escaped NUL is another audience",
            "RFC 7519 §4.1.3; RFC 8725 §3.9")
    c.token("nul_escaped_in_typ",
            c.signed("ES256", c.header("ES256", typ="at+jwt\0")), "TypMismatch",
            "typ at+jwt + NUL is not at+jwt", "RFC 8725 §3.11")
    # Invalid UTF-8 in the header (raw bytes) and in the claims.
    for name, raw in [("overlong_slash", b"\xc0\xaf"), ("byte_ff", b"\xff"),
                      ("encoded_surrogate", b"\xed\xa0\x80"), ("overlong_nul", b"\xc0\x80"),
                      ("above_u10ffff", b"\xf4\x90\x80\x80"), ("truncated_sequence", b"\xe2\x82"),
                      ("lone_continuation", b"\x80"), ("overlong_4_byte", b"\xf0\x80\x80\xaf")]:
        c.token("utf8_header_" + name,
                hs(b'{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","x":"' + raw + b'"}'),
                "HeaderNotJson", "invalid UTF-8 in the header: " + name.replace("_", " "),
                ref_utf8)
        c.token("utf8_claims_" + name,
                c.resigned("ES256", None, claims_bytes(b'"name":"' + raw + b'"')),
                "PayloadNotJson", "invalid UTF-8 in a claim: " + name.replace("_", " "), ref_utf8)
    c.token("utf8_in_member_name",
            c.resigned("ES256", None, claims_bytes(b'"\xff":1')),
            "PayloadNotJson", "invalid UTF-8 in a claim name", ref_utf8)
    ref_surrogate = "RFC 8259 §8.2; RFC 7493 §2.1 (I-JSON: no lone surrogates)"
    c.token("surrogate_lone_high_in_header",
            hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","x":"\\ud800"}'), "HeaderNotJson",
            "an escaped lone high surrogate in the header", ref_surrogate)
    c.token("surrogate_high_then_letter_in_claims",
            c.resigned("ES256", None, claims_text('"name":"\\ud800\\u0041"')), "PayloadNotJson",
            "a high surrogate followed by a non-surrogate escape", ref_surrogate)
    c.token("surrogate_lone_low_in_claims",
            c.resigned("ES256", None, claims_text('"name":"\\udc00"')), "PayloadNotJson",
            "an escaped lone low surrogate in a claim", ref_surrogate)
    c.token("surrogate_lone_high_at_end_of_claim",
            c.resigned("ES256", None, claims_text('"name":"x\\udbff"')), "PayloadNotJson",
            "a high surrogate that ends the string", ref_surrogate)
    # Duplicate members.
    ref_dup = "RFC 7515 §5.2 step 4, RFC 7519 §4; RFC 8725 §2.6; Bishop Fox 2021 JSON interop"
    c.token("dup_header_alg", hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","alg":"none"}'),
            "HeaderDuplicateMember", "alg twice: parsers disagree which one wins", ref_dup)
    c.token("dup_header_alg_escaped",
            hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","\\u0061lg":"HS256"}'),
            "HeaderDuplicateMember", "'alg' and '\\u0061lg' are the same name", ref_dup)
    c.token("dup_header_kid_escaped",
            hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","k\\u0069d":"ec-p256"}'),
            "HeaderDuplicateMember", "'kid' and 'k\\u0069d' are the same name", ref_dup)
    c.token("dup_header_nested",
            hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","jwk":{"kty":"EC","kty":"oct"}}'),
            "HeaderDuplicateMember", "a repeated name inside a nested header object", ref_dup)
    c.token("dup_claims_iss",
            c.resigned("ES256", None, claims_text('"iss":"https://attacker.example"')),
            "PayloadDuplicateMember", "iss twice", ref_dup)
    c.token("dup_claims_sub_escaped",
            c.resigned("ES256", None, claims_text('"\\u0073ub":"admin"')),
            "PayloadDuplicateMember", "'sub' and '\\u0073ub' are the same claim", ref_dup)
    c.token("dup_claims_exp_escaped_last_letter",
            c.resigned("ES256", None, claims_text('"ex\\u0070":%d' % (NOW - 3600))),
            "PayloadDuplicateMember", "'exp' and 'ex\\u0070': one valid, one expired", ref_dup)
    c.token("dup_claims_nested_escaped",
            c.resigned("ES256", None, claims_text('"cnf":{"jkt":"a","\\u006akt":"b"}')),
            "PayloadDuplicateMember", "a repeated name inside a nested claim, spelled two ways",
            ref_dup)
    c.token("dup_claims_nested_in_array",
            c.resigned("ES256", None, claims_text('"roles":[{"r":"user","r":"admin"}]')),
            "PayloadDuplicateMember", "a repeated name in an object inside a list", ref_dup)
    many = ",".join('"m%02d":%d' % (i, i) for i in range(40))
    c.token("dup_claims_in_a_large_object",
            c.resigned("ES256", None, claims_text(many + ',"m\\u00317":0')),
            "PayloadDuplicateMember", "a duplicate among 49 claims (the sorted check)", ref_dup)
    c.token("dup_claims_utf8_and_escape",
            c.resigned("ES256", None, claims_text('"caf\u00e9":1,"caf\\u00e9":2')),
            "PayloadDuplicateMember", "'café' raw and with \\u00e9 are the same name", ref_dup)
    # Depth.
    ref_depth = "RFC 8259 §9 (nesting limits)"
    c.token("deep_header_arrays",
            hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","x":' + "[" * 40 + "]" * 40 + "}"),
            "HeaderTooDeep", "40 nested lists in the header", ref_depth)
    c.token("deep_claims_arrays",
            c.resigned("ES256", None, claims_text('"x":' + "[" * 40 + "]" * 40)),
            "PayloadTooDeep", "40 nested lists in the claims", ref_depth)
    c.token("deep_claims_objects",
            c.resigned("ES256", None, claims_text('"x":' + '{"a":' * 40 + "1" + "}" * 40)),
            "PayloadTooDeep", "40 nested objects in the claims", ref_depth)
    c.token("deep_claims_beyond_parser_limit",
            c.resigned("ES256", None, claims_text('"x":' + "[" * 2000 + "]" * 2000)),
            "PayloadTooDeep", "2000 nested lists: beyond simdjson's own depth limit", ref_depth)
    c.token("deep_claims_unbalanced", c.resigned("ES256", None, claims_text('"x":' + "[" * 3000)),
            "PayloadTooDeep", "3000 unclosed lists: the depth limit stops the parser first",
            ref_depth)
    c.token("shallow_claims_unbalanced", c.resigned("ES256", None, claims_text('"x":' + "[" * 3)),
            "PayloadNotJson", "3 unclosed lists", "RFC 8259 §2")
    # Not objects.
    c.token("header_kid_1e400", hs('{"alg":"HS256","kid":1e400,"typ":"at+jwt"}'),
            "HeaderNotJson", "an unrepresentable number in the header", "RFC 8259 §6")
    c.token("header_huge_integer",
            hs('{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","x":' + "9" * 400 + "}"),
            "HeaderNotJson", "a 400-digit integer in the header", "RFC 8259 §6; RFC 7493 §2.2")
    c.token("header_json_array", hs("[1]"), "HeaderNotObject", "a header that is a list",
            "RFC 7515 §4")
    c.token("header_json_string", hs('"alg"'), "HeaderNotObject", "a header that is a string",
            "RFC 7515 §4")
    c.token("header_empty_json", hs(b""), "MalformedCompact", "an empty header segment",
            "RFC 7515 §7.1")
    c.token("header_truncated_json", hs('{"alg":"HS256"'), "HeaderNotJson",
            "a header cut short", "RFC 7515 §4")
    c.token("header_two_objects", hs('{"alg":"HS256"}{"alg":"none"}'), "HeaderNotJson",
            "two JSON texts in one header", "RFC 8259 §2")
    c.token("payload_json_array", c.resigned("ES256", None, "[]"), "PayloadNotObject",
            "claims that are a list", "RFC 7519 §7.2 step 10")
    c.token("payload_json_null", c.resigned("ES256", None, "null"), "PayloadNotObject",
            "claims that are null", "RFC 7519 §7.2 step 10")
    c.token("payload_trailing_comma", c.resigned("ES256", None, claims_text('"x":1,')[:-1] + "}"),
            "PayloadNotJson", "a trailing comma", "RFC 8259 §4")
    c.token("payload_single_quotes", c.resigned("ES256", None, "{'iss':'" + ISSUER + "'}"),
            "PayloadNotJson", "single-quoted names (JSON5, not JSON)", "RFC 8259 §7")
    c.token("payload_comment", c.resigned("ES256", None, claims_text('"x":1/*c*/')),
            "PayloadNotJson", "a comment in the claims", "RFC 8259 §2")
    c.token("payload_nan", c.resigned("ES256", None, claims_text('"x":NaN')), "PayloadNotJson",
            "NaN is not JSON", "RFC 8259 §6")


def add_claim_cases(c):
    ref_date = "RFC 7519 §2 (NumericDate), §4.1.4; docs/choices.md (integers 0..253402300799)"

    def with_member(name, raw):
        return c.resigned("ES256", None, claims_text_without(name, '"%s":%s' % (name, raw)))

    for name, slug, raw, expect, why in [
            ("exp", "1e400", "1e400", "PayloadNotJson", "1e400 overflows a double"),
            ("exp", "minus_1e400", "-1e400", "PayloadNotJson", "-1e400 overflows a double"),
            ("exp", "2_pow_63", "9223372036854775808", "ExpInvalid", "2^63: beyond int64"),
            ("exp", "2_pow_64", "18446744073709551616", "PayloadNotJson",
             "2^64: beyond every 64-bit type"),
            ("exp", "below_int64", "-9223372036854775809", "PayloadNotJson", "below int64"),
            ("exp", "after_9999", "253402300800", "ExpInvalid", "one second past the year 9999"),
            ("exp", "minus_1", "-1", "ExpInvalid", "a negative NumericDate"),
            ("exp", "minus_zero_float", "-0.0", "ExpInvalid", "negative zero as a float"),
            ("exp", "float_no_fraction", "1800000600.0", "ExpInvalid",
             "a float, even with no fraction"),
            ("exp", "exponent", "1.8000006e9", "ExpInvalid", "exponent notation"),
            ("exp", "fraction", "1800000600.5", "ExpInvalid", "a fraction"),
            ("exp", "string", '"1800000600"', "ExpInvalid", "a numeric string"),
            ("exp", "bool", "true", "ExpInvalid", "a boolean"),
            ("exp", "array", "[1800000600]", "ExpInvalid", "a one-element list"),
            ("exp", "object", "{}", "ExpInvalid", "an object"),
            ("exp", "null", "null", "ExpInvalid", "null"),
            ("exp", "leading_zero", "01800000600", "PayloadNotJson", "a leading zero is not JSON"),
            ("exp", "leading_plus", "+1800000600", "PayloadNotJson", "a leading plus is not JSON"),
            ("exp", "hex", "0x6B49D258", "PayloadNotJson", "hexadecimal is not JSON"),
            ("nbf", "1e400", "1e400", "PayloadNotJson", "1e400 overflows a double"),
            ("nbf", "int64_max", "9223372036854775807", "NbfInvalid",
             "int64 max: far past the year 9999"),
            ("nbf", "int64_min", "-9223372036854775808", "NbfInvalid", "int64 min"),
            ("nbf", "fraction", "1799999000.25", "NbfInvalid", "a fraction"),
            ("nbf", "string", '"0"', "NbfInvalid", "a string"),
            ("nbf", "bool", "false", "NbfInvalid", "a boolean"),
            ("nbf", "2_pow_63", "9223372036854775808", "NbfInvalid", "2^63: beyond int64"),
            ("iat", "2_pow_63", "9223372036854775808", "IatInvalid", "2^63"),
            ("iat", "1e400", "1e400", "PayloadNotJson", "1e400 overflows a double"),
            ("exp", "underflow", "1e-400", "ExpInvalid", "1e-400 is a number, but no integer"),
            ("exp", "long_fraction", "1800000600." + "0" * 400, "ExpInvalid",
             "400 fraction digits: still not an integer"),
            ("iat", "1e308", "1e308", "IatInvalid", "a huge double"),
            ("iat", "array", "[]", "IatInvalid", "an empty list"),
            ("iat", "minus_1", "-1", "IatInvalid", "negative"),
            ("auth_time", "1e400", "1e400", "PayloadNotJson", "1e400 overflows a double"),
            ("auth_time", "2_pow_64_minus_1", "18446744073709551615", "AuthTimeInvalid",
             "2^64 - 1"),
            ("auth_time", "string", '"recent"', "AuthTimeInvalid", "a string"),
    ]:
        c.token("claim_%s_%s" % (name, slug), with_member(name, raw), expect,
                "%s %s" % (name, why), ref_date)
    # -0 is a JSON integer whose value is 0: the epoch, long expired.
    c.token("claim_exp_minus_zero", with_member("exp", "-0"), "Expired",
            "exp -0 is the integer 0 (1970): expired, never a huge or negative date",
            ref_date)
    for name in ["nbf", "iat"]:
        c.token("claim_%s_minus_zero" % name, with_member(name, "-0"), "Ok",
                "%s -0 is the integer 0 (1970), in the past: no reason to refuse" % name,
                ref_date)
    c.token("claim_exp_missing", c.resigned("ES256", None, json.dumps(
        claims(exp=None), separators=(",", ":"))), "ExpMissing",
            "exp is required by default", "RFC 9068 §2.2")
    c.token("claim_exp_past", c.signed("ES256", payload=claims(exp=NOW - 61)), "Expired",
            "expired beyond the skew", "RFC 7519 §4.1.4")
    c.token("claim_nbf_future", c.signed("ES256", payload=claims(nbf=NOW + 61)), "NotYetValid",
            "not valid before a time past now plus the skew", "RFC 7519 §4.1.5")
    c.token("claim_auth_time_future",
            c.signed("ES256", payload=claims(auth_time=NOW + 61)), "AuthTimeInFuture",
            "an authentication that has not happened yet would look perfectly fresh",
            "OpenID Connect Core §2 (auth_time); docs/spec.md §3")
    c.token("claim_required_cnf_missing", c.signed("ES256"), "RequiredClaimMissing",
            "a sender-constrained validator needs cnf: a bearer token without it is refused",
            "RFC 9449 §6; RFC 8705 §3", config="require_cnf")
    c.token("claim_iat_future", c.signed("ES256", payload=claims(iat=NOW + 3600)), "IatInFuture",
            "issued an hour from now", "RFC 7519 §4.1.6")
    # Audience.
    ref_aud = "RFC 7519 §4.1.3; RFC 8725 §3.9; CVE-2020-26160 (jwt-go aud type confusion)"
    for slug, raw, expect, why in [
            ("object", '{"aud":"%s"}' % AUDIENCE, "AudienceInvalid", "aud as an object"),
            ("empty_list", "[]", "AudienceInvalid", "aud as an empty list"),
            ("list_of_number", "[1]", "AudienceInvalid", "a list holding a number"),
            ("list_mixed", '["%s",1]' % AUDIENCE, "AudienceInvalid",
             "the right audience next to a non-string"),
            ("list_with_null", '["%s",null]' % AUDIENCE, "AudienceInvalid", "a list with null"),
            ("list_nested", '[["%s"]]' % AUDIENCE, "AudienceInvalid", "a list inside a list"),
            ("number", "1", "AudienceInvalid", "aud as a number"),
            ("true", "true", "AudienceInvalid", "aud as a boolean"),
            ("null", "null", "AudienceInvalid", "aud null"),
            ("empty_string", '""', "AudienceMismatch", "an empty audience"),
            ("case_changed", '"%s"' % AUDIENCE.upper(), "AudienceMismatch",
             "audiences compare exactly"),
            ("trailing_slash", '"%s/"' % AUDIENCE, "AudienceMismatch", "one more character"),
            ("prefix", '"%s.attacker.example"' % AUDIENCE, "AudienceMismatch",
             "the audience as a prefix"),
    ]:
        c.token("claim_aud_" + slug, with_member("aud", raw), expect, why, ref_aud)
    c.token("claim_aud_missing", c.resigned("ES256", None, json.dumps(
        claims(aud=None), separators=(",", ":"))), "AudienceMissing", "no aud", ref_aud)
    # Issuer.
    ref_iss = "RFC 7519 §4.1.1; RFC 8725 §3.8"
    for slug, raw, expect, why in [
            ("number", "1", "IssuerInvalid", "iss as a number"),
            ("null", "null", "IssuerInvalid", "iss null"),
            ("list", '["%s"]' % ISSUER, "IssuerInvalid", "iss as a list"),
            ("object", '{"iss":"%s"}' % ISSUER, "IssuerInvalid", "iss as an object"),
            ("trailing_slash", '"%s/"' % ISSUER, "IssuerUnknown", "one more character"),
            ("upper_case", '"%s"' % ISSUER.upper(), "IssuerUnknown", "issuers compare exactly"),
            ("empty", '""', "IssuerUnknown", "an empty issuer"),
    ]:
        c.token("claim_iss_" + slug, with_member("iss", raw), expect, why, ref_iss)
    c.token("claim_iss_missing", c.resigned("ES256", None, json.dumps(
        claims(iss=None), separators=(",", ":"))), "IssuerMissing", "no iss", ref_iss)


def add_header_member_cases(c):
    ref_typ = "RFC 8725 §3.11; RFC 9068 §2.1, §4"
    for slug, typ, expect, why in [
            ("jwt_lower", "jwt", "TypMismatch", "a plain JWT is not an access token"),
            ("JWT", "JWT", "TypMismatch", "a plain JWT (an ID token, say) is not an access token"),
            ("application_jwt", "application/jwt", "TypMismatch", "application/jwt"),
            ("trailing_space", "at+jwt ", "TypMismatch", "one more character"),
            ("parameters", "at+jwt; charset=utf-8", "TypMismatch", "media type parameters"),
            ("double_prefix", "application/application/at+jwt", "TypMismatch",
             "the optional prefix only once"),
            ("prefix_only", "application/", "TypMismatch", "the prefix alone"),
            ("empty", "", "TypMismatch", "an empty typ"),
            ("dpop", "dpop+jwt", "TypMismatch", "a DPoP proof is not an access token"),
    ]:
        c.token("typ_" + slug, c.signed("ES256", c.header("ES256", typ=typ)), expect, why, ref_typ)
    c.token("typ_missing", c.signed("ES256", {"alg": "ES256", "kid": "ec-p256"}), "TypMismatch",
            "no typ when at+jwt is required", ref_typ)
    for slug, value in [("null", None), ("list", ["at+jwt"]), ("number", 1)]:
        c.token("typ_" + slug + "_type", c.signed("ES256", c.header("ES256", typ=value)),
                "HeaderMemberInvalid", "typ must be a string", "RFC 7515 §4.1.9")
    c.token("kid_number", c.signed("ES256", c.header("ES256", kid=1)), "HeaderMemberInvalid",
            "kid must be a string", "RFC 7515 §4.1.4")
    c.token("kid_object", c.signed("ES256", c.header("ES256", kid={"$ne": ""})),
            "HeaderMemberInvalid", "kid as a NoSQL operator object", "RFC 8725 §3.10")
    c.token("cty_number", c.signed("ES256", c.header("ES256", cty=1)), "HeaderMemberInvalid",
            "cty must be a string", "RFC 7515 §4.1.10")
    c.token("sub_number", c.signed("ES256", payload=claims(sub=7)), "SubjectInvalid",
            "sub must be a string, not a number", "RFC 7519 §4.1.2")
    c.token("jti_object", c.signed("ES256", payload=claims(jti={"n": 1})), "JwtIdInvalid",
            "jti must be a string", "RFC 7519 §4.1.7")
    c.token("cty_jwt", c.signed("ES256", c.header("ES256", cty="JWT")), "NestedToken",
            "cty JWT announces a nested token, over ordinary claims", "RFC 7519 §5.2")
    c.token("cty_application_jwt", c.signed("ES256", c.header("ES256", cty="application/jwt")),
            "NestedToken", "the same with the media type prefix, in lower case", "RFC 7515 §4.1.10")
    ref_crit = "RFC 7515 §4.1.11"
    c.token("crit_exp", c.signed("ES256", c.header("ES256", crit=["exp"], exp=1)),
            "CritUnsupported", "a critical extension stepup does not understand", ref_crit)
    c.token("crit_empty_list", c.signed("ES256", c.header("ES256", crit=[])), "CritUnsupported",
            "crit must not be empty; any crit is refused", ref_crit)
    c.token("crit_b64", c.signed("ES256", c.header("ES256", crit=["b64"], b64=False)),
            "CritUnsupported", "the unencoded payload option, declared critical",
            ref_crit + "; RFC 7797 §6")
    c.token("crit_not_a_list", c.signed("ES256", c.header("ES256", crit="exp")),
            "CritUnsupported", "crit as a string", ref_crit)
    c.token("b64_false", c.signed("ES256", c.header("ES256", b64=False)), "HeaderMemberInvalid",
            "b64 false changes what is signed", "RFC 7797 §3, §6")
    c.token("b64_true", c.signed("ES256", c.header("ES256", b64=True)), "HeaderMemberInvalid",
            "b64 is refused whatever its value", "RFC 7797 §3")
    c.token("enc_in_three_segments", c.signed("ES256", c.header("ES256", enc="A256GCM")),
            "JweNotSupported", "an enc member marks a JWE", "RFC 7516 §4.1.2; RFC 8725 §3.12")
    ref_kid = "RFC 8725 §3.10 (kid is attacker text: never a path or a query)"
    for slug, kid in [("path_traversal", "../../../../../../dev/null"),
                      ("path_absolute", "/etc/passwd"),
                      ("sql_or", "' OR '1'='1"),
                      ("sql_union", "x' UNION SELECT 'secret' -- "),
                      ("shell", "ec-p256|cat /etc/passwd"),
                      ("ldap", "*)(uid=*))(|(uid=*"),
                      ("url", "https://attacker.example/key.pem"),
                      ("empty", ""),
                      ("case_changed", "EC-P256"),
                      ("prefix", "ec-p25"),
                      ("long", "k" * 4000)]:
        c.token("kid_" + slug, c.signed("ES256", c.header("ES256", kid=kid)), "KeyNotFound",
                "an unknown kid is only an unknown kid", ref_kid)


def add_shape_cases(c):
    valid = c.signed("ES256")
    header, payload, signature = valid.split(".")
    ref = "RFC 7515 §7.1; RFC 7516 §7.1"
    for slug, token, expect, why, *case_ref in [
            ("one_segment", header, "MalformedCompact", "no dots"),
            ("two_segments", header + "." + payload, "MalformedCompact", "no signature segment"),
            ("four_segments", valid + ".e30", "MalformedCompact", "a fourth segment"),
            ("six_segments", valid + ".a.b.c", "MalformedCompact", "six segments"),
            ("trailing_dot", valid + ".", "MalformedCompact", "an empty fourth segment"),
            ("leading_dot", "." + valid, "MalformedCompact", "an empty first segment"),
            ("empty_header", "." + payload + "." + signature, "MalformedCompact",
             "an empty header segment"),
            ("empty_payload", header + ".." + signature, "MalformedCompact",
             "an empty payload segment"),
            ("only_dots", "..", "MalformedCompact", "three empty segments"),
            ("empty", "", "MalformedCompact", "an empty token"),
            ("jwe_five_segments", b64(as_bytes({"alg": "RSA-OAEP", "enc": "A256GCM"})) +
             ".a.b.c.d", "JweNotSupported", "a JWE compact serialization (five segments)"),
            ("jwe_five_empty_segments", "....", "JweNotSupported", "five empty segments"),
            ("json_serialization",
             json.dumps({"protected": header, "payload": payload, "signature": signature}),
             "MalformedCompact", "the JWS JSON serialization is not a compact token"),
            ("polyglot_json_compact",
             '{"' + valid + '":"","protected":"' + header + '","payload":"' + payload +
             '","signature":"' + signature + '"}',
             "HeaderBase64Invalid", "a token that is both JSON and compact",
             "CVE-2022-39227 (python-jwt)"),
    ]:
        c.token("shape_" + slug, token, expect, why, case_ref[0] if case_ref else ref)


def add_size_cases(c):
    keys = c.keys
    ref = "RFC 8725 §3.4 (bound the work before verifying); RFC 7515 §7.1"
    c.token("size_1mb_header_garbage", [{"repeat": "e", "count": 1 << 20}, {"text": ".e.e"}],
            "TokenTooLarge", "a megabyte of header is refused before any decoding", ref)
    # A megabyte header that is valid and signed: refused only because of its size.
    header_prefix = b'{"alg":"HS256","kid":"hmac-512","typ":"at+jwt","pad":"'
    header_prefix += b"P" * (-len(header_prefix) % 3)
    header_suffix = b'"}'
    count = (1 << 20) // 3
    header_bytes = header_prefix + b"AAA" * count + header_suffix
    payload_segment = b64(as_bytes(claims()))
    parts = repeated_b64(header_prefix, b"AAA", count, header_suffix)
    signing_input = (parts_text(parts) + "." + payload_segment).encode("ascii")
    assert parts_text(parts) == b64(header_bytes)
    mac = sign(keys.hmac_secret, "HS256", signing_input)
    parts[-1]["text"] += "." + payload_segment + "." + b64(mac)
    c.token("size_1mb_header_signed", parts, "TokenTooLarge",
            "a validly signed token with a 1 MB header under the 8192-byte limit", ref)
    c.token("size_1mb_header_signed_big_limit", parts, "Ok",
            "the same token under a 4 MB limit: the refusal above was the size alone", ref,
            config="big")
    # A megabyte of claims, signed.
    payload_prefix = json.dumps(claims(), separators=(",", ":"))[:-1].encode() + b',"pad":"'
    payload_prefix += b"P" * (-len(payload_prefix) % 3)
    payload_suffix = b'"}'
    header_segment = b64(as_bytes(c.header("HS256")))
    payload_parts = repeated_b64(payload_prefix, b"AAA", count, payload_suffix)
    signing_input = (header_segment + "." + parts_text(payload_parts)).encode("ascii")
    mac = sign(keys.hmac_secret, "HS256", signing_input)
    token_parts = [{"text": header_segment + "." + payload_parts[0]["text"]}, payload_parts[1],
                   {"text": payload_parts[2]["text"] + "." + b64(mac)}]
    c.token("size_1mb_payload_signed", token_parts, "TokenTooLarge",
            "a validly signed 1 MB token under the 8192-byte limit", ref)
    c.token("size_1mb_payload_signed_big_limit", token_parts, "Ok",
            "the same 1 MB token under a 4 MB limit", ref, config="big")
    bad_parts = [dict(p) for p in token_parts]
    bad_parts[-1]["text"] = payload_parts[2]["text"] + "." + b64(bytes(32))
    c.token("size_1mb_payload_bad_mac_big_limit", bad_parts, "SignatureInvalid",
            "a 1 MB token with a wrong MAC", ref, config="big")
    # A 1 MB header of nested lists, under the big limit: the depth limit holds.
    deep_prefix = b'{"alg":"HS256","x":'
    deep_prefix += b" " * (-len(deep_prefix) % 3)
    deep_parts = [{"text": b64(deep_prefix)}, {"repeat": b64(b"[[["), "count": count},
                  {"repeat": b64(b"]]]"), "count": count}, {"text": b64(b"}") + ".e30.e30"}]
    c.token("size_1mb_header_nested_big_limit", deep_parts, "HeaderTooDeep",
            "a megabyte of nesting in the header", "RFC 8259 §9", config="big")
    # Around the default limit of 8192 bytes: a header pad and a claims pad reach any length.
    def padded(header_pad, claims_pad):
        return c.signed("HS256", dict(c.header("HS256"), p="h" * header_pad),
                        claims(pad="c" * claims_pad))

    exact = None
    for header_pad in range(4):
        claims_pad = max(0, (8192 - len(padded(header_pad, 0))) * 3 // 4 - 8)
        while len(padded(header_pad, claims_pad)) < 8192:
            claims_pad += 1
        if len(padded(header_pad, claims_pad)) == 8192:
            exact = padded(header_pad, claims_pad)
            over = padded(header_pad, claims_pad + 1)
            break
    assert exact is not None and len(over) > 8192
    c.token("size_exactly_8192_bytes", exact, "Ok", "a token of exactly max_token_bytes", ref)
    c.token("size_just_over_8192_bytes", over, "TokenTooLarge", "just over the limit", ref)


def add_authorization_cases(c):
    token = c.signed("ES256")
    ref = "RFC 6750 §2.1; RFC 9110 §11.4, §11.6.2"
    for slug, value, expect, why in [
            ("missing", None, "AuthorizationMissing", "no header: no credentials"),
            ("basic", "Basic dXNlcjpwYXNz", "AuthorizationNotBearer", "the Basic scheme"),
            ("dpop", "DPoP " + token, "AuthorizationNotBearer", "a DPoP-bound token"),
            ("token_scheme", "Token " + token, "AuthorizationNotBearer", "an unknown scheme"),
            ("bearer_glued", "Bearer" + token, "AuthorizationNotBearer",
             "no space after the scheme: one unknown scheme"),
            ("tab_separator", "Bearer\t" + token, "AuthorizationMalformed",
             "a tab instead of a space"),
            ("trailing_space", "Bearer " + token + " ", "AuthorizationMalformed",
             "a space after the token"),
            ("trailing_tab", "Bearer " + token + "\t", "AuthorizationMalformed",
             "a tab after the token"),
            ("leading_space", " Bearer " + token, "AuthorizationMalformed",
             "a space before the scheme"),
            ("scheme_only", "Bearer", "AuthorizationMalformed", "no token"),
            ("scheme_and_space", "Bearer ", "AuthorizationMalformed", "an empty token"),
            ("empty", "", "AuthorizationMalformed", "an empty header"),
            ("two_tokens", "Bearer " + token + " " + token, "AuthorizationMalformed",
             "two tokens"),
            ("comma_list", "Bearer " + token + ", Bearer " + token, "AuthorizationMalformed",
             "two credentials folded into one field"),
            ("quoted", 'Bearer "' + token + '"', "AuthorizationMalformed",
             "a quoted token (auth-param syntax)"),
            ("crlf_injection", "Bearer " + token + "\r\nX-Admin: 1", "AuthorizationMalformed",
             "a header injection after the token"),
            ("nul_inside", "Bearer " + token[:20] + "\0" + token[20:], "AuthorizationMalformed",
             "a NUL byte inside the token"),
            ("colon_scheme", "Bearer:" + token, "AuthorizationMalformed",
             "a colon is not a token character"),
            ("nbsp_separator", "Bearer\u00a0" + token, "AuthorizationMalformed",
             "a no-break space (UTF-8 C2 A0) instead of a space"),
            ("cyrillic_scheme", "\u0412earer " + token, "AuthorizationMalformed",
             "a Cyrillic look-alike letter in the scheme"),
            ("padding_inside", "Bearer ab=cd", "AuthorizationMalformed",
             "'=' is only allowed at the end of a b64token"),
            ("auth_param", "Bearer realm=\"x\"", "AuthorizationMalformed",
             "auth-params instead of a token"),
    ]:
        c.header_case("authorization_" + slug, value, expect, why, ref)
    for slug, value, why in [("two_spaces", "Bearer  " + token, "one or more spaces"),
                             ("many_spaces", "Bearer       " + token, "one or more spaces"),
                             ("lowercase_scheme", "bearer " + token,
                              "the scheme is case-insensitive"),
                             ("uppercase_scheme", "BEARER " + token,
                              "the scheme is case-insensitive"),
                             ("mixed_case_scheme", "bEaReR " + token,
                              "the scheme is case-insensitive")]:
        c.header_case("authorization_" + slug, value, "Ok", why,
                      "RFC 9110 §11.1 (case-insensitive scheme); RFC 6750 §2.1; docs/spec.md",
                      token=token)


def add_jwks_cases(c):
    keys = c.keys
    rsa_jwk = keys.rsa_jwk()
    ec_jwk = keys.ec_jwk("ES256")

    def one(jwk):
        return {"keys": [jwk]}

    def rsa_of_bits(bits):
        small = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        numbers = small.public_key().public_numbers()
        return {"kty": "RSA", "kid": "small", "n": b64_int(numbers.n), "e": b64_int(numbers.e)}

    ref_rsa = "RFC 7518 §3.3 (2048 bits or larger); NIST SP 800-131A"
    c.jwks_case("jwks_rsa_512_bits", one(rsa_of_bits(512)), "RSA key of 512 bits; at least 2048",
                "a 512-bit modulus is factorable", ref_rsa)
    c.jwks_case("jwks_rsa_1024_bits", one(rsa_of_bits(1024)),
                "RSA key of 1024 bits; at least 2048", "1024 bits", ref_rsa)
    c.jwks_case("jwks_rsa_2047_bits", one(rsa_of_bits(2047)),
                "RSA key of 2047 bits; at least 2048", "one bit short", ref_rsa)
    ref_e = "RFC 8017 §3.1 (e odd, 3 <= e < n); docs/choices.md"
    for slug, e in [("e_1", b"\x01"), ("e_2", b"\x02"), ("e_65536", b"\x01\x00\x00"),
                    ("e_0", b"\x00"), ("e_65538", b"\x01\x00\x02")]:
        c.jwks_case("jwks_rsa_" + slug, one(dict(rsa_jwk, e=b64(e))),
                    "keys[0]: member \"e\" is not an odd exponent of at least 3",
                    "RSA exponent %d" % int.from_bytes(e, "big"), ref_e)
    c.jwks_case("jwks_rsa_e_9_bytes", one(dict(rsa_jwk, e=b64(b"\x01" * 9))),
                "member \"e\" is longer than 8 bytes", "an oversize exponent integer", ref_e)
    c.jwks_case("jwks_rsa_n_padded", one(dict(rsa_jwk, n=rsa_jwk["n"] + "==")),
                "member \"n\" is not canonical unpadded base64url", "a padded modulus",
                "RFC 7518 §6.3.1.1, RFC 7515 §2")
    ref_curve = ("RFC 8725 §3.4; Sanso 2017 'Critical vulnerability in JSON Web Encryption' "
                 "(invalid curve); CVE-2016-9121 (go-jose)")
    p256_p = 2**256 - 2**224 + 2**192 + 2**96 - 1
    x = int.from_bytes(base64.urlsafe_b64decode(ec_jwk["x"] + "=="), "big")
    y = int.from_bytes(base64.urlsafe_b64decode(ec_jwk["y"] + "=="), "big")
    off_curve = [
        ("y_plus_one", x, (y + 1) % p256_p, "a real key's y moved by one"),
        ("x_1_y_1", 1, 1, "(1, 1)"),
        ("origin", 0, 0, "(0, 0): the usual encoding of the point at infinity"),
        ("y_minus_y", x, p256_p - y if y else 0, None),
        ("x_equal_p", p256_p, y, "x = p: a coordinate outside the field"),
    ]
    for slug, px, py, why in off_curve:
        if why is None:
            continue
        c.jwks_case("jwks_ec_p256_" + slug,
                    one(dict(ec_jwk, x=b64_int(px, 32), y=b64_int(py, 32))),
                    "point not on the curve", "EC public key not on P-256: " + why, ref_curve)
    for alg, crv, size in [("ES384", "P-384", 48), ("ES512", "P-521", 66)]:
        real = keys.ec_jwk(alg)
        yy = int.from_bytes(base64.urlsafe_b64decode(real["y"] + "=="), "big")
        c.jwks_case("jwks_ec_%s_y_plus_one" % crv.lower().replace("-", ""),
                    one(dict(real, y=b64_int(yy ^ 1, size))), "point not on the curve",
                    "EC public key not on " + crv, ref_curve)
    c.jwks_case("jwks_ec_p384_coordinates_as_p256",
                one(dict(keys.ec_jwk("ES384"), crv="P-256", alg="ES256")),
                "EC coordinates must be exactly 32 bytes for P-256",
                "a P-384 point labelled P-256", "RFC 7518 §6.2.1.2")
    c.jwks_case("jwks_ec_secp256k1", one(dict(ec_jwk, crv="secp256k1", alg="ES256K")),
                "unsupported EC curve", "a curve stepup does not verify", "RFC 8812")
    c.jwks_case("jwks_ec_private_d", one(dict(ec_jwk, d=b64(bytes(31) + b"\x01"))),
                "holds private key member \"d\"", "a private key published as a JWKS",
                "RFC 7517 §4, RFC 7518 §6.2.2")
    c.jwks_case("jwks_rsa_private_d", one(dict(rsa_jwk, d=b64(b"\x01" * 256))),
                "holds private key member \"d\"", "an RSA private key in a JWKS",
                "RFC 7518 §6.3.2")
    ed_identity = b"\x01" + bytes(31)
    c.jwks_case("jwks_ed25519_identity",
                one({"kty": "OKP", "crv": "Ed25519", "x": b64(ed_identity)}),
                "Ed25519 key is a point of small order",
                "the identity point: one signature fits every message",
                "RFC 8032 §5.1.7; Chalkias et al. 2020 'Taming the many EdDSAs'")
    c.jwks_case("jwks_ed25519_non_canonical",
                one({"kty": "OKP", "crv": "Ed25519",
                     "x": b64(b"\xee" + b"\xff" * 30 + b"\x7f")}),
                "Ed25519 key is not canonically encoded", "y = p + 1", "RFC 8032 §5.1.3")
    c.jwks_case("jwks_x25519", one({"kty": "OKP", "crv": "X25519", "x": b64(bytes(32))}),
                "unsupported OKP curve", "a key-agreement key", "RFC 8037 §2")
    c.jwks_case("jwks_hmac_short", one({"kty": "oct", "k": b64(b"s" * 31)}),
                "HMAC secret shorter than 32 bytes", "a 248-bit HMAC secret",
                "RFC 7518 §3.2; RFC 8725 §3.5")
    c.jwks_case("jwks_alg_none", one(dict(ec_jwk, alg="none")),
                "\"alg\" none is not a JWS signature algorithm", "a key for alg none",
                "RFC 8725 §3.1")
    c.jwks_case("jwks_rsa_alg_hs256", one(dict(rsa_jwk, alg="HS256")),
                "\"alg\" HS256 cannot be used with this key type or size",
                "an RSA key declared for HMAC", "RFC 8725 §2.1")
    c.jwks_case("jwks_use_enc", one(dict(ec_jwk, use="enc")), "\"use\" is \"enc\", not \"sig\"",
                "an encryption key", "RFC 7517 §4.2")
    c.jwks_case("jwks_unknown_kty", one({"kty": "DSA", "kid": "x"}), "unsupported \"kty\"",
                "DSA", "RFC 7518 §6.1")
    c.jwks_case("jwks_duplicate_kty",
                '{"keys":[{"kty":"oct","kty":"RSA","k":"%s"}]}' % b64(b"k" * 32),
                "repeats the member keys[0].kty", "kty twice", "RFC 7517 §4; RFC 8259 §4")
    c.jwks_case("jwks_duplicate_kty_escaped",
                '{"keys":[{"kty":"oct","\\u006bty":"RSA","k":"%s"}]}' % b64(b"k" * 32),
                "repeats the member keys[0].kty", "'kty' and '\\u006bty' are one name",
                "RFC 8259 §4, §7")
    c.jwks_case("jwks_duplicate_keys_member",
                '{"keys":[],"keys":[%s]}' % json.dumps(ec_jwk, separators=(",", ":")),
                "repeats the member keys", "two keys lists", "RFC 7517 §5")
    c.jwks_case("jwks_deep", '{"keys":[{"kty":"EC","x":' + "[" * 20 + "]" * 20 + "}]}",
                "is nested too deeply", "deep nesting in a key set", "RFC 8259 §9")
    c.jwks_case("jwks_lone_surrogate", '{"keys":[{"kty":"EC","kid":"\\ud800"}]}',
                "JWKS is not valid UTF-8 JSON", "a lone surrogate escape", "RFC 8259 §8.2")
    c.jwks_case("jwks_second_key_private",
                {"keys": [ec_jwk, dict(rsa_jwk, d=b64(b"\x01\x00\x01"))]},
                "JWKS keys[1]: holds private key member \"d\"",
                "a private member in any key refuses the whole set (the provider leaks secrets)",
                "RFC 7517 §5")


def write_jwks(path, keys):
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"keys": keys}, out, indent=2)
        out.write("\n")


def main():
    keys = Keys()
    os.makedirs(os.path.join(HERE, "keys"), exist_ok=True)
    all_public = [keys.rsa_jwk(), keys.ec_jwk("ES256"), keys.ec_jwk("ES384"),
                  keys.ec_jwk("ES512"), keys.ed_jwk(), keys.hmac_jwk()]
    write_jwks(os.path.join(HERE, "keys", "test_only_all.jwks.json"), all_public)
    write_jwks(os.path.join(HERE, "keys", "test_only_rsa_and_hmac.jwks.json"),
               [keys.rsa_jwk(), keys.hmac_jwk()])
    write_jwks(os.path.join(HERE, "keys", "test_only_rsa.jwks.json"), [keys.rsa_jwk()])
    write_jwks(os.path.join(HERE, "keys", "test_only_ec_p256.jwks.json"), [keys.ec_jwk("ES256")])

    def config(jwks, algorithms, max_token_bytes=8192, require=("exp",)):
        return {"jwks_file": "keys/" + jwks, "issuer": ISSUER, "audience": [AUDIENCE],
                "algorithms": algorithms, "typ": "at+jwt", "clock_skew_seconds": 60,
                "max_token_bytes": max_token_bytes, "require": list(require)}

    corpus = Corpus(keys)
    add_control_cases(corpus)
    add_alg_none_cases(corpus)
    add_confusion_cases(corpus)
    add_ecdsa_cases(corpus)
    add_other_signature_cases(corpus)
    add_embedded_key_cases(corpus)
    add_base64_cases(corpus)
    add_json_cases(corpus)
    add_claim_cases(corpus)
    add_header_member_cases(corpus)
    add_shape_cases(corpus)
    add_size_cases(corpus)
    add_authorization_cases(corpus)
    add_jwks_cases(corpus)

    manifest = {
        "about": ("Hostile inputs for stepup's token verifier, Authorization parser and JWKS "
                  "loader. Written by make_corpus.py; read by "
                  "tests/token/hostile_corpus_test.cc. Keys are test-only."),
        "now": NOW,
        "configs": {
            "default": config("test_only_all.jwks.json", ALL_ALGORITHMS),
            "rsa_and_hmac": config("test_only_rsa_and_hmac.jwks.json", ["RS256", "HS256"]),
            "rs256_only": config("test_only_rsa.jwks.json", ["RS256"]),
            "ec_only": config("test_only_ec_p256.jwks.json", ["ES256"]),
            "big": config("test_only_all.jwks.json", ALL_ALGORITHMS, 4 << 20),
            "require_cnf": config("test_only_all.jwks.json", ALL_ALGORITHMS,
                                  require=("exp", "cnf")),
        },
        "tokens": corpus.tokens,
        "authorization": corpus.authorization,
        "jwks": corpus.jwks,
    }
    def dumps(value, **options):
        # ASCII but for the section sign of the references: a no-break space or a
        # look-alike letter in a hostile header stays visible as an escape.
        text = json.dumps(value, ensure_ascii=False, **options)
        return "".join(ch if ch == "\u00a7" or ord(ch) < 0x7f else json.dumps(ch)[1:-1]
                       for ch in text)

    # One case per line, so that a case reads (and diffs) as one line.
    lines = ["{"]
    for key, value in manifest.items():
        if key in ("tokens", "authorization", "jwks"):
            cases = [" " * 2 + dumps(case) for case in value]
            lines.append(" %s: [\n%s\n ]," % (json.dumps(key), ",\n".join(cases)))
        else:
            text = dumps(value, indent=1).replace("\n", "\n ")
            lines.append(" %s: %s," % (json.dumps(key), text))
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    with open(os.path.join(HERE, "tokens.json"), "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print("%d token cases, %d Authorization cases, %d JWKS cases" %
          (len(corpus.tokens), len(corpus.authorization), len(corpus.jwks)), file=sys.stderr)


if __name__ == "__main__":
    main()
