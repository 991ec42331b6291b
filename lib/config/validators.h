// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_VALIDATORS_H_
#define STEPUP_LIB_CONFIG_VALIDATORS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "stepup/json_value.h"
#include "stepup/token_verifier.h"

namespace stepup::config {

// The largest JWKS file read from disk.
inline constexpr std::size_t kMaxJwksFileBytes = 1 << 20;

// Reads the document's `validators` (SPEC §2): each one's options and keys
// (inline `jwks`, or a `jwks_file` resolved against `base_directory`), then
// one TokenVerifier for them all; nullopt when the document has none.
absl::StatusOr<std::optional<TokenVerifier>> load_validators(const JsonValue& document,
                                                             const std::string& base_directory);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_VALIDATORS_H_
