// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/claims_check.h"

#include <algorithm>

#include "common/ascii.h"

namespace stepup::token_internal {
namespace {

using json_internal::JsonRef;

std::string_view without_application_prefix(std::string_view type) {
  constexpr std::string_view kPrefix = "application/";
  if (type.size() > kPrefix.size() &&
      common::equals_ignoring_ascii_case(type.substr(0, kPrefix.size()), kPrefix)) {
    return type.substr(kPrefix.size());
  }
  return type;
}

enum class DateStatus { kAbsent, kInvalid, kValid };

DateStatus read_numeric_date(JsonRef value, int64_t& out) {
  if (!value) return DateStatus::kAbsent;
  if (!value.is_integer()) return DateStatus::kInvalid;
  out = value.as_integer();
  return (out < 0 || out > kMaxNumericDate) ? DateStatus::kInvalid : DateStatus::kValid;
}

TokenError check_audience(JsonRef aud, const ValidatorOptions& validator) {
  if (!aud) return TokenError::kAudienceMissing;
  auto accepted = [&validator](std::string_view value) {
    return std::find(validator.audience.begin(), validator.audience.end(), value) !=
           validator.audience.end();
  };
  if (aud.is_string())
    return accepted(aud.as_string()) ? TokenError::kOk : TokenError::kAudienceMismatch;
  if (!aud.is_array() || aud.empty_array()) return TokenError::kAudienceInvalid;
  bool match = false;
  bool all_strings = true;
  aud.for_each_item([&](JsonRef item) {
    all_strings = item.is_string();
    match = match || (all_strings && accepted(item.as_string()));
    return all_strings;
  });
  if (!all_strings) return TokenError::kAudienceInvalid;
  return match ? TokenError::kOk : TokenError::kAudienceMismatch;
}

}  // namespace

bool media_type_matches(std::string_view typ, std::string_view expected) {
  return common::equals_ignoring_ascii_case(without_application_prefix(typ),
                                            without_application_prefix(expected));
}

TokenError check_claims_shape(JsonRef claims, const ValidatorOptions& validator,
                              ValidityWindow& window) {
  return check_claims_shape(claims, RegisteredClaims::locate(claims), validator, window);
}

TokenError check_claims_shape(JsonRef claims, const RegisteredClaims& registered,
                              const ValidatorOptions& validator, ValidityWindow& window) {
  if (TokenError error = check_audience(registered.aud, validator); error != TokenError::kOk) {
    return error;
  }
  const int64_t skew = validator.clock_skew_seconds;
  window = ValidityWindow{};
  int64_t date = 0;
  switch (read_numeric_date(registered.exp, date)) {
    case DateStatus::kInvalid:
      return TokenError::kExpInvalid;
    case DateStatus::kValid:
      window.until = date + skew;
      window.until_error = TokenError::kExpired;
      break;
    case DateStatus::kAbsent:
      if (std::find(validator.required_claims.begin(), validator.required_claims.end(), "exp") !=
          validator.required_claims.end()) {
        return TokenError::kExpMissing;
      }
      break;
  }
  // Each lower bound, in the order a refusal names them: the first one that
  // is not yet reached at `now` is the reason.
  struct LowerBound {
    JsonRef value;
    TokenError invalid;
    TokenError too_early;
  };
  const LowerBound lower_bounds[] = {
      {registered.nbf, TokenError::kNbfInvalid, TokenError::kNotYetValid},
      {registered.iat, TokenError::kIatInvalid, TokenError::kIatInFuture},
      {registered.auth_time, TokenError::kAuthTimeInvalid, TokenError::kAuthTimeInFuture},
  };
  for (std::size_t i = 0; i < std::size(lower_bounds); ++i) {
    switch (read_numeric_date(lower_bounds[i].value, date)) {
      case DateStatus::kInvalid:
        return lower_bounds[i].invalid;
      case DateStatus::kValid:
        window.from[i] = date - skew;
        window.from_errors[i] = lower_bounds[i].too_early;
        break;
      case DateStatus::kAbsent:
        break;
    }
  }
  // RFC 7519 §4.1.2 and §4.1.7: case-sensitive strings, when present.
  if (registered.sub && !registered.sub.is_string()) return TokenError::kSubjectInvalid;
  if (registered.jti && !registered.jti.is_string()) return TokenError::kJwtIdInvalid;
  for (const std::string& name : validator.required_claims) {
    const JsonRef* located = registered.slot(name);
    if (!(located != nullptr ? *located : claims.find(name))) {
      return TokenError::kRequiredClaimMissing;
    }
  }
  return TokenError::kOk;
}

TokenError ValidityWindow::check(int64_t now) const {
  if (now >= until) return until_error;
  for (std::size_t i = 0; i < from.size(); ++i) {
    if (now < from[i]) return from_errors[i];
  }
  return TokenError::kOk;
}

int64_t ValidityWindow::valid_from() const {
  return *std::max_element(from.begin(), from.end());
}

TokenError check_claims(const JsonValue& claims, const ValidatorOptions& validator, int64_t now) {
  ValidityWindow window;
  if (TokenError error = check_claims_shape(claims, validator, window); error != TokenError::kOk) {
    return error;
  }
  return window.check(now);
}

}  // namespace stepup::token_internal
