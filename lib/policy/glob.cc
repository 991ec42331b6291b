// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "policy/glob.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"

namespace stepup::policy {
namespace {

constexpr int kMaxDoubleStars = 4;

// `*` within one segment; iterative with one backtrack point, so linear in
// practice and never exponential.
bool segment_matches(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

// Paths up to this many segments are split without allocating.
using Segments = absl::InlinedVector<std::string_view, 16>;

Segments split(std::string_view path) {
  Segments parts;
  if (path.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

// Matches segments [si..] of the pattern against path segments [pi..].
bool match_from(const std::vector<std::string>& pattern, std::size_t si, const Segments& path,
                std::size_t pi) {
  while (si < pattern.size()) {
    if (pattern[si] == "**") {
      // Collapse consecutive `**`, then try every split point.
      while (si + 1 < pattern.size() && pattern[si + 1] == "**")
        ++si;
      if (si + 1 == pattern.size()) return true;
      for (std::size_t skip = pi; skip <= path.size(); ++skip) {
        if (match_from(pattern, si + 1, path, skip)) return true;
      }
      return false;
    }
    // An empty segment (a trailing '/') is matched only by `**`.
    if (pi >= path.size() || path[pi].empty() || !segment_matches(pattern[si], path[pi])) {
      return false;
    }
    ++si;
    ++pi;
  }
  return pi == path.size();
}

}  // namespace

absl::StatusOr<Glob> Glob::compile(std::string_view pattern) {
  if (pattern.empty()) return absl::InvalidArgumentError("empty path glob");
  if (pattern.front() == '/') {
    return absl::InvalidArgumentError(
        "path glob must not start with '/' (it matches the "
        "resource path after the endpoint's base path)");
  }
  Glob glob;
  glob.pattern_ = std::string(pattern);
  int double_stars = 0;
  for (std::string_view segment : split(pattern)) {
    // Each `**` multiplies the matching work by the path's depth: bounded.
    if (segment == "**" && ++double_stars > kMaxDoubleStars) {
      return absl::InvalidArgumentError("path glob has more than 4 '**' segments");
    }
    if (segment.empty()) return absl::InvalidArgumentError("path glob has an empty segment");
    if (segment.find("**") != std::string_view::npos && segment != "**") {
      return absl::InvalidArgumentError("'**' must be a whole segment of the path glob");
    }
    glob.segments_.emplace_back(segment);
  }
  const std::size_t first_star = pattern.find('*');
  if (first_star == std::string_view::npos) {
    glob.shape_ = Shape::kLiteral;
    glob.literal_ = std::string(pattern);
  } else if (pattern == "**" || (pattern.ends_with("/**") && first_star == pattern.size() - 2)) {
    glob.shape_ = Shape::kLiteralThenAnything;
    glob.literal_ =
        std::string(pattern.substr(0, pattern.size() - std::min<std::size_t>(pattern.size(), 3)));
  }
  return glob;
}

bool Glob::matches(std::string_view path) const {
  switch (shape_) {
    case Shape::kLiteral:
      return path == literal_;
    case Shape::kLiteralThenAnything:
      // `**` matches any number of segments, none included.
      return literal_.empty() || (path.starts_with(literal_) &&
                                  (path.size() == literal_.size() || path[literal_.size()] == '/'));
    case Shape::kGeneral:
      break;
  }
  const Segments parts = split(path);
  return match_from(segments_, 0, parts, 0);
}

}  // namespace stepup::policy
