// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_REGISTERED_CLAIMS_H_
#define STEPUP_LIB_TOKEN_REGISTERED_CLAIMS_H_

#include "stepup/json_value.h"

namespace stepup::token_internal {

// The claims that validation and the attributes read on every request
// (RFC 7519 §4.1, OpenID Connect Core §2), located in one pass over the
// members instead of one search per claim. Each is what
// claims.find(name) returns: the first member of that name, or nullptr.
struct RegisteredClaims {
  const JsonValue* iss = nullptr;
  const JsonValue* aud = nullptr;
  const JsonValue* exp = nullptr;
  const JsonValue* nbf = nullptr;
  const JsonValue* iat = nullptr;
  const JsonValue* auth_time = nullptr;
  const JsonValue* acr = nullptr;
  const JsonValue* amr = nullptr;

  // Points into `claims`, which must outlive the result (and not change).
  static RegisteredClaims locate(const JsonValue& claims);
};

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_REGISTERED_CLAIMS_H_
