// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_STATEMENTS_H_
#define STEPUP_LIB_CONFIG_STATEMENTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "policy/policy.h"
#include "stepup/json_value.h"

namespace stepup::config {

// Reads the `statements` of a policy node or rule at `parent` (SPEC §2) and
// compiles the payloads of `auth-challenge` and `denied-reason` into their
// meanings, checked for what goes into a header. `acr_levels` expands
// `min_acr`. Appends to `out`.
absl::Status load_statements(const JsonValue& node, const std::string& parent,
                             const std::vector<std::string>& acr_levels,
                             std::vector<policy::PolicyStatement>& out);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_STATEMENTS_H_
