// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_COMMON_STRING_HASH_H_
#define STEPUP_LIB_COMMON_STRING_HASH_H_

#include <functional>
#include <string>
#include <string_view>

namespace stepup::common {

// Lets std::unordered_map<std::string, ...> be searched with a string_view
// without building a string. Load-time maps use the standard containers:
// they stay consistent when an allocation fails while they grow, which
// Debian 12's Abseil hash tables do not (a failed resize leaves them broken).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

}  // namespace stepup::common

#endif  // STEPUP_LIB_COMMON_STRING_HASH_H_
