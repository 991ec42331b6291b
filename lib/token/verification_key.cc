// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/verification_key.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "token/base64url.h"

namespace stepup::token_internal {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 16384;  // Bounds verification cost per token.

absl::Status invalid(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

// A metadata member's value (`use`, `alg`, `kty`, `crv`; never key material)
// fit for a message: at most 32 printable ASCII characters, others as '?'.
std::string printable_member(std::string_view value) {
  std::string out;
  for (const char c : value.substr(0, 32))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (value.size() > 32) out += "...";
  return out;
}

// Reads a required base64url member into bytes.
absl::Status read_bytes(const JsonValue& jwk, std::string_view name, std::string& out) {
  const JsonValue* value = jwk.find(name);
  if (value == nullptr) return invalid("missing member \"" + std::string(name) + "\"");
  if (!value->is_string()) return invalid("member \"" + std::string(name) + "\" is not a string");
  if (!decode_base64url(value->as_string(), out) || out.empty()) {
    return invalid("member \"" + std::string(name) + "\" is not canonical unpadded base64url");
  }
  return absl::OkStatus();
}

std::size_t signature_size_for(KeyType type, const EVP_PKEY* key) {
  switch (type) {
    case KeyType::kRsa:
      return static_cast<std::size_t>(EVP_PKEY_get_size(key));
    case KeyType::kEcP256:
      return 64;
    case KeyType::kEcP384:
      return 96;
    case KeyType::kEcP521:
      return 132;
    case KeyType::kEd25519:
      return 64;
    case KeyType::kOctet:
      return 0;
  }
  return 0;
}

// Ensures an EC point lies on its curve, the defence against invalid-curve
// attacks; EVP_PKEY_fromdata and PEM parsing alone do not promise it.
absl::Status check_public_key(EVP_PKEY* key, KeyType type) {
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!context || EVP_PKEY_public_check(context.get()) != 1) {
    return invalid(
        type == KeyType::kRsa
            ? "the RSA public key fails OpenSSL's validity check"
            : "the EC public key fails OpenSSL's validity check (point not on the curve)");
  }
  return absl::OkStatus();
}

// Whether the canonical Ed25519 encoding `x` (y and the sign of x) decodes
// to a point of the curve -x^2 + y^2 = 1 + d x^2 y^2 (RFC 8032 §5.1.3):
// x^2 = (y^2 - 1) / (d y^2 + 1) must be a square mod p, and x = 0 must not
// come with the sign bit set. A point off the curve is no public key.
bool ed25519_decodes(const unsigned char* x) {
  unsigned char big_endian[32];
  std::reverse_copy(x, x + 32, big_endian);
  const bool sign = (big_endian[0] & 0x80) != 0;
  big_endian[0] &= 0x7f;
  BnCtxPtr context(BN_CTX_new());
  BignumPtr p(BN_new()), y(BN_bin2bn(big_endian, 32, nullptr)), y2(BN_new()), u(BN_new()),
      v(BN_new()), d(BN_new()), w(BN_new()), exponent(BN_new());
  BignumPtr numerator(BN_new()), denominator(BN_new());
  bool ok = context && p && y && y2 && u && v && d && w && exponent && numerator && denominator;
  // p = 2^255 - 19; d = -121665 / 121666 mod p; exponent = (p - 1) / 2.
  ok = ok && BN_set_bit(p.get(), 255) && BN_sub_word(p.get(), 19) &&
       BN_set_word(numerator.get(), 121665) && BN_sub(numerator.get(), p.get(), numerator.get()) &&
       BN_set_word(denominator.get(), 121666) &&
       BN_mod_inverse(denominator.get(), denominator.get(), p.get(), context.get()) != nullptr &&
       BN_mod_mul(d.get(), numerator.get(), denominator.get(), p.get(), context.get()) &&
       BN_mod_sqr(y2.get(), y.get(), p.get(), context.get()) &&
       BN_mod_sub(u.get(), y2.get(), BN_value_one(), p.get(), context.get()) &&
       BN_mod_mul(v.get(), d.get(), y2.get(), p.get(), context.get()) &&
       BN_mod_add(v.get(), v.get(), BN_value_one(), p.get(), context.get()) &&
       BN_mod_inverse(v.get(), v.get(), p.get(), context.get()) != nullptr &&
       BN_mod_mul(w.get(), u.get(), v.get(), p.get(), context.get()) &&
       BN_sub(exponent.get(), p.get(), BN_value_one()) &&
       BN_rshift1(exponent.get(), exponent.get());
  if (!ok) {
    ERR_clear_error();
    return false;
  }
  if (BN_is_zero(w.get())) return !sign;
  // Euler's criterion: w is a square exactly when w^((p-1)/2) = 1.
  if (!BN_mod_exp(w.get(), w.get(), exponent.get(), p.get(), context.get())) {
    ERR_clear_error();
    return false;
  }
  return BN_is_one(w.get());
}

// Ed25519 public keys that make forgery trivial: non-canonical encodings
// (y >= p, RFC 8032 §5.1.3) and the points of small order, such as the
// identity, under which one signature verifies for every message. OpenSSL
// 3.0 verifies against them, so they are refused when the key loads.
absl::Status check_ed25519_public_key(const unsigned char* x) {
  unsigned char y[32];
  std::copy(x, x + 32, y);
  y[31] &= 0x7f;  // The top bit is the sign of the x coordinate.
  // p = 2^255 - 19, little-endian.
  static constexpr unsigned char kP[32] = {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  for (int i = 31; i >= 0; --i) {
    if (y[i] < kP[i]) break;
    if (y[i] > kP[i] || i == 0) return invalid("Ed25519 key is not canonically encoded");
  }
  // The y coordinates of the eight points of order 1, 2, 4 and 8.
  static constexpr unsigned char kSmallOrderY[][32] = {
      {0x01},
      {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
      {0x00},
      {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
       0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
       0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
      {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
       0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
       0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
  };
  for (const auto& small : kSmallOrderY) {
    if (std::equal(y, y + 32, small)) return invalid("Ed25519 key is a point of small order");
  }
  if (!ed25519_decodes(x)) return invalid("Ed25519 key is not a point of the curve");
  return absl::OkStatus();
}

absl::StatusOr<VerificationKey> finish_asymmetric(EvpPkeyPtr key, KeyType type) {
  if (type == KeyType::kRsa) {
    const int bits = EVP_PKEY_get_bits(key.get());
    if (bits < kMinRsaBits) {
      return invalid("RSA key of " + std::to_string(bits) + " bits; at least 2048 are required");
    }
    if (bits > kMaxRsaBits) {
      return invalid("RSA key of " + std::to_string(bits) + " bits; at most 16384 are accepted");
    }
  }
  if (type == KeyType::kEd25519) {
    unsigned char raw[32];
    std::size_t size = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key.get(), raw, &size) != 1 || size != sizeof raw) {
      return invalid("Ed25519 key is not 32 bytes");
    }
    if (absl::Status status = check_ed25519_public_key(raw); !status.ok()) return status;
  } else if (absl::Status status = check_public_key(key.get(), type); !status.ok()) {
    return status;
  }
  VerificationKey result;
  result.type = type;
  result.signature_size = signature_size_for(type, key.get());
  result.allowed = algorithms_for_type(type, 0);
  result.public_key = std::move(key);
  return result;
}

absl::StatusOr<VerificationKey> rsa_from_jwk(const JsonValue& jwk) {
  std::string modulus, exponent;
  if (absl::Status s = read_bytes(jwk, "n", modulus); !s.ok()) return s;
  if (absl::Status s = read_bytes(jwk, "e", exponent); !s.ok()) return s;
  if (exponent.size() > 8) return invalid("member \"e\" is longer than 8 bytes");
  uint64_t exponent_value = 0;
  for (char byte : exponent)
    exponent_value = (exponent_value << 8) | static_cast<unsigned char>(byte);
  if (exponent_value < 3 || exponent_value % 2 == 0) {
    return invalid("member \"e\" is not an odd exponent of at least 3");
  }
  if (modulus.size() > kMaxRsaBits / 8 + 1) return invalid("member \"n\" is too long");
  BignumPtr n(BN_bin2bn(reinterpret_cast<const unsigned char*>(modulus.data()),
                        static_cast<int>(modulus.size()), nullptr));
  BignumPtr e(BN_bin2bn(reinterpret_cast<const unsigned char*>(exponent.data()),
                        static_cast<int>(exponent.size()), nullptr));
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (!n || !e || !builder ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
    return absl::InternalError("OpenSSL could not build RSA parameters: " + openssl_error_text());
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return invalid("OpenSSL refused the RSA key: " + openssl_error_text());
  }
  return finish_asymmetric(EvpPkeyPtr(raw), KeyType::kRsa);
}

absl::StatusOr<VerificationKey> ec_from_jwk(const JsonValue& jwk) {
  const JsonValue* curve = jwk.find("crv");
  if (curve == nullptr || !curve->is_string()) return invalid("missing string member \"crv\"");
  KeyType type;
  const char* group = nullptr;
  std::size_t coordinate_size = 0;
  if (curve->as_string() == "P-256") {
    type = KeyType::kEcP256, group = "P-256", coordinate_size = 32;
  } else if (curve->as_string() == "P-384") {
    type = KeyType::kEcP384, group = "P-384", coordinate_size = 48;
  } else if (curve->as_string() == "P-521") {
    type = KeyType::kEcP521, group = "P-521", coordinate_size = 66;
  } else {
    return invalid("unsupported EC curve " + printable_member(curve->as_string()) +
                   " (\"crv\" must be P-256, P-384 or P-521)");
  }
  std::string x, y;
  if (absl::Status s = read_bytes(jwk, "x", x); !s.ok()) return s;
  if (absl::Status s = read_bytes(jwk, "y", y); !s.ok()) return s;
  // RFC 7518 §6.2.1.2: coordinates are exactly the curve's size.
  if (x.size() != coordinate_size || y.size() != coordinate_size) {
    return invalid("EC coordinates must be exactly " + std::to_string(coordinate_size) +
                   " bytes for " + group);
  }
  std::string point;
  point.reserve(1 + 2 * coordinate_size);
  point += '\x04';
  point += x;
  point += y;
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return absl::InternalError("OpenSSL could not build EC parameters: " + openssl_error_text());
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return invalid("OpenSSL refused the EC key (point not on the curve?): " + openssl_error_text());
  }
  return finish_asymmetric(EvpPkeyPtr(raw), type);
}

absl::StatusOr<VerificationKey> okp_from_jwk(const JsonValue& jwk) {
  const JsonValue* curve = jwk.find("crv");
  if (curve == nullptr || !curve->is_string()) return invalid("missing string member \"crv\"");
  if (curve->as_string() != "Ed25519")
    return invalid("unsupported OKP curve " + printable_member(curve->as_string()) +
                   " (\"crv\" must be Ed25519)");
  std::string x;
  if (absl::Status s = read_bytes(jwk, "x", x); !s.ok()) return s;
  if (x.size() != 32) return invalid("Ed25519 member \"x\" must be exactly 32 bytes");
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size()));
  if (!key) return invalid("OpenSSL refused the Ed25519 key: " + openssl_error_text());
  return finish_asymmetric(std::move(key), KeyType::kEd25519);
}

