// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_VALIDATORS_H_
#define STEPUP_LIB_CONFIG_VALIDATORS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dpop/settings.h"
#include "keysource/key_refresher.h"
#include "stepup/json_value.h"
#include "stepup/token_verifier.h"

namespace stepup::config {

// The largest JWKS file read from disk.
inline constexpr std::size_t kMaxJwksFileBytes = 1 << 20;

// The document's validators, read but not yet fetched.
struct ReadValidators {
  TokenVerifierOptions options;
  std::vector<keysource::RemoteKeys> remote;  // Those whose keys are fetched.
  std::vector<dpop::Settings> dpop;           // One per validator, in order.
};

// Reads the document's `validators` (SPEC §2): each one's options and keys
// (inline `jwks`, a `jwks_file` resolved against `base_directory`, or a
// remote source described but not fetched).
absl::StatusOr<ReadValidators> read_validators(const JsonValue& document,
                                               const std::string& base_directory);

// One TokenVerifier for the validators; nullopt when there are none. With
// `fetch_remote_keys`, each remote source is fetched once now (its failure is
// the load's error, at the validator's path); without, remote validators
// start with no keys.
absl::StatusOr<std::optional<TokenVerifier>> build_verifier(ReadValidators& validators,
                                                            bool fetch_remote_keys);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_VALIDATORS_H_
