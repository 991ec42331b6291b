// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/endpoint.h"

namespace stepup::attributes {
namespace {

std::string_view strip_leading_slash(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return path;
}

bool base_path_matches(std::string_view base, std::string_view path) {
  if (base == "/") return !path.empty() && path.front() == '/';
  if (path.size() < base.size() || path.substr(0, base.size()) != base) return false;
  return path.size() == base.size() || path[base.size()] == '/';
}

}  // namespace

std::string_view path_without_query(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

EndpointMatch match_endpoint(const std::vector<Endpoint>& endpoints, std::string_view path) {
  EndpointMatch match;
  for (const Endpoint& endpoint : endpoints) {
    if (!base_path_matches(endpoint.base_path, path)) continue;
    if (match.endpoint == nullptr || endpoint.base_path.size() > match.endpoint->base_path.size()) {
      match.endpoint = &endpoint;
    }
  }
  if (match.endpoint == nullptr) {
    match.resource_path = strip_leading_slash(path);
  } else if (match.endpoint->base_path == "/") {
    match.resource_path = strip_leading_slash(path);
  } else {
    match.resource_path = strip_leading_slash(path.substr(match.endpoint->base_path.size()));
  }
  return match;
}

}  // namespace stepup::attributes
