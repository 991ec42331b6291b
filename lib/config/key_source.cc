// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/key_source.h"

#include <chrono>
#include <filesystem>
#include <utility>

#include "config/json_fields.h"
#include "config/validators.h"
#include "json/json_text.h"

namespace stepup::config {
namespace {

using keysource::RemoteSource;

std::string resolve(const std::string& name, const std::string& base_directory) {
  std::filesystem::path file(name);
  if (file.is_relative() && !base_directory.empty()) {
    file = std::filesystem::path(base_directory) / file;
  }
  return file.string();
}

// An optional integer member within [low, high].
absl::StatusOr<std::optional<int64_t>> read_bounded(const JsonValue& object, std::string_view key,
                                                    const std::string& path, int64_t low,
                                                    int64_t high) {
  const JsonValue* value = object.find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_integer() || value->as_integer() < low || value->as_integer() > high) {
    return error_at(member_path(path, key), "must be an integer from " + std::to_string(low) +
                                                " to " + std::to_string(high));
  }
  return value->as_integer();
}

// The `refresh` object of a remote source (docs/spec.md §2).
absl::Status read_refresh(const JsonValue& value, const std::string& path,
                          keysource::RefreshLimits& limits) {
  const JsonValue* refresh = value.find("refresh");
  if (refresh == nullptr) return absl::OkStatus();
  const std::string where = member_path(path, "refresh");
  if (!refresh->is_object()) return error_at(where, "must be an object");
  if (absl::Status s = check_members(
          *refresh, where, {"min_seconds", "max_seconds", "unknown_kid_min_interval_seconds"});
      !s.ok()) {
    return s;
  }
  constexpr int64_t kWeek = 7 * 86400;
  auto min = read_bounded(*refresh, "min_seconds", where, 1, kWeek);
  if (!min.ok()) return min.status();
  auto max = read_bounded(*refresh, "max_seconds", where, 1, kWeek);
  if (!max.ok()) return max.status();
  auto unknown_kid = read_bounded(*refresh, "unknown_kid_min_interval_seconds", where, 1, 86400);
  if (!unknown_kid.ok()) return unknown_kid.status();
  if (*min) limits.min_seconds = **min;
  if (*max) limits.max_seconds = **max;
  if (*unknown_kid) limits.unknown_kid_min_interval_seconds = **unknown_kid;
  if (limits.min_seconds > limits.max_seconds) {
    return error_at(where, "min_seconds (" + std::to_string(limits.min_seconds) +
                               ") exceeds max_seconds (" + std::to_string(limits.max_seconds) +
                               ")");
  }
  return absl::OkStatus();
}

// The fetch options of a remote source (docs/spec.md §2).
absl::Status read_remote_options(const JsonValue& value, const std::string& path,
                                 const std::string& base_directory, RemoteSource& source) {
  if (const JsonValue* ca_file = value.find("ca_file")) {
    if (!ca_file->is_string() || ca_file->as_string().empty()) {
      return error_at(member_path(path, "ca_file"), "must be a file name (a PEM bundle)");
    }
    source.fetch.ca_file = resolve(std::string(ca_file->as_string()), base_directory);
  }
  auto timeout = read_bounded(value, "fetch_timeout_ms", path, 100, 60000);
  if (!timeout.ok()) return timeout.status();
  if (*timeout) source.fetch.timeout = std::chrono::milliseconds(**timeout);
  auto max_bytes = read_bounded(value, "max_response_bytes", path, 1024, 16 << 20);
  if (!max_bytes.ok()) return max_bytes.status();
  if (*max_bytes) source.fetch.max_response_bytes = static_cast<std::size_t>(**max_bytes);
  absl::StatusOr<bool> loopback = read_bool(value, "allow_http_loopback", path);
  if (!loopback.ok()) return loopback.status();
  source.fetch.allow_http_loopback = *loopback;
  return read_refresh(value, path, source.refresh);
}

}  // namespace

absl::StatusOr<LoadedKeys> load_validator_keys(const JsonValue& value, const std::string& path,
                                               const std::string& issuer,
                                               const std::string& base_directory) {
  const JsonValue* jwks = value.find("jwks");
  const JsonValue* jwks_file = value.find("jwks_file");
  const JsonValue* jwks_uri = value.find("jwks_uri");
  const JsonValue* discovery = value.find("discovery");
  const int given =
      (jwks != nullptr) + (jwks_file != nullptr) + (jwks_uri != nullptr) + (discovery != nullptr);
  if (given != 1) {
    return error_at(path,
                    "give exactly one of \"jwks\", \"jwks_file\", \"jwks_uri\" and \"discovery\"");
  }
  const bool remote = jwks_uri != nullptr || discovery != nullptr;
  if (!remote) {
    for (const std::string_view member :
         {"ca_file", "fetch_timeout_ms", "max_response_bytes", "allow_http_loopback", "refresh"}) {
      if (value.find(member) != nullptr) {
        return error_at(member_path(path, member), "applies only to jwks_uri and discovery");
      }
    }
  }
  LoadedKeys loaded;
  if (jwks != nullptr) {
    if (!jwks->is_object()) return error_at(member_path(path, "jwks"), "must be a JWK Set object");
    absl::StatusOr<KeySet> keys = KeySet::from_jwks(json_internal::to_json_text(*jwks));
    if (!keys.ok())
      return error_at(member_path(path, "jwks"), std::string(keys.status().message()));
    loaded.keys = *std::move(keys);
    loaded.source = "jwks (inline)";
    return loaded;
  }
  if (jwks_file != nullptr) {
    if (!jwks_file->is_string() || jwks_file->as_string().empty()) {
      return error_at(member_path(path, "jwks_file"), "must be a file name");
    }
    const std::string file = resolve(std::string(jwks_file->as_string()), base_directory);
    absl::StatusOr<std::string> text =
        read_file(file, member_path(path, "jwks_file"), kMaxJwksFileBytes);
    if (!text.ok()) return text.status();
    absl::StatusOr<KeySet> keys = KeySet::from_jwks(*text);
    if (!keys.ok()) {
      return error_at(member_path(path, "jwks_file"),
                      file + ": " + std::string(keys.status().message()));
    }
    loaded.keys = *std::move(keys);
    loaded.source = "jwks_file " + file;
    return loaded;
  }
  RemoteSource source;
  std::string where;
  if (jwks_uri != nullptr) {
    where = member_path(path, "jwks_uri");
    if (!jwks_uri->is_string()) return error_at(where, "must be an https URL");
    source.kind = RemoteSource::Kind::kJwksUri;
    source.jwks_uri = std::string(jwks_uri->as_string());
  } else {
    where = member_path(path, "discovery");
    if (!discovery->is_bool() || !discovery->as_bool()) {
      return error_at(where, "must be true (or left out)");
    }
    source.kind = RemoteSource::Kind::kDiscovery;
    source.issuer = issuer;
  }
  if (absl::Status s = read_remote_options(value, path, base_directory, source); !s.ok()) return s;
  const std::string& url = source.kind == RemoteSource::Kind::kJwksUri ? source.jwks_uri : issuer;
  if (absl::Status s = keysource::check_fetch_url(url, source.fetch); !s.ok()) {
    return error_at(where, std::string(s.message()));
  }
  loaded.source = source.describe();
  loaded.remote = std::move(source);
  return loaded;
}

}  // namespace stepup::config
