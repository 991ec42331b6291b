// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/protected_resource.h"

#include <algorithm>
#include <string_view>

#include "config/json_fields.h"
#include "json/json_text.h"

namespace stepup::config {
namespace {

constexpr std::string_view kWellKnown = "/.well-known/oauth-protected-resource";

// An https URL without query, fragment or user information, usable in a
// header: its origin ("https://host[:port]") and path ("" or "/...").
struct HttpsUrl {
  std::string configured;  // As the document gives it (RFC 9728 §3.3).
  std::string origin;
  std::string path;  // Without a lone "/".
};

absl::StatusOr<HttpsUrl> read_https_url(const JsonValue& object, std::string_view key,
                                        const std::string& parent, bool required) {
  const std::string path = member_path(parent, key);
  absl::StatusOr<std::string> text = read_string(object, key, parent, required);
  if (!text.ok()) return text.status();
  const std::string_view url = *text;
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme) || !is_header_safe(url) ||
      url.find_first_of("?# ") != std::string_view::npos) {
    return error_at(path,
                    "must be an https URL without query or fragment, of printable ASCII "
                    "without '\"' or '\\'");
  }
  const std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return error_at(path, "must name a host (and no user information)");
  }
  HttpsUrl out;
  out.configured = std::string(url);
  out.origin = std::string(url.substr(0, kScheme.size() + authority.size()));
  out.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  if (out.path == "/") out.path.clear();
  return out;
}

void append_string_list(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    json_internal::append_json_quoted(out, items[i]);
  }
  out += ']';
}

}  // namespace

absl::StatusOr<ReadResource> read_protected_resource(const JsonValue& document,
                                                     const ResourceContext& context) {
  const JsonValue* section = document.find("protected_resource");
  if (section == nullptr) return ReadResource{};
  const std::string where = "protected_resource";
  if (!section->is_object()) return error_at(where, "must be an object");
  if (absl::Status s = check_members(*section, where,
                                     {"resource", "resource_metadata", "authorization_servers",
                                      "scopes_supported", "resource_name"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<HttpsUrl> resource = read_https_url(*section, "resource", where, true);
  if (!resource.ok()) return resource.status();
  ProtectedResourceMetadata metadata;
  if (section->find("resource_metadata") != nullptr) {
    absl::StatusOr<HttpsUrl> given = read_https_url(*section, "resource_metadata", where, true);
    if (!given.ok()) return given.status();
    if (given->path.empty()) {
      return error_at(member_path(where, "resource_metadata"), "must have a path");
    }
    metadata.url = given->origin + given->path;
    metadata.path = given->path;
  } else {
    // RFC 9728 §3.1: the well-known segment goes between host and path.
    metadata.path = std::string(kWellKnown) + resource->path;
    metadata.url = resource->origin + metadata.path;
  }
  absl::StatusOr<std::vector<std::string>> servers =
      read_string_list(*section, "authorization_servers", where);
  if (!servers.ok()) return servers.status();
  if (servers->empty()) {
    for (const std::string& issuer : context.issuers) {
      if (std::find(servers->begin(), servers->end(), issuer) == servers->end())
        servers->push_back(issuer);
    }
  }
  absl::StatusOr<std::vector<std::string>> scopes =
      read_string_list(*section, "scopes_supported", where);
  if (!scopes.ok()) return scopes.status();
  absl::StatusOr<std::string> name = read_string(*section, "resource_name", where, false);
  if (!name.ok()) return name.status();

  std::string& json = metadata.json;
  json = "{\"resource\":";
  json_internal::append_json_quoted(json, resource->configured);
  if (!servers->empty()) {
    json += ",\"authorization_servers\":";
    append_string_list(json, *servers);
  }
  if (!scopes->empty()) {
    json += ",\"scopes_supported\":";
    append_string_list(json, *scopes);
  }
  json += ",\"bearer_methods_supported\":[\"header\"]";
  if (!name->empty()) {
    json += ",\"resource_name\":";
    json_internal::append_json_quoted(json, *name);
  }
  if (!context.dpop_algorithms.list.empty()) {
    json += ",\"dpop_signing_alg_values_supported\":";
    append_string_list(json, context.dpop_algorithms.list);
    if (context.dpop_required) json += ",\"dpop_bound_access_tokens_required\":true";
  }
  json += '}';
  return ReadResource{.metadata = std::move(metadata), .origin = resource->origin};
}

}  // namespace stepup::config
