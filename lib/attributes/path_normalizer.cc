// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/path_normalizer.h"

#include <array>
#include <vector>

#include "common/ascii.h"

namespace stepup::attributes {
namespace {

// Decodes %XX escapes of unreserved characters; leaves every other byte.
std::string decode_unreserved(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      const int high = common::hex_digit_value(path[i + 1]);
      const int low = common::hex_digit_value(path[i + 2]);
      if (high >= 0 && low >= 0 && common::is_unreserved(static_cast<char>(high * 16 + low))) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

}  // namespace

namespace {

// The characters scan_request_path() must stop at; everything else is
// skipped by a tight loop.
constexpr std::array<bool, 256> kPathStops = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("/%?#"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}();

}  // namespace

ScannedPath scan_request_path(std::string_view target) {
  // Not normalized: a '%', an empty segment after the first character
  // ("//"), a "." or ".." segment. Only locals in the loop, so they stay in
  // registers.
  const char* const data = target.data();
  const std::size_t size = target.size();
  bool normalized = true;
  std::size_t segment_start = 0;
  std::size_t i = 0;
  while (true) {
    while (i < size && !kPathStops[static_cast<unsigned char>(data[i])])
      ++i;
    const bool at_end = i == size || data[i] == '?' || data[i] == '#';
    if (!at_end && data[i] == '%') {
      normalized = false;
      ++i;
      continue;
    }
    // A segment ends here (at a '/' or at the end of the path).
    const std::size_t length = i - segment_start;
    if (length == 0) {
      normalized &= i == 0 || at_end;
    } else if (length <= 2 && data[segment_start] == '.') {
      normalized &= length == 2 && data[segment_start + 1] != '.';
    }
    if (at_end) break;
    segment_start = ++i;
  }
  return {target.substr(0, i), normalized};
}

bool is_normalized_path(std::string_view path) {
  const ScannedPath scanned = scan_request_path(path);
  return scanned.normalized && scanned.path.size() == path.size();
}

std::string normalize_path(std::string_view path) {
  const std::string decoded = decode_unreserved(path);
  const bool absolute = !decoded.empty() && decoded.front() == '/';
  const bool trailing_slash =
      decoded.size() > 1 &&
      (decoded.back() == '/' || decoded.ends_with("/.") || decoded.ends_with("/.."));
  std::vector<std::string_view> segments;
  const std::string_view view = decoded;
  std::size_t start = 0;
  while (start <= view.size()) {
    const std::size_t slash = view.find('/', start);
    const std::string_view segment = view.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  if (trailing_slash && !segments.empty()) out += '/';
  return out;
}

}  // namespace stepup::attributes
