// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/endpoint.h"

#include <utility>

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

EndpointMatch finish_match(const Endpoint* endpoint, std::string_view path) {
  EndpointMatch match;
  match.endpoint = endpoint;
  if (match.endpoint == nullptr) {
    match.resource_path = strip_leading_slash(path);
  } else if (match.endpoint->base_path == "/") {
    match.resource_path = strip_leading_slash(path);
  } else {
    match.resource_path = strip_leading_slash(path.substr(match.endpoint->base_path.size()));
  }
  return match;
}

}  // namespace

EndpointMatch match_endpoint(const std::vector<Endpoint>& endpoints, std::string_view path) {
  const Endpoint* longest = nullptr;
  for (const Endpoint& endpoint : endpoints) {
    if (!base_path_matches(endpoint.base_path, path)) continue;
    if (longest == nullptr || endpoint.base_path.size() > longest->base_path.size()) {
      longest = &endpoint;
    }
  }
  return finish_match(longest, path);
}

EndpointIndex::EndpointIndex(std::vector<Endpoint> endpoints) : endpoints_(std::move(endpoints)) {
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    by_base_path_.emplace(endpoints_[i].base_path, i);
  }
}

EndpointMatch EndpointIndex::match(std::string_view path) const {
  if (endpoints_.size() <= kLinearScanLimit) return match_endpoint(endpoints_, path);
  auto lookup = [this](std::string_view base) -> const Endpoint* {
    const auto found = by_base_path_.find(base);
    return found == by_base_path_.end() ? nullptr : &endpoints_[found->second];
  };
  // A base path matches the whole path or a prefix followed by '/': try
  // those prefixes, longest first. "/" matches every path starting with '/'.
  if (!path.empty() && path.front() == '/') {
    std::string_view prefix = path;
    while (prefix.size() > 1) {
      if (const Endpoint* endpoint = lookup(prefix)) return finish_match(endpoint, path);
      const std::size_t slash = prefix.rfind('/');
      prefix = prefix.substr(0, slash);
    }
    if (const Endpoint* endpoint = lookup("/")) return finish_match(endpoint, path);
  }
  return finish_match(nullptr, path);
}

}  // namespace stepup::attributes
