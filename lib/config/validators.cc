// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/validators.h"

#include <utility>
#include <vector>

#include "config/json_fields.h"
#include "config/key_source.h"

namespace stepup::config {
namespace {

absl::StatusOr<ValidatorOptions> load_validator(const JsonValue& value, const std::string& path,
                                                const std::string& base_directory,
                                                std::optional<keysource::RemoteSource>& remote) {
  if (!value.is_object()) return error_at(path, "must be an object");
  if (absl::Status s = check_members(
          value, path,
          {"name", "type", "issuer", "audience", "algorithms", "typ", "clock_skew_seconds",
           "max_token_bytes", "require", "jwks", "jwks_file", "jwks_uri", "discovery", "ca_file",
           "fetch_timeout_ms", "max_response_bytes", "allow_http_loopback", "refresh"});
      !s.ok()) {
    return s;
  }
  ValidatorOptions v;
  absl::StatusOr<std::string> type = read_string(value, "type", path, true);
  if (!type.ok()) return type.status();
  if (*type != "jwt") return error_at(member_path(path, "type"), "must be \"jwt\"");
  absl::StatusOr<std::string> name = read_string(value, "name", path, false);
  absl::StatusOr<std::string> issuer = read_string(value, "issuer", path, true);
  if (!name.ok()) return name.status();
  if (!issuer.ok()) return issuer.status();
  v.name = *name;
  v.issuer = *issuer;
  absl::StatusOr<std::vector<std::string>> audience =
      read_string_list(value, "audience", path, true);
  if (!audience.ok()) return audience.status();
  if (audience->empty())
    return error_at(member_path(path, "audience"), "must list at least one audience");
  for (std::size_t a = 0; a < audience->size(); ++a) {
    if ((*audience)[a].empty()) {
      return error_at(index_path(member_path(path, "audience"), a), "must not be empty");
    }
  }
  v.audience = *std::move(audience);
  absl::StatusOr<std::vector<std::string>> algorithms = read_string_list(value, "algorithms", path);
  if (!algorithms.ok()) return algorithms.status();
  if (algorithms->empty()) {
    return error_at(member_path(path, "algorithms"), "must list the allowed algorithms");
  }
  for (std::size_t i = 0; i < algorithms->size(); ++i) {
    const std::optional<Algorithm> algorithm = algorithm_from_name((*algorithms)[i]);
    if (!algorithm) {
      return error_at(index_path(member_path(path, "algorithms"), i),
                      "unknown algorithm \"" + (*algorithms)[i] + "\"");
    }
    v.algorithms.push_back(*algorithm);
  }
  if (const JsonValue* typ = value.find("typ")) {
    if (typ->is_null()) {
      v.typ = std::nullopt;
    } else if (typ->is_string() && !typ->as_string().empty()) {
      v.typ = std::string(typ->as_string());
    } else {
      return error_at(member_path(path, "typ"), "must be a media type string or null");
    }
  }
  if (const JsonValue* skew = value.find("clock_skew_seconds")) {
    if (!skew->is_integer() || skew->as_integer() < 0 || skew->as_integer() > 86400) {
      return error_at(member_path(path, "clock_skew_seconds"),
                      "must be an integer from 0 to 86400");
    }
    v.clock_skew_seconds = skew->as_integer();
  }
  if (const JsonValue* max = value.find("max_token_bytes")) {
    if (!max->is_integer() || max->as_integer() < 64 || max->as_integer() > 1048576) {
      return error_at(member_path(path, "max_token_bytes"),
                      "must be an integer from 64 to 1048576");
    }
    v.max_token_bytes = static_cast<std::size_t>(max->as_integer());
  }
  if (value.find("require") != nullptr) {
    absl::StatusOr<std::vector<std::string>> require = read_string_list(value, "require", path);
    if (!require.ok()) return require.status();
    v.required_claims = *std::move(require);
  }
  absl::StatusOr<LoadedKeys> keys = load_validator_keys(value, path, v.issuer, base_directory);
  if (!keys.ok()) return keys.status();
  v.keys = std::move(keys->keys);
  v.key_source = std::move(keys->source);
  v.keys_from_provider = keys->remote.has_value();
  remote = std::move(keys->remote);
  return v;
}

}  // namespace

absl::StatusOr<ReadValidators> read_validators(const JsonValue& document,
                                               const std::string& base_directory) {
  ReadValidators read;
  const JsonValue* validators = document.find("validators");
  if (validators == nullptr) return read;
  if (!validators->is_array()) return error_at("validators", "must be a list");
  for (std::size_t i = 0; i < validators->items().size(); ++i) {
    const std::string path = index_path("validators", i);
    std::optional<keysource::RemoteSource> remote;
    absl::StatusOr<ValidatorOptions> validator =
        load_validator(validators->items()[i], path, base_directory, remote);
    if (!validator.ok()) return validator.status();
    if (remote) {
      keysource::RemoteKeys& keys = read.remote.emplace_back();
      keys.validator = i;
      keys.validator_name = validator->name.empty() ? validator->issuer : validator->name;
      keys.source = *std::move(remote);
      keys.description = validator->key_source;
    }
    read.options.validators.push_back(*std::move(validator));
  }
  return read;
}

absl::StatusOr<std::optional<TokenVerifier>> build_verifier(ReadValidators& validators,
                                                            bool fetch_remote_keys) {
  if (validators.options.validators.empty()) return std::nullopt;
  if (fetch_remote_keys) {
    for (keysource::RemoteKeys& remote : validators.remote) {
      const std::string path = index_path("validators", remote.validator);
      const bool discovery = remote.source.kind == keysource::RemoteSource::Kind::kDiscovery;
      absl::StatusOr<keysource::FetchedKeys> fetched = keysource::fetch_keys(remote.source);
      if (!fetched.ok()) {
        return error_at(member_path(path, discovery ? "discovery" : "jwks_uri"),
                        std::string(fetched.status().message()));
      }
      ValidatorOptions& options = validators.options.validators[remote.validator];
      options.keys = fetched->keys;
      if (discovery) options.key_source += " (jwks_uri " + fetched->jwks_uri + ")";
      remote.description = options.key_source;
      remote.initial = *std::move(fetched);
    }
  }
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(validators.options);
  if (!verifier.ok()) return absl::InvalidArgumentError(std::string(verifier.status().message()));
  return std::optional<TokenVerifier>(*std::move(verifier));
}

}  // namespace stepup::config
