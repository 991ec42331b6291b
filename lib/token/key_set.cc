// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/key_set.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "json/strict_json.h"
#include "token/verification_key.h"

namespace stepup {
namespace {

constexpr int kMaxJwksDepth = 8;

absl::Status json_error(const json_internal::JsonParseResult& result, std::string_view what) {
  std::string message(what);
  switch (result.error) {
    case json_internal::JsonError::kOk:
      return absl::OkStatus();
    case json_internal::JsonError::kSyntax:
      message += " is not valid UTF-8 JSON";
      break;
    case json_internal::JsonError::kNotObject:
      message += " is not a JSON object";
      break;
    case json_internal::JsonError::kDuplicateMember:
      message += " repeats the member " + result.where;
      break;
    case json_internal::JsonError::kTooDeep:
      message += " is nested too deeply";
      break;
  }
  return absl::InvalidArgumentError(message);
}

}  // namespace

KeySet::KeySet() : data_(std::make_shared<token_internal::KeySetData>()) {}

KeySet::KeySet(std::shared_ptr<const token_internal::KeySetData> data) : data_(std::move(data)) {}

absl::StatusOr<KeySet> KeySet::from_jwks(std::string_view jwks_json) {
  JsonValue document;
  const auto parsed = json_internal::parse_json_object(jwks_json, kMaxJwksDepth, document);
  if (parsed.error != json_internal::JsonError::kOk) return json_error(parsed, "JWKS");
  const JsonValue* keys = document.find("keys");
  if (keys == nullptr || !keys->is_array()) {
    return absl::InvalidArgumentError("JWKS has no \"keys\" list (RFC 7517 §5)");
  }
  if (keys->items().empty()) return absl::InvalidArgumentError("JWKS \"keys\" is empty");
  auto data = std::make_shared<token_internal::KeySetData>();
  for (std::size_t i = 0; i < keys->items().size(); ++i) {
    const JsonValue& jwk = keys->items()[i];
    // A leaked private key is the provider's emergency, not a key to skip.
    if (const std::string_view member = token_internal::private_member_of(jwk); !member.empty()) {
      return absl::InvalidArgumentError("JWKS keys[" + std::to_string(i) +
                                        "]: holds private key member \"" + std::string(member) +
                                        "\"; a key set must publish public keys only");
    }
    absl::StatusOr<token_internal::VerificationKey> key = token_internal::key_from_jwk(jwk);
    if (!key.ok()) {
      const JsonValue* kid = jwk.is_object() ? jwk.find("kid") : nullptr;
      data->skipped.push_back(
          {i, kid != nullptr && kid->is_string() ? std::string(kid->as_string()) : "",
           std::string(key.status().message())});
      continue;
    }
    data->keys.push_back(std::make_shared<const token_internal::VerificationKey>(*std::move(key)));
  }
  if (data->keys.empty()) {
    std::string reasons;
    for (const SkippedKey& skipped : data->skipped)
      reasons += "; keys[" + std::to_string(skipped.index) + "]: " + skipped.reason;
    return absl::InvalidArgumentError("JWKS has no usable key" + reasons);
  }
  return KeySet(std::move(data));
}

absl::StatusOr<KeySet> KeySet::from_jwk(std::string_view jwk_json) {
  JsonValue document;
  const auto parsed = json_internal::parse_json_object(jwk_json, kMaxJwksDepth, document);
  if (parsed.error != json_internal::JsonError::kOk) return json_error(parsed, "JWK");
  absl::StatusOr<token_internal::VerificationKey> key = token_internal::key_from_jwk(document);
  if (!key.ok()) {
    return absl::InvalidArgumentError("JWK: " + std::string(key.status().message()));
  }
  auto data = std::make_shared<token_internal::KeySetData>();
  data->keys.push_back(std::make_shared<const token_internal::VerificationKey>(*std::move(key)));
  return KeySet(std::move(data));
}

absl::StatusOr<KeySet> KeySet::from_pem(std::string_view pem, const PemKeyOptions& options) {
  absl::StatusOr<token_internal::VerificationKey> key = token_internal::key_from_pem(pem, options);
  if (!key.ok()) {
    return absl::InvalidArgumentError("PEM key: " + std::string(key.status().message()));
  }
  auto data = std::make_shared<token_internal::KeySetData>();
  data->keys.push_back(std::make_shared<const token_internal::VerificationKey>(*std::move(key)));
  return KeySet(std::move(data));
}

KeySet KeySet::merged_with(const KeySet& other) const {
  auto data = std::make_shared<token_internal::KeySetData>(*data_);
  data->keys.insert(data->keys.end(), other.data_->keys.begin(), other.data_->keys.end());
  data->skipped.insert(data->skipped.end(), other.data_->skipped.begin(),
                       other.data_->skipped.end());
  return KeySet(std::move(data));
}

const std::vector<SkippedKey>& KeySet::skipped() const {
  return data_->skipped;
}

std::size_t KeySet::size() const {
  return data_->keys.size();
}

std::vector<KeyInfo> KeySet::describe() const {
  std::vector<KeyInfo> result;
  for (const auto& key : data_->keys) {
    KeyInfo info{key->kid, key->type, {}};
    for (int i = 0; i < kAlgorithmCount; ++i) {
      if (key->allows(static_cast<Algorithm>(i))) info.allowed.push_back(static_cast<Algorithm>(i));
    }
    result.push_back(std::move(info));
  }
  return result;
}

}  // namespace stepup
