// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_DECISION_MAPPING_H_
#define STEPUP_LIB_ENGINE_DECISION_MAPPING_H_

#include <vector>

#include "policy/evaluator.h"
#include "policy/policy.h"
#include "stepup/decision.h"

namespace stepup::engine_internal {

// SPEC §4 step 1: an Authorization header that is not one Bearer token.
Decision malformed_authorization_decision(const policy::PolicyDocument& document, TokenError error);

// SPEC §4 step 2: a token that failed validation.
Decision invalid_token_decision(const policy::PolicyDocument& document, TokenError error);

// SPEC §4 steps 3 to 7: the policy's result as an HTTP answer.
Decision policy_decision(const policy::PolicyDocument& document,
                         const policy::Evaluation& evaluation,
                         const std::vector<const Statement*>& statements, bool has_credentials);

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_DECISION_MAPPING_H_