absl::StatusOr<VerificationKey> oct_from_jwk(const JsonValue& jwk) {
  VerificationKey result;
  result.type = KeyType::kOctet;
  if (absl::Status s = read_bytes(jwk, "k", result.secret); !s.ok()) return s;
  // RFC 7518 §3.2: a key at least as long as the hash output.
  result.allowed = algorithms_for_type(KeyType::kOctet, result.secret.size());
  if (result.allowed == 0) return invalid("HMAC secret shorter than 32 bytes (RFC 7518 §3.2)");
  return result;
}

// RFC 7517 §4.2/§4.3: a verification key may say it is for signatures.
absl::Status check_usage(const JsonValue& jwk) {
  if (const JsonValue* use = jwk.find("use")) {
    if (!use->is_string()) return invalid("\"use\" is not a string");
    if (use->as_string() != "sig") {
      return invalid("\"use\" is \"" + printable_member(use->as_string()) + "\", not \"sig\"");
    }
  }
  if (const JsonValue* ops = jwk.find("key_ops")) {
    if (!ops->is_array()) return invalid("\"key_ops\" is not a list");
    bool verify = false;
    for (const JsonValue& op : ops->items()) {
      if (!op.is_string()) return invalid("\"key_ops\" holds a non-string");
      verify = verify || op.as_string() == "verify";
    }
    if (!verify) return invalid("\"key_ops\" does not include \"verify\"");
  }
  return absl::OkStatus();
}

