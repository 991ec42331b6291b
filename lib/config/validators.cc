// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/validators.h"

#include <utility>
#include <vector>

#include "config/json_fields.h"
#include "config/key_source.h"

namespace stepup::config {
namespace {

// Every asymmetric algorithm stepup verifies, strongest families first:
// the `dpop.algorithms` default.
constexpr Algorithm kDefaultDpopAlgorithms[] = {
    Algorithm::kES256, Algorithm::kES384, Algorithm::kES512, Algorithm::kEdDSA, Algorithm::kPS256,
    Algorithm::kPS384, Algorithm::kPS512, Algorithm::kRS256, Algorithm::kRS384, Algorithm::kRS512};

absl::Status read_bounded(const JsonValue& object, std::string_view key, const std::string& path,
                          int64_t low, int64_t high, int64_t& out) {
  const JsonValue* value = object.find(key);
  if (value == nullptr) return absl::OkStatus();
  if (!value->is_integer() || value->as_integer() < low || value->as_integer() > high) {
    return error_at(member_path(path, key), "must be an integer from " + std::to_string(low) +
                                                " to " + std::to_string(high));
  }
  out = value->as_integer();
  return absl::OkStatus();
}

void add_dpop_algorithm(Algorithm algorithm, dpop::Settings& settings) {
  settings.algorithms |= token_internal::algorithm_bit(algorithm);
  settings.algs.add(algorithm_name(algorithm));
}

// A validator's `dpop` member (docs/spec.md §2): required, algorithms
// (asymmetric only), max_age_seconds, max_future_seconds, max_proof_bytes.
absl::StatusOr<dpop::Settings> load_dpop(const JsonValue& validator, const std::string& parent) {
  dpop::Settings settings;
  const JsonValue* value = validator.find("dpop");
  if (value == nullptr) return settings;
  const std::string path = member_path(parent, "dpop");
  if (!value->is_object()) return error_at(path, "must be an object");
  if (absl::Status s = check_members(
          *value, path,
          {"required", "algorithms", "max_age_seconds", "max_future_seconds", "max_proof_bytes"});
      !s.ok()) {
    return s;
  }
  settings.accepted = true;
  absl::StatusOr<bool> required = read_bool(*value, "required", path);
  if (!required.ok()) return required.status();
  settings.required = *required;
  if (value->find("algorithms") == nullptr) {
    for (Algorithm algorithm : kDefaultDpopAlgorithms)
      add_dpop_algorithm(algorithm, settings);
  } else {
    absl::StatusOr<std::vector<std::string>> names = read_string_list(*value, "algorithms", path);
    if (!names.ok()) return names.status();
    if (names->empty()) return error_at(member_path(path, "algorithms"), "must not be empty");
    for (std::size_t i = 0; i < names->size(); ++i) {
      const std::string where = index_path(member_path(path, "algorithms"), i);
      const std::optional<Algorithm> algorithm = algorithm_from_name((*names)[i]);
      if (!algorithm) return error_at(where, "unknown algorithm \"" + (*names)[i] + "\"");
      if (!token_internal::is_asymmetric(*algorithm)) {
        return error_at(where,
                        "must be an asymmetric algorithm (RFC 9449 §4.2), not " + (*names)[i]);
      }
      if ((settings.algorithms & token_internal::algorithm_bit(*algorithm)) != 0) {
        return error_at(where, "lists " + (*names)[i] + " twice");
      }
      add_dpop_algorithm(*algorithm, settings);
    }
  }
  if (absl::Status s =
          read_bounded(*value, "max_age_seconds", path, 1, 86400, settings.max_age_seconds);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          read_bounded(*value, "max_future_seconds", path, 0, 3600, settings.max_future_seconds);
      !s.ok()) {
    return s;
  }
  int64_t max_proof_bytes = static_cast<int64_t>(settings.max_proof_bytes);
  if (absl::Status s = read_bounded(*value, "max_proof_bytes", path, 256, 65536, max_proof_bytes);
      !s.ok()) {
    return s;
  }
  settings.max_proof_bytes = static_cast<std::size_t>(max_proof_bytes);
  return settings;
}

absl::StatusOr<ValidatorOptions> load_validator(const JsonValue& value, const std::string& path,
                                                const std::string& base_directory,
                                                std::optional<keysource::RemoteSource>& remote) {
  if (!value.is_object()) return error_at(path, "must be an object");
  if (absl::Status s = check_members(
          value, path,
          {"name", "type", "issuer", "audience", "algorithms", "typ", "clock_skew_seconds",
           "max_token_bytes", "require", "jwks", "jwks_file", "jwks_uri", "discovery", "ca_file",
           "fetch_timeout_ms", "max_response_bytes", "allow_http_loopback", "refresh", "dpop"});
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
    absl::StatusOr<dpop::Settings> dpop = load_dpop(validators->items()[i], path);
    if (!dpop.ok()) return dpop.status();
    read.dpop.push_back(*std::move(dpop));
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
