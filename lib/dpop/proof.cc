// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "dpop/proof.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>
#include <memory>

#include "common/ascii.h"
#include "dpop/htu.h"
#include "dpop/jwk_thumbprint.h"
#include "json/json_ref.h"
#include "json/strict_json.h"
#include "token/base64url.h"
#include "token/claims_check.h"
#include "token/jws.h"
#include "token/signature.h"
#include "token/verification_key.h"

namespace stepup::dpop {
namespace {

constexpr std::size_t kMaxJtiBytes = 256;

TokenError from_parse_error(TokenError error) {
  switch (error) {
    case TokenError::kAlgMissing:
    case TokenError::kAlgNone:
    case TokenError::kAlgUnknown:
      return TokenError::kDpopProofAlgNotAllowed;
    default:
      return TokenError::kDpopProofMalformed;
  }
}

// Whether `thumbprint` is the one the token is bound to (constant time); an
// empty `bound` binds nothing.
bool binds(std::string_view thumbprint, std::string_view bound) {
  return bound.empty() || (thumbprint.size() == bound.size() &&
                           CRYPTO_memcmp(thumbprint.data(), bound.data(), bound.size()) == 0);
}

// A proof key that passed its checks, with its thumbprint.
struct ProofKey {
  std::string header;  // The proof's encoded JOSE header segment.
  std::string thumbprint;
  std::shared_ptr<const token_internal::VerificationKey> key;
};

// The key of the proof whose encoded header is `header_segment`: its `jwk`
// an object without private members, its thumbprint bound by `bound`, and
// usable. Clients sign many proofs with one key, so each thread keeps the
// last few keys by the header's bytes (which fix the jwk's `alg`, `use`
// and `key_ops` too). The binding is checked before a key is imported: a
// key an attacker chose (an RSA modulus check takes milliseconds) is only
// imported when the token is bound to it.
TokenError proof_key(std::string_view header_segment, std::string_view bound,
                     const ProofKey*& out) {
  thread_local std::array<ProofKey, 8> recent;
  thread_local std::size_t next = 0;
  for (const ProofKey& entry : recent) {
    if (entry.key != nullptr && entry.header == header_segment) {
      if (!binds(entry.thumbprint, bound)) return TokenError::kDpopProofKeyMismatch;
      out = &entry;
      return TokenError::kOk;
    }
  }
  // parse_jws() keeps the members it acts on (and may answer from a cache
  // of headers): the `jwk` is read from the header itself.
  std::string header_text;
  if (!token_internal::decode_base64url(header_segment, header_text))
    return TokenError::kDpopProofMalformed;
  const std::optional<JsonValue> header =
      JsonValue::parse_object(header_text, token_internal::kMaxTokenJsonDepth);
  if (!header) return TokenError::kDpopProofMalformed;
  const JsonValue* jwk = header->find("jwk");
  if (jwk == nullptr || !jwk->is_object()) return TokenError::kDpopProofKeyMissing;
  if (!token_internal::private_member_of(*jwk).empty() || jwk->find("k") != nullptr)
    return TokenError::kDpopProofPrivateKey;
  std::optional<std::string> thumbprint = jwk_thumbprint(*jwk);
  if (!thumbprint) return TokenError::kDpopProofKeyInvalid;
  if (!binds(*thumbprint, bound)) return TokenError::kDpopProofKeyMismatch;
  absl::StatusOr<token_internal::VerificationKey> imported = token_internal::key_from_jwk(*jwk);
  if (!imported.ok()) return TokenError::kDpopProofKeyInvalid;
  ProofKey& slot = recent[next];
  next = (next + 1) % recent.size();
  slot.header.assign(header_segment);
  slot.thumbprint = *std::move(thumbprint);
  slot.key = std::make_shared<const token_internal::VerificationKey>(*std::move(imported));
  out = &slot;
  return TokenError::kOk;
}

}  // namespace

TokenError find_proof(std::span<const Header> headers, std::string_view& proof) {
  bool found = false;
  for (const Header& header : headers) {
    if (!common::equals_ignoring_ascii_case(header.name, "DPoP")) continue;
    if (found) return TokenError::kDpopProofMultiple;
    found = true;
    proof = header.value;
  }
  return found ? TokenError::kOk : TokenError::kDpopProofMissing;
}

std::string access_token_hash(std::string_view access_token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(access_token.data(), access_token.size(), digest, &length,
                 token_internal::sha256_digest(), nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  return token_internal::encode_base64url(
      std::string_view(reinterpret_cast<const char*>(digest), length));
}

TokenError verify_proof(std::string_view proof, const ProofCheck& check, VerifiedProof& out) {
  if (proof.size() > check.max_proof_bytes) return TokenError::kDpopProofTooLarge;
  // Reused, so that a warm thread parses without allocating.
  thread_local token_internal::ParsedJws jws;
  if (const TokenError parsed = token_internal::parse_jws(proof, jws); parsed != TokenError::kOk)
    return from_parse_error(parsed);
  if (!jws.header.has_typ || !token_internal::media_type_matches(jws.header.typ, "dpop+jwt"))
    return TokenError::kDpopProofTypInvalid;
  const Algorithm algorithm = jws.header.algorithm;
  if (!token_internal::is_asymmetric(algorithm) ||
      (check.algorithms & token_internal::algorithm_bit(algorithm)) == 0) {
    return TokenError::kDpopProofAlgNotAllowed;
  }
  const ProofKey* key = nullptr;
  if (const TokenError error =
          proof_key(proof.substr(0, proof.find('.')), check.bound_thumbprint, key);
      error != TokenError::kOk) {
    return error;
  }
  if (!key->key->allows(algorithm)) return TokenError::kDpopProofKeyInvalid;
  if (token_internal::verify_signature(*key->key, algorithm, jws.signing_input, jws.signature) !=
      TokenError::kOk) {
    return TokenError::kDpopProofSignatureInvalid;
  }
  thread_local json_internal::JsonDocument document;
  if (token_internal::parse_claims(jws, document) != TokenError::kOk)
    return TokenError::kDpopProofMalformed;
  const json_internal::JsonRef claims = document.root();
  const json_internal::JsonRef jti = claims.find("jti");
  const json_internal::JsonRef htm = claims.find("htm");
  const json_internal::JsonRef htu = claims.find("htu");
  const json_internal::JsonRef iat = claims.find("iat");
  if (!jti.is_string() || jti.as_string().empty() || jti.as_string().size() > kMaxJtiBytes ||
      !htm.is_string() || !htu.is_string() || !iat.is_integer()) {
    return TokenError::kDpopProofClaimMissing;
  }
  if (htm.as_string() != check.method) return TokenError::kDpopProofMethodMismatch;
  if (!htu_matches(htu.as_string(), check.uri)) return TokenError::kDpopProofUriMismatch;
  const int64_t issued = iat.as_integer();
  if (issued < check.now - check.max_age_seconds || issued > check.now + check.max_future_seconds)
    return TokenError::kDpopProofIatOutOfWindow;
  if (!check.access_token.empty()) {
    const json_internal::JsonRef ath = claims.find("ath");
    if (!ath.is_string()) return TokenError::kDpopProofAthMissing;
    const std::string expected = access_token_hash(check.access_token);
    if (expected.empty() || ath.as_string().size() != expected.size() ||
        CRYPTO_memcmp(ath.as_string().data(), expected.data(), expected.size()) != 0) {
      return TokenError::kDpopProofAthMismatch;
    }
  }
  out.thumbprint = key->thumbprint;
  out.jti.assign(jti.as_string());
  out.iat = issued;
  out.remember_until = issued + check.max_age_seconds;
  return TokenError::kOk;
}

}  // namespace stepup::dpop
