// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_CLAIMS_CHECK_H_
#define STEPUP_LIB_TOKEN_CLAIMS_CHECK_H_

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include "json/json_ref.h"
#include "stepup/json_value.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "token/registered_claims.h"

namespace stepup::token_internal {

// The largest clock skew a validator may configure (one day).
inline constexpr int64_t kMaxClockSkewSeconds = 86400;

// True when `typ` names the media type `expected`: case-insensitive, with the
// "application/" prefix optional on either side (RFC 7515 §4.1.9).
bool media_type_matches(std::string_view typ, std::string_view expected);

// When a token's time claims hold, with the validator's skew: from the
// largest of `nbf`, `iat` and `auth_time` (minus skew), until `exp` (plus
// skew, exclusive). Absent claims leave their bound open.
struct ValidityWindow {
  static constexpr int64_t kOpenStart = std::numeric_limits<int64_t>::min();
  static constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

  int64_t until = kOpenEnd;
  TokenError until_error = TokenError::kOk;
  std::array<int64_t, 3> from = {kOpenStart, kOpenStart, kOpenStart};  // nbf, iat, auth_time
  std::array<TokenError, 3> from_errors = {TokenError::kOk, TokenError::kOk, TokenError::kOk};

  // kOk when `now` is inside, else the reason a full check would give.
  TokenError check(int64_t now) const;
  int64_t valid_from() const;
  int64_t valid_until() const { return until; }
};

// Everything of check_claims() that does not depend on the time: `aud`, the
// time claims' types and ranges, required claims. Fills `window`.
TokenError check_claims_shape(json_internal::JsonRef claims, const ValidatorOptions& validator,
                              ValidityWindow& window);
// The same, with the registered claims of `claims` already located.
TokenError check_claims_shape(json_internal::JsonRef claims, const RegisteredClaims& registered,
                              const ValidatorOptions& validator, ValidityWindow& window);

// Checks `aud`, `exp`, `nbf`, `iat`, `auth_time` and required claims of a
// verified token against the validator at `now` (RFC 7519 §4.1, RFC 9068
// §4). NumericDates must be JSON integers in [0, kMaxNumericDate].
TokenError check_claims(const JsonValue& claims, const ValidatorOptions& validator, int64_t now);

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_CLAIMS_CHECK_H_
