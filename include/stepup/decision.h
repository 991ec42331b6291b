// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_DECISION_H_
#define STEPUP_DECISION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepup/export.h"
#include "stepup/json_value.h"
#include "stepup/step_up_requirement.h"
#include "stepup/token_error.h"

namespace stepup {

// The policy's answer (XACML's four results, SPEC §1).
enum class PolicyResult { kPermit, kDeny, kNotApplicable, kIndeterminate };

// "permit", "deny", "not-applicable" or "indeterminate".
STEPUP_EXPORT std::string_view policy_result_name(PolicyResult result);

// When a statement joins a decision (SPEC §2).
enum class AppliesTo { kPermit, kDeny, kPermitOrDeny };

// A statement of the policy (such as `auth-challenge`) that joined a
// decision because its node contributed to the final result.
struct Statement {
  std::string code = {};
  std::string name = {};
  AppliesTo applies_to = AppliesTo::kDeny;
  bool obligatory = false;
  JsonValue payload = {};  // A JSON object (empty object if none was given).
};

// One step of the evaluation, for `--explain`.
struct TraceEntry {
  std::vector<std::string> path;  // Names from the root to the node or rule.
  std::string what;               // "target", "condition", "rule", "policy", ...
  std::string outcome;            // "match", "no-match", "true", "permit", ...
};

// Why the decision came out as it did: the attributes of the request and the
// evaluation trace. Only filled when asked for (it costs allocations).
struct Explanation {
  std::vector<std::pair<std::string, std::string>> attributes;  // name, JSON value
  std::vector<TraceEntry> trace;
};

// The outcome of `Engine::decide()` (SPEC §4): always complete, never an
// error. A `Decision` owns all its data.
struct STEPUP_EXPORT Decision {
  PolicyResult result = PolicyResult::kIndeterminate;
  // True only for Permit: the request may proceed.
  bool authorized = false;
  // The HTTP status to answer with: 200, 400, 401, 403, a denied-reason's
  // own (400 to 599), 503 when the issuer's keys are not available yet, or
  // 500 when memory ran out.
  int status = 403;
  // With status 503 for unavailable keys: the Retry-After seconds (at least
  // 1); 0 otherwise.
  int64_t retry_after_seconds = 0;
  // The WWW-Authenticate value; empty when none is due.
  std::string www_authenticate = {};
  // The RFC 6750 / RFC 9470 error code, such as "insufficient_user_authentication".
  std::string error = {};
  // The challenge's parameters as data, so that nothing needs to parse
  // `www_authenticate` back: its `error_description` and `scope` (empty
  // when it has none), and for an RFC 9470 step-up challenge what it asks
  // (acr values most preferred first, max_age, realm, description).
  std::string error_description = {};
  std::string scope = {};
  std::optional<StepUpRequirement> step_up = std::nullopt;
  // For operators: why. Never sent to clients by default.
  std::string reason = {};
  // Names from the root to the rule that determined the result.
  std::vector<std::string> determining_rule = {};
  // Statements that joined the decision, in evaluation order.
  std::vector<Statement> statements = {};
  // Why the token was refused (kOk when it was valid or absent).
  TokenError token_error = TokenError::kOk;
  // The `sub` claim of the valid token (or validated claims) the decision
  // was made on; empty when there was none, or it was refused.
  std::string subject = {};
  // Those of EngineOptions::decision_claims that the valid token (or
  // validated claims) has, in that order: name, then a string claim's value
  // or any other claim as compact JSON. Empty when the token was refused.
  std::vector<std::pair<std::string, std::string>> claims = {};
  // Only with DecideOptions::explain.
  std::shared_ptr<const Explanation> explanation = {};

  // The decision's JSON form (SPEC §4), with "attributes" and "trace" when
  // an explanation is present.
  std::string to_json() const;
};

}  // namespace stepup

#endif  // STEPUP_DECISION_H_
