// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ATTRIBUTES_ENDPOINT_H_
#define STEPUP_LIB_ATTRIBUTES_ENDPOINT_H_

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/string_hash.h"

namespace stepup::attributes {

// One `endpoints` entry of the policy document (SPEC §2).
struct Endpoint {
  std::string service;
  std::string base_path;  // Starts with '/', no trailing '/' (except "/" itself).
};

struct EndpointMatch {
  const Endpoint* endpoint = nullptr;  // nullptr: no endpoint matched.
  std::string_view resource_path;      // The rest of the path, without leading '/'.
};

// The longest base_path equal to `path` or followed by '/' names the service;
// the rest of the path (leading '/' removed) is the resource path. Without a
// match the whole path (leading '/' removed) is the resource path.
EndpointMatch match_endpoint(const std::vector<Endpoint>& endpoints, std::string_view path);

// The endpoints by base_path, so that matching costs one lookup per segment
// of the path, however many endpoints the document has (up to
// kLinearScanLimit endpoints are scanned instead). Holds its own copy of the
// endpoints.
class EndpointIndex {
 public:
  EndpointIndex() = default;
  explicit EndpointIndex(std::vector<Endpoint> endpoints);

  // The same answer as match_endpoint(endpoints, path).
  EndpointMatch match(std::string_view path) const;

 private:
  // Up to this many endpoints, scanning them is cheaper than hashing.
  static constexpr std::size_t kLinearScanLimit = 8;
  std::vector<Endpoint> endpoints_;
  std::unordered_map<std::string, std::size_t, common::StringHash, std::equal_to<>> by_base_path_;
};

}  // namespace stepup::attributes

#endif  // STEPUP_LIB_ATTRIBUTES_ENDPOINT_H_
