// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/endpoints.h"

#include <string>
#include <unordered_set>
#include <utility>

#include "attributes/path_normalizer.h"
#include "config/json_fields.h"

namespace stepup::config {

absl::StatusOr<std::vector<attributes::Endpoint>> load_endpoints(const JsonValue& document) {
  std::vector<attributes::Endpoint> result;
  const JsonValue* endpoints = document.find("endpoints");
  if (endpoints == nullptr) return result;
  if (!endpoints->is_array()) return error_at("endpoints", "must be a list");
  std::unordered_set<std::string> base_paths;
  for (std::size_t i = 0; i < endpoints->items().size(); ++i) {
    const std::string path = index_path("endpoints", i);
    const JsonValue& item = endpoints->items()[i];
    if (!item.is_object()) return error_at(path, "must be an object");
    if (absl::Status s = check_members(item, path, {"service", "base_path"}); !s.ok()) return s;
    absl::StatusOr<std::string> service = read_string(item, "service", path, true);
    absl::StatusOr<std::string> base = read_string(item, "base_path", path, true);
    if (!service.ok()) return service.status();
    if (!base.ok()) return base.status();
    if (service->empty()) return error_at(member_path(path, "service"), "must not be empty");
    if (base->empty() || base->front() != '/' || base->find_first_of("?#") != std::string::npos ||
        (base->size() > 1 && base->back() == '/')) {
      return error_at(member_path(path, "base_path"),
                      "must start with '/', and have no trailing '/', '?' or '#'");
    }
    // Requests are matched after normalization: a base path that is not
    // already normalized would never match.
    if (!attributes::is_normalized_path(*base)) {
      return error_at(member_path(path, "base_path"),
                      "must be normalized (as \"" + attributes::normalize_path(*base) +
                          "\"): no empty, \".\" or \"..\" segment, no escaped unreserved "
                          "character");
    }
    if (!base_paths.insert(*base).second) {
      return error_at(member_path(path, "base_path"), "repeats \"" + *base + "\"");
    }
    result.push_back({*std::move(service), *std::move(base)});
  }
  return result;
}

}  // namespace stepup::config
