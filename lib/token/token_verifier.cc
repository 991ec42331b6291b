// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/token_verifier.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "token/claims_check.h"
#include "token/jws.h"
#include "token/key_set_access.h"
#include "token/signature.h"
#include "token/verification_key.h"
#include "token/verifier_access.h"

namespace stepup {
namespace token_internal {

struct VerifierData {
  std::vector<ValidatorOptions> validators;
  const Clock* clock = nullptr;
  std::size_t largest_token_bytes = 0;
};

namespace {

absl::Status check_validator(const ValidatorOptions& v, std::size_t index) {
  const std::string where = "validators[" + std::to_string(index) + "]: ";
  if (v.issuer.empty()) return absl::InvalidArgumentError(where + "\"issuer\" is required");
  if (v.audience.empty()) {
    return absl::InvalidArgumentError(where + "\"audience\" must list at least one value");
  }
  if (v.algorithms.empty()) {
    return absl::InvalidArgumentError(where + "\"algorithms\" must list at least one algorithm");
  }
  if (v.keys.size() == 0 && !v.keys_from_provider) {
    return absl::InvalidArgumentError(where + "no verification keys");
  }
  if (v.clock_skew_seconds < 0 || v.clock_skew_seconds > kMaxClockSkewSeconds) {
    return absl::InvalidArgumentError(where + "\"clock_skew_seconds\" must be within 0..86400");
  }
  if (v.max_token_bytes == 0) {
    return absl::InvalidArgumentError(where + "\"max_token_bytes\" must be positive");
  }
  if (v.typ && v.typ->empty()) {
    return absl::InvalidArgumentError(where + "\"typ\" is empty (use null to accept any)");
  }
  // A configured algorithm no key can perform is a silent outage: refuse it.
  // Keys from the provider follow its rotation, which may drop an algorithm
  // for a while (a withdrawn key must go): they need a key for at least one
  // allowed algorithm, once they have come.
  const auto& keys = KeySetAccess::data(v.keys).keys;
  auto can_verify = [&keys](Algorithm algorithm) {
    return std::any_of(keys.begin(), keys.end(),
                       [algorithm](const auto& key) { return key->allows(algorithm); });
  };
  if (v.keys_from_provider) {
    if (!keys.empty() && std::none_of(v.algorithms.begin(), v.algorithms.end(), can_verify)) {
      return absl::InvalidArgumentError(where + "no key can verify any allowed algorithm");
    }
    return absl::OkStatus();
  }
  for (Algorithm algorithm : v.algorithms) {
    if (!can_verify(algorithm)) {
      return absl::InvalidArgumentError(where + "no key can verify " +
                                        std::string(algorithm_name(algorithm)));
    }
  }
  return absl::OkStatus();
}

// Verifies with the candidate keys: those named by `kid` (or, without `kid`,
// every key) that are bound to the token's algorithm.
TokenError verify_with_keys(const ParsedJws& jws, const KeySetData& keys) {
  const JoseHeader& header = jws.header;
  bool kid_found = false;
  bool tried = false;
  TokenError first_failure = TokenError::kSignatureInvalid;
  for (const auto& key : keys.keys) {
    if (header.has_kid) {
      // Key ids often share their length: compare the last byte first.
      if (!key->has_kid || key->kid.size() != header.kid.size() ||
          (!key->kid.empty() && key->kid.back() != header.kid.back()) || key->kid != header.kid) {
        continue;
      }
      kid_found = true;
    }
    if (!key->allows(header.algorithm)) continue;
    const TokenError result =
        verify_signature(*key, header.algorithm, jws.signing_input, jws.signature);
    if (result == TokenError::kOk) return result;
    if (!tried) first_failure = result;
    tried = true;
  }
  if (tried) return first_failure;
  if (header.has_kid && kid_found) return TokenError::kKeyAlgorithmMismatch;
  return TokenError::kKeyNotFound;
}

}  // namespace
}  // namespace token_internal

using token_internal::ParsedJws;

TokenVerifier::TokenVerifier(std::shared_ptr<const token_internal::VerifierData> data)
    : data_(std::move(data)) {}

absl::StatusOr<TokenVerifier> TokenVerifier::create(TokenVerifierOptions options) {
  if (options.validators.empty()) {
    return absl::InvalidArgumentError("at least one validator is required");
  }
  auto data = std::make_shared<token_internal::VerifierData>();
  for (std::size_t i = 0; i < options.validators.size(); ++i) {
    ValidatorOptions& validator = options.validators[i];
    if (absl::Status s = token_internal::check_validator(validator, i); !s.ok()) return s;
    for (std::size_t j = 0; j < i; ++j) {
      if (options.validators[j].issuer == validator.issuer) {
        return absl::InvalidArgumentError("validators[" + std::to_string(i) +
                                          "]: a validator for this issuer already exists");
      }
    }
    if (validator.name.empty()) validator.name = validator.issuer;
    data->largest_token_bytes = std::max(data->largest_token_bytes, validator.max_token_bytes);
  }
  data->validators = std::move(options.validators);
  data->clock = options.clock != nullptr ? options.clock : &system_clock();
  return TokenVerifier(std::move(data));
}

const std::vector<ValidatorOptions>& TokenVerifier::validators() const {
  return data_->validators;
}

TokenResult TokenVerifier::verify(std::string_view compact_token) const {
  return verify_at(compact_token, data_->clock->now_seconds());
}

TokenResult TokenVerifier::verify_at(std::string_view compact_token, int64_t now_seconds) const {
  TokenResult result;
  token_internal::UntimedVerification verified;
  result.error = token_internal::VerifierAccess::verify_untimed(*this, compact_token, verified);
  if (result.error == TokenError::kOk) result.error = verified.window.check(now_seconds);
  if (result.error != TokenError::kOk) return result;
  result.valid_from = verified.window.valid_from();
  result.valid_until = verified.window.valid_until();
  result.validator = verified.validator->name;
  JsonValue claims;
  verified.claims.copy_to(claims);
  result.claims = Claims(std::move(claims), verified.algorithm, std::move(verified.key_id));
  return result;
}

namespace token_internal {

std::size_t VerifierAccess::max_token_bytes(const TokenVerifier& verifier) {
  return verifier.data_->largest_token_bytes;
}

TokenError VerifierAccess::verify_untimed(const TokenVerifier& verifier,
                                          std::string_view compact_token,
                                          UntimedVerification& out) {
  const VerifierData& data = *verifier.data_;
  if (compact_token.size() > data.largest_token_bytes) return TokenError::kTokenTooLarge;

  // Reused by every verification on this thread, so decoding and parsing
  // allocate nothing once warm. The claims are read where they were parsed.
  // Nothing may point into claims of an earlier token. (`registered` is
  // only read along with `claims`.)
  out.claims = {};
  out.validator = nullptr;
  thread_local ParsedJws jws;
  thread_local json_internal::JsonDocument claims_document;
  if (TokenError e = parse_jws(compact_token, jws); e != TokenError::kOk) return e;
  if (TokenError e = parse_claims(jws, claims_document); e != TokenError::kOk) return e;
  const json_internal::JsonRef claims = claims_document.root();

  // The validator is chosen by the (not yet verified) issuer; everything it
  // then checks is bound to the signature it verifies.
  const RegisteredClaims& registered = out.registered = RegisteredClaims::locate(claims);
  if (!registered.iss) return TokenError::kIssuerMissing;
  if (!registered.iss.is_string()) return TokenError::kIssuerInvalid;
  const std::string_view issuer = registered.iss.as_string();
  const auto& validators = data.validators;
  const auto validator =
      std::find_if(validators.begin(), validators.end(),
                   [issuer](const ValidatorOptions& v) { return v.issuer == issuer; });
  if (validator == validators.end()) return TokenError::kIssuerUnknown;
  if (compact_token.size() > validator->max_token_bytes) return TokenError::kTokenTooLarge;

  out.validator = &*validator;
  const Algorithm algorithm = jws.header.algorithm;
  if (std::find(validator->algorithms.begin(), validator->algorithms.end(), algorithm) ==
      validator->algorithms.end()) {
    return TokenError::kAlgNotAllowed;
  }
  if (TokenError e = verify_with_keys(jws, KeySetAccess::data(validator->keys));
      e != TokenError::kOk)
    return e;
  if (validator->typ &&
      (!jws.header.has_typ || !media_type_matches(jws.header.typ, *validator->typ))) {
    return TokenError::kTypMismatch;
  }
  if (TokenError e = check_claims_shape(claims, registered, *validator, out.window);
      e != TokenError::kOk) {
    return e;
  }
  out.claims = claims;
  out.algorithm = algorithm;
  out.key_id.assign(jws.header.kid);
  return TokenError::kOk;
}

}  // namespace token_internal
}  // namespace stepup
