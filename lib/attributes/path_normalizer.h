// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ATTRIBUTES_PATH_NORMALIZER_H_
#define STEPUP_LIB_ATTRIBUTES_PATH_NORMALIZER_H_

#include <string>
#include <string_view>

namespace stepup::attributes {

// True when `path` is already in the form normalize_path() produces, so the
// common case costs a scan and no allocation.
bool is_normalized_path(std::string_view path);

// A request target's path (before any '?' or '#') and whether it is already
// normalized, found in one pass since it runs on every request.
struct ScannedPath {
  std::string_view path;
  bool normalized = true;
};
ScannedPath scan_request_path(std::string_view target);

// The path as an origin server would resolve it, so that a target such as
// `transfers/**` cannot be dodged with `//transfers`, `/./transfers`,
// `/x/../transfers` or `/%74ransfers`: percent-encoded unreserved characters
// are decoded (RFC 3986 §6.2.2.2), runs of '/' merged, and "." and ".."
// segments removed (RFC 3986 §5.2.4; ".." never climbs above the root).
// Other percent escapes, such as %2F, stay as they are.
std::string normalize_path(std::string_view path);

}  // namespace stepup::attributes

#endif  // STEPUP_LIB_ATTRIBUTES_PATH_NORMALIZER_H_
