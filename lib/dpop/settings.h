// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DPOP_SETTINGS_H_
#define STEPUP_LIB_DPOP_SETTINGS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "token/algorithm_traits.h"

namespace stepup::dpop {

// One validator's DPoP configuration: its policy document member `dpop`
// (docs/spec.md §2). Without that member DPoP is not accepted for the
// validator's tokens, and a token bound to a key is refused all the same.
struct Settings {
  bool accepted = false;  // The validator has a `dpop` member.
  bool required = false;  // Its tokens must come under DPoP.
  token_internal::AlgorithmMask algorithms = 0;
  // The algorithms' names, space-separated, in the configured order: the
  // challenges' `algs` (RFC 9449 §7.1).
  std::string algs;
  int64_t max_age_seconds = 300;
  int64_t max_future_seconds = 60;
  std::size_t max_proof_bytes = 8192;
};

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_SETTINGS_H_
