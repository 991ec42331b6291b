// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_POLICY_GLOB_H_
#define STEPUP_LIB_POLICY_GLOB_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace stepup::policy {

// A path glob over `HttpRequest.ResourcePath` (SPEC §2): segments separated
// by '/'; `*` within a segment matches any run of characters other than '/';
// a segment that is exactly `**` matches any number of segments, none
// included (so `transfers/**` matches `transfers` and `transfers/7/x`). An
// empty segment (from a trailing '/') is matched only by `**`.
class Glob {
 public:
  // Refuses an empty pattern, a leading '/', empty segments ("a//b"), and
  // `**` mixed with other characters in one segment.
  static absl::StatusOr<Glob> compile(std::string_view pattern);

  bool matches(std::string_view path) const;
  const std::string& pattern() const { return pattern_; }

 private:
  // Most globs are a literal path or a literal prefix and "/**": those are
  // matched by comparing strings, without splitting the path.
  enum class Shape { kGeneral, kLiteral, kLiteralThenAnything };
  Shape shape_ = Shape::kGeneral;
  std::string literal_;  // The literal path, or the prefix before "/**".
  std::string pattern_;
  std::vector<std::string> segments_;
};

}  // namespace stepup::policy

#endif  // STEPUP_LIB_POLICY_GLOB_H_
