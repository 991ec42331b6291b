// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_REGISTERED_CLAIMS_H_
#define STEPUP_LIB_TOKEN_REGISTERED_CLAIMS_H_

#include <cstdint>

#include "json/json_ref.h"

namespace stepup::token_internal {

// The largest NumericDate accepted: 9999-12-31T23:59:59Z. Larger values are
// refused rather than risk overflow in time arithmetic.
inline constexpr int64_t kMaxNumericDate = 253402300799;

// The claims that validation and the attributes read on every request
// (RFC 7519 §4.1, OpenID Connect Core §2, RFC 9068 §2.2; `jti` only for its
// type), located in one pass over the members instead of one search per
// claim. Each is what
// claims.find(name) returns: the first member of that name, or absent.
struct RegisteredClaims {
  using JsonRef = json_internal::JsonRef;
  JsonRef iss;
  JsonRef aud;
  JsonRef exp;
  JsonRef nbf;
  JsonRef iat;
  JsonRef auth_time;
  JsonRef acr;
  JsonRef amr;
  JsonRef sub;
  JsonRef jti;
  JsonRef scope;

  // Points into `claims`, which must outlive the result (and not change).
  static RegisteredClaims locate(JsonRef claims);

  // The slot for a claim name, or nullptr when the name is not one of the
  // above (then only claims.find(name) can tell).
  const JsonRef* slot(std::string_view name) const;
};

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_REGISTERED_CLAIMS_H_
