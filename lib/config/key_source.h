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
// one of `jwks`, `jwks_file`, `jwks_uri` and `discovery`, with the fetch
// options of the last two.
struct LoadedKeys {
  KeySet keys;
  std::string source;                             // For operators: "jwks_file PATH", ...
  std::optional<keysource::RemoteSource> remote;  // For `jwks_uri` and `discovery`.
};

// Reads and loads the keys of the validator `value` at `path`: a file
// relative to `base_directory`, or fetched once from the provider now.
absl::StatusOr<LoadedKeys> load_validator_keys(const JsonValue& value, const std::string& path,
                                               const std::string& issuer,
                                               const std::string& base_directory);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_KEY_SOURCE_H_
