// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_POLICY_LOADER_H_
#define STEPUP_LIB_POLICY_LOADER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "policy/policy.h"

namespace stepup::policy {

// The largest policy document and JWKS file read from disk. Only regular
// files are read.
inline constexpr std::size_t kMaxPolicyFileBytes = 16 << 20;
inline constexpr std::size_t kMaxJwksFileBytes = 1 << 20;

// Parses and compiles a policy document (SPEC §2) strictly: unknown keys,
// duplicate sibling names, bad globs, bad conditions, bad statement payloads
// and header-unsafe challenge values are errors naming the JSON path, such
// as `policy.children[0].rules[1].condition:14: expected ')'`. Relative
// `jwks_file` paths are resolved against `base_directory`.
absl::StatusOr<std::shared_ptr<const PolicyDocument>> load_policy(
    std::string_view json, const std::string& base_directory);

// Reads the file, then load_policy() with the file's folder as base.
absl::StatusOr<std::shared_ptr<const PolicyDocument>> load_policy_file(const std::string& path);

// True when `text` may stand inside a quoted header parameter value (RFC 6750
// §3): printable ASCII without '"' or '\'.
bool is_header_safe(std::string_view text);

}  // namespace stepup::policy

#endif  // STEPUP_LIB_POLICY_LOADER_H_
