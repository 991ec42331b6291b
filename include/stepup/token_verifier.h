// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOKEN_VERIFIER_H_
#define STEPUP_TOKEN_VERIFIER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/algorithm.h"
#include "stepup/claims.h"
#include "stepup/clock.h"
#include "stepup/export.h"
#include "stepup/key_set.h"
#include "stepup/status.h"
#include "stepup/token_error.h"

namespace stepup {

namespace token_internal {
struct VerifierData;
struct VerifierAccess;
}  // namespace token_internal

// How tokens from one trusted issuer are validated (one `validators` entry of
// the policy document, SPEC §2).
struct ValidatorOptions {
  // A name for messages and decisions. Default: the issuer.
  std::string name = {};
  // The exact `iss` this validator accepts. Required.
  std::string issuer = {};
  // The token's `aud` must contain at least one of these. Required, non-empty.
  std::vector<std::string> audience = {};
  // The allowed `alg` values (RFC 8725 §3.1). Required, non-empty.
  std::vector<Algorithm> algorithms = {};
  // The expected `typ`, compared as a media type: case-insensitively, with the
  // "application/" prefix optional. nullopt accepts any `typ` or none.
  // Default: "at+jwt" (RFC 9068 §2.1).
  std::optional<std::string> typ = "at+jwt";
  // Leeway for `exp`, `nbf`, `iat` and `auth_time`. Default: 60.
  int64_t clock_skew_seconds = 60;
  // Tokens longer than this are refused before any decoding. Default: 8192.
  std::size_t max_token_bytes = 8192;
  // Claims that must be present. Default: {"exp"}.
  std::vector<std::string> required_claims = {"exp"};
  // The verification keys. Required, non-empty unless `keys_from_provider`.
  KeySet keys = {};
  // The keys are fetched from the identity provider and may not have
  // arrived yet: an empty set is allowed (every token then fails with
  // kKeyNotFound; the engine answers 503 for it, docs/spec.md §2), and a
  // set needs a key for one allowed algorithm, not for each (rotation may
  // withdraw one).
  bool keys_from_provider = false;
  // Where the keys came from, for operators: such as `jwks_file keys.json`
  // or `jwks (inline)`. The policy loader sets it; free text otherwise.
  std::string key_source = {};
};

struct TokenVerifierOptions {
  // The validator whose `issuer` equals the token's `iss` validates it.
  // Required, non-empty; issuers unique.
  std::vector<ValidatorOptions> validators = {};
  // Default: system_clock(). Must outlive the verifier.
  const Clock* clock = nullptr;
};

// The outcome of validating one token: kOk with its claims, or the reason.
struct TokenResult {
  TokenError error = TokenError::kOk;
  // The `name` of the validator that accepted the token (empty on failure).
  std::string validator;
  // The token's claims; empty unless ok().
  Claims claims;
  // When ok(): the times (epoch seconds) at which the time claims hold, with
  // the validator's skew: from `valid_from` (inclusive) until `valid_until`
  // (exclusive). The result may be reused for the same token bytes at any
  // time in that span (keys and configuration unchanged).
  int64_t valid_from = std::numeric_limits<int64_t>::min();
  int64_t valid_until = std::numeric_limits<int64_t>::max();

  bool ok() const { return error == TokenError::kOk; }
};

// The bearer token carried by an Authorization header value.
struct BearerToken {
  TokenError error = TokenError::kOk;  // kOk, or one of the kAuthorization* codes.
  std::string_view token;              // Points into the header value.
};

// Splits `Bearer <b64token>` (RFC 6750 §2.1): the scheme is matched
// case-insensitively, then one or more spaces, then the token68 and nothing
// else. nullopt means no header (kAuthorizationMissing).
STEPUP_EXPORT BearerToken parse_bearer_authorization(std::optional<std::string_view> header_value);

// Validates JWS compact access tokens (RFC 7515, RFC 7519, RFC 9068) with the
// strictness of RFC 8725: parse and decode, choose the validator by `iss`,
// check `alg` and select the key by (kid, alg), verify the signature, then
// check `typ`, `aud` and the time claims against the injected clock.
// A `TokenVerifier` is immutable once created and safe for concurrent
// `verify()` calls from many threads without external synchronization.
// Copying shares the configuration.
class STEPUP_EXPORT TokenVerifier {
 public:
  // Refuses options that would fail open: no validators, an empty issuer,
  // audience, algorithm list or key set, a negative skew, a zero size limit,
  // or two validators for one issuer.
  static absl::StatusOr<TokenVerifier> create(TokenVerifierOptions options);

  // Validates a compact token at the clock's current time.
  TokenResult verify(std::string_view compact_token) const;

  // Validates a compact token at `now_seconds` (epoch seconds).
  TokenResult verify_at(std::string_view compact_token, int64_t now_seconds) const;

  // The validators, as created (their keys with what was skipped), for
  // operators and tools.
  const std::vector<ValidatorOptions>& validators() const;

 private:
  friend struct token_internal::VerifierAccess;
  explicit TokenVerifier(std::shared_ptr<const token_internal::VerifierData> data);
  std::shared_ptr<const token_internal::VerifierData> data_;
};

}  // namespace stepup

#endif  // STEPUP_TOKEN_VERIFIER_H_