absl::Status refuse_private_members(const JsonValue& jwk) {
  const std::string_view name = private_member_of(jwk);
  if (name.empty()) return absl::OkStatus();
  return invalid("holds private key member \"" + std::string(name) +
                 "\"; give verification keys as public keys only");
}

absl::Status bind_algorithm(const JsonValue* alg, VerificationKey& key) {
  if (alg == nullptr) return absl::OkStatus();
  if (!alg->is_string()) return invalid("\"alg\" is not a string");
  const std::optional<Algorithm> algorithm = algorithm_from_name(alg->as_string());
  if (!algorithm) {
    return invalid("\"alg\" " + printable_member(alg->as_string()) +
                   " is not a JWS signature algorithm stepup verifies");
  }
  if (!key.allows(*algorithm)) {
    return invalid("\"alg\" " + std::string(alg->as_string()) +
                   " cannot be used with this key type or size");
  }
  key.allowed = algorithm_bit(*algorithm);
  return absl::OkStatus();
}

AlgorithmMask mask_of(std::initializer_list<Algorithm> algorithms) {
  AlgorithmMask mask = 0;
  for (Algorithm a : algorithms)
    mask |= algorithm_bit(a);
  return mask;
}

}  // namespace

std::string_view private_member_of(const JsonValue& jwk) {
  static constexpr std::string_view kPrivate[] = {"d", "p", "q", "dp", "dq", "qi", "oth"};
  const JsonValue* kty = jwk.find("kty");
  if (kty != nullptr && kty->is_string() && kty->as_string() == "oct") return {};
  for (const std::string_view name : kPrivate) {
    if (jwk.find(name) != nullptr) return name;
  }
  return {};
}

