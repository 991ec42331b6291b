// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_VERIFIER_ACCESS_H_
#define STEPUP_LIB_TOKEN_VERIFIER_ACCESS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "stepup/token_verifier.h"
#include "token/claims_check.h"
#include "token/registered_claims.h"

namespace stepup::token_internal {

// A token's validation without the time checks: what depends only on its
// bytes and the configuration. `window.check(now)` gives the rest, so a
// cache can keep this and answer exactly at any later time.
struct UntimedVerification {
  // The claims, read where the parser left them: valid until the next
  // verify_untimed() on this thread (copy them to keep them longer).
  json_internal::JsonRef claims;
  RegisteredClaims registered;  // Located in `claims`.
  ValidityWindow window;
  // The validator chosen by the token's `iss` (set also when a later check
  // fails); owned by the verifier.
  const ValidatorOptions* validator = nullptr;
  Algorithm algorithm = Algorithm::kRS256;
  std::string key_id;
};

// The library's own access to a TokenVerifier's internals (for the engine's
// token cache); not part of the public API.
struct VerifierAccess {
  // kOk with `out` filled, or the time-independent reason for refusal.
  // verify_at(token, now) == (this, then out.window.check(now)).
  static TokenError verify_untimed(const TokenVerifier& verifier, std::string_view compact_token,
                                   UntimedVerification& out);
  // The largest token any validator accepts.
  static std::size_t max_token_bytes(const TokenVerifier& verifier);
};

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_VERIFIER_ACCESS_H_
