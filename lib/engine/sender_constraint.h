// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_SENDER_CONSTRAINT_H_
#define STEPUP_LIB_ENGINE_SENDER_CONSTRAINT_H_

#include <cstddef>
#include <cstdint>

#include "dpop/replay_cache.h"
#include "engine/decision_mapping.h"
#include "json/json_ref.h"
#include "policy/policy.h"
#include "stepup/request.h"
#include "token/bearer.h"

namespace stepup::engine_internal {

// A valid token's sender constraint (RFC 9449 §7), checked against the
// request: the token of validator `validator` of `document`, presented
// under `presented` as `token`, with `claims`.
struct SenderConstraintCheck {
  const policy::PolicyDocument* document = nullptr;
  std::size_t validator = 0;
  token_internal::TokenScheme presented = token_internal::TokenScheme::kBearer;
  std::string_view token;
  json_internal::JsonRef claims;
  const Request* request = nullptr;
  int64_t now = 0;
  // Proofs seen (shared by the engine's loads); nullptr when no load took
  // DPoP, which then never gets that far.
  dpop::ReplayCache* replay = nullptr;
};

// kOk, or why the request fails: a token bound to a key (`cnf.jkt`) under
// Bearer, a Bearer token whose validator requires DPoP, a DPoP token whose
// validator takes no DPoP or that is bound to no key, or its proof refused
// (RFC 9449 §4.3), replayed included. A proof is remembered only once every
// other check passed. Sets `scheme` to the challenge the answer carries.
TokenError check_sender_constraint(const SenderConstraintCheck& check, ChallengeScheme& scheme);

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_SENDER_CONSTRAINT_H_
