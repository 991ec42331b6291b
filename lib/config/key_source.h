// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_KEY_SOURCE_H_
#define STEPUP_LIB_CONFIG_KEY_SOURCE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "keysource/remote_source.h"
#include "stepup/json_value.h"
#include "stepup/key_set.h"

namespace stepup::config {

// A validator's keys as the document gives them (docs/spec.md §2): exactly
// one of `jwks`, `jwks_file`, `jwks_uri` and `discovery`, with the fetch and
// refresh options of the last two.
struct LoadedKeys {
  KeySet keys;                                    // Empty for a remote source.
  std::string source;                             // For operators: "jwks_file PATH", ...
  std::optional<keysource::RemoteSource> remote;  // For `jwks_uri` and `discovery`.
};

// Reads the keys of the validator `value` at `path`: inline, or a file
// relative to `base_directory`. A remote source is only described, never
// fetched here.
absl::StatusOr<LoadedKeys> load_validator_keys(const JsonValue& value, const std::string& path,
                                               const std::string& issuer,
                                               const std::string& base_directory);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_KEY_SOURCE_H_
