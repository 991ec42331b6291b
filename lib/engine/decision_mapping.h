// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_DECISION_MAPPING_H_
#define STEPUP_LIB_ENGINE_DECISION_MAPPING_H_

#include <vector>

#include "dpop/settings.h"
#include "policy/evaluator.h"
#include "policy/policy.h"
#include "stepup/decision.h"

namespace stepup::engine_internal {

// The scheme a decision's challenge uses: DPoP (with the token's
// validator's `algs`) for a token that came under DPoP, or whose validator
// wants DPoP; Bearer otherwise (RFC 9449 §7.1).
struct ChallengeScheme {
  bool dpop = false;
  const dpop::AlgorithmNames* algs = nullptr;  // Outlives the decision; nullptr: none.

  // The challenge's `algs` parameter (empty: none).
  std::string_view joined_algs() const {
    return algs != nullptr ? std::string_view(algs->joined) : std::string_view();
  }
};

// Each writes a complete decision into `out`, replacing whatever it held but
// reusing its storage, so a caller that reuses one Decision does not
// allocate once warm.

// SPEC §4 step 1: an Authorization header that is not one Bearer token.
void malformed_authorization_decision(const policy::PolicyDocument& document, TokenError error,
                                      ChallengeScheme scheme, Decision& out);

// SPEC §4 step 2: a token that failed validation, or its DPoP proof
// (`invalid_dpop_proof`).
void invalid_token_decision(const policy::PolicyDocument& document, TokenError error,
                            ChallengeScheme scheme, Decision& out);

// A token whose key its issuer's remote set lacks while that set cannot
// judge it (docs/spec.md §4): 503 with Retry-After, no challenge.
void keys_unavailable_decision(int64_t retry_after_seconds, Decision& out);

// The fail-closed decision of a decide() that ran out of memory: complete,
// indeterminate, not authorized, status 500, no challenge. Allocates nothing
// it cannot do without.
void out_of_memory_decision(Decision& out) noexcept;

// SPEC §4 steps 3 to 7: the policy's result as an HTTP answer.
// Without credentials the challenge is Bearer's, followed by DPoP's when a
// validator takes DPoP (DPoP's alone when every validator requires it).
void policy_decision(const policy::PolicyDocument& document, const policy::Evaluation& evaluation,
                     const std::vector<const policy::PolicyStatement*>& statements,
                     bool has_credentials, ChallengeScheme scheme, Decision& out);

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_DECISION_MAPPING_H_
