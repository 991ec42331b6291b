// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_DECISION_VIEW_H_
#define STEPUP_TOOLS_GATEWAY_DECISION_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/decision.h"

namespace stepup::gateway {

// What a decision tells the client, from the challenge data the decision
// carries (Decision::error_description, scope, step_up), so that every
// endpoint reports the same challenge the same way. Never holds the
// operator's `reason`.
struct DecisionView {
  // The RFC 6750 / 9470 error code, or a generic one by status when the
  // decision has none: "invalid_request" (400), "unauthorized" (401),
  // "access_denied" (403), else "request_denied".
  std::string error;
  // The challenge's error_description, or a generic text by status.
  std::string error_description;
  // From an RFC 9470 step-up challenge, if the decision carries one.
  std::vector<std::string> acr_values;
  std::optional<int64_t> max_age;
  // The challenge's `scope` (insufficient_scope), if any.
  std::optional<std::string> scope;
};

DecisionView view_decision(const Decision& decision);

// "permit", "deny", "not-applicable" or "indeterminate".
std::string_view decision_name(const Decision& decision);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_DECISION_VIEW_H_
