// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_DOCUMENT_H_
#define STEPUP_LIB_CONFIG_DOCUMENT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "policy/policy.h"

// The configuration component: reads a policy document (SPEC §2) and hands
// lib/policy the compiled tree. One file per part of the schema:
// validators.h, endpoints.h, policy_tree.h, statements.h; json_fields.h
// reads their objects.
namespace stepup::config {

// The largest policy document read from disk. Only regular files are read.
inline constexpr std::size_t kMaxPolicyFileBytes = 16 << 20;

struct LoadOptions {
  // Fetch each `jwks_uri` and `discovery` source once while loading (its
  // failure fails the load). Without, those validators start with no keys.
  bool fetch_remote_keys = true;
};

// Parses and compiles a policy document strictly: unknown keys, duplicate
// sibling names, bad globs, bad conditions, bad statement payloads and
// header-unsafe challenge values are errors naming the JSON path, such as
// `policy.children[0].rules[1].condition:14: expected ')'`. Relative
// `jwks_file` paths are resolved against `base_directory`.
// Remote key sources are fetched last, once everything else is valid.
absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load_policy(
    std::string_view json, const std::string& base_directory, const LoadOptions& options = {});

// Reads the file, then load_policy() with the file's folder as base.
absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load_policy_file(
    const std::string& path, const LoadOptions& options = {});

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_DOCUMENT_H_