uint64_t next_verification_key_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

VerificationKey::~VerificationKey() {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
}

AlgorithmMask algorithms_for_type(KeyType type, std::size_t secret_size) {
  using A = Algorithm;
  switch (type) {
    case KeyType::kRsa:
      return mask_of({A::kRS256, A::kRS384, A::kRS512, A::kPS256, A::kPS384, A::kPS512});
    case KeyType::kEcP256:
      return algorithm_bit(A::kES256);
    case KeyType::kEcP384:
      return algorithm_bit(A::kES384);
    case KeyType::kEcP521:
      return algorithm_bit(A::kES512);
    case KeyType::kEd25519:
      return algorithm_bit(A::kEdDSA);
    case KeyType::kOctet: {
      AlgorithmMask mask = 0;
      if (secret_size >= 32) mask |= algorithm_bit(A::kHS256);
      if (secret_size >= 48) mask |= algorithm_bit(A::kHS384);
      if (secret_size >= 64) mask |= algorithm_bit(A::kHS512);
      return mask;
    }
  }
  return 0;
}

absl::StatusOr<VerificationKey> key_from_jwk(const JsonValue& jwk) {
  OpenSslErrorScope clear_errors;
  if (!jwk.is_object()) return invalid("is not a JSON object");
  const JsonValue* kty = jwk.find("kty");
  if (kty == nullptr || !kty->is_string()) return invalid("missing string member \"kty\"");
  if (absl::Status s = check_usage(jwk); !s.ok()) return s;
  if (absl::Status s = refuse_private_members(jwk); !s.ok()) return s;
  absl::StatusOr<VerificationKey> key;
  if (kty->as_string() == "RSA") {
    key = rsa_from_jwk(jwk);
  } else if (kty->as_string() == "EC") {
    key = ec_from_jwk(jwk);
  } else if (kty->as_string() == "OKP") {
    key = okp_from_jwk(jwk);
  } else if (kty->as_string() == "oct") {
    key = oct_from_jwk(jwk);
  } else {
    return invalid("unsupported \"kty\" " + printable_member(kty->as_string()) +
                   " (must be RSA, EC, OKP or oct)");
  }
  if (!key.ok()) return key.status();
  if (const JsonValue* kid = jwk.find("kid")) {
    if (!kid->is_string()) return invalid("\"kid\" is not a string");
    key->kid = std::string(kid->as_string());
    key->has_kid = true;
  }
  if (absl::Status s = bind_algorithm(jwk.find("alg"), *key); !s.ok()) return s;
  return key;
}

absl::StatusOr<VerificationKey> key_from_pem(std::string_view pem, const PemKeyOptions& options) {
  OpenSslErrorScope clear_errors;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return absl::InternalError("OpenSSL could not allocate a BIO");
  EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return invalid("not a PEM PUBLIC KEY (SubjectPublicKeyInfo): " + openssl_error_text());
  KeyType type;
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      type = KeyType::kRsa;
      break;
    case EVP_PKEY_ED25519:
      type = KeyType::kEd25519;
      break;
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &length) != 1) {
        return invalid("EC key without a named curve");
      }
      const std::string_view name(group, length);
      if (name == "prime256v1" || name == "P-256") {
        type = KeyType::kEcP256;
      } else if (name == "secp384r1" || name == "P-384") {
        type = KeyType::kEcP384;
      } else if (name == "secp521r1" || name == "P-521") {
        type = KeyType::kEcP521;
      } else {
        return invalid("unsupported EC curve " + std::string(name));
      }
      break;
    }
    default:
      return invalid("unsupported key type (RSA, EC P-256/384/521 or Ed25519 expected)");
  }
  absl::StatusOr<VerificationKey> result = finish_asymmetric(std::move(key), type);
  if (!result.ok()) return result.status();
  result->kid = options.kid;
  result->has_kid = !options.kid.empty();
  if (options.algorithm) {
    if (!result->allows(*options.algorithm)) {
      return invalid(std::string(algorithm_name(*options.algorithm)) +
                     " cannot be used with this key type");
    }
    result->allowed = algorithm_bit(*options.algorithm);
  }
  return result;
}

VerificationKey hmac_key_for_vectors(std::string_view secret, Algorithm algorithm) {
  VerificationKey key;
  key.type = KeyType::kOctet;
  key.secret = std::string(secret);
  key.allowed = algorithm_bit(algorithm);
  return key;
}

}  // namespace stepup::token_internal
