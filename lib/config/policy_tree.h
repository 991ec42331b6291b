// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_POLICY_TREE_H_
#define STEPUP_LIB_CONFIG_POLICY_TREE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "policy/policy.h"
#include "stepup/json_value.h"

namespace stepup::config {

// How deep policy sets may nest below the root.
inline constexpr int kMaxPolicyNesting = 32;

// Compiles the document's `policy` (SPEC §2) into `root`: policy sets,
// policies and rules with their targets, conditions (against `acr_levels`)
// and statements, sibling names unique, large nodes indexed. Errors name the
// JSON path below `policy`.
absl::Status load_policy_tree(const JsonValue& policy, const std::vector<std::string>& acr_levels,
                              policy::Node& root);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_POLICY_TREE_H_
