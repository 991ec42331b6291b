// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DPOP_SETTINGS_H_
#define STEPUP_LIB_DPOP_SETTINGS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "token/algorithm_traits.h"

namespace stepup::dpop {

// DPoP algorithms as challenges name them: the names in order, each once,
// and the same joined by spaces (RFC 9449 §7.1 `algs`).
struct AlgorithmNames {
  std::vector<std::string> list;
  std::string joined;

  // Appends `name` unless it is listed already.
  void add(std::string_view name) {
    for (const std::string& listed : list) {
      if (listed == name) return;
    }
    list.emplace_back(name);
    if (!joined.empty()) joined += ' ';
    joined += name;
  }
};

// One validator's DPoP configuration: its policy document member `dpop`
// (docs/spec.md §2). Without that member DPoP is not accepted for the
// validator's tokens, and a token bound to a key is refused all the same.
struct Settings {
  bool accepted = false;  // The validator has a `dpop` member.
  bool required = false;  // Its tokens must come under DPoP.
  token_internal::AlgorithmMask algorithms = 0;
  AlgorithmNames algs;  // The same, in the configured order.
  int64_t max_age_seconds = 300;
  int64_t max_future_seconds = 60;
  std::size_t max_proof_bytes = 8192;
};

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_SETTINGS_H_
