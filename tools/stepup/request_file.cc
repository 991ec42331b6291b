// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "request_file.h"

#include "common/json_input.h"
#include "stepup/status.h"

namespace stepup::cli {
namespace {

absl::Status error_at(const std::string& where, const std::string& message) {
  return absl::InvalidArgumentError(where + ": " + message);
}

}  // namespace

absl::StatusOr<std::unique_ptr<OwnedRequest>> OwnedRequest::from_json(const JsonValue& object,
                                                                      const std::string& where) {
  using Kind = JsonValue::Kind;
  if (!object.is_object()) return error_at(where, "a request must be a JSON object");
  tools::FieldReader fields;
  fields.only(object, where, {"method", "path", "authorization", "headers", "client_ip", "claims"});
  const JsonValue* method = fields.required(object, where, "method", Kind::kString);
  const JsonValue* path = fields.required(object, where, "path", Kind::kString);
  const JsonValue* authorization = fields.optional(object, where, "authorization", Kind::kString);
  const JsonValue* client_ip = fields.optional(object, where, "client_ip", Kind::kString);
  const JsonValue* headers = fields.optional(object, where, "headers", Kind::kObject);
  const JsonValue* claims = fields.optional(object, where, "claims", Kind::kObject);
  std::unique_ptr<OwnedRequest> owned(new OwnedRequest());
  if (headers != nullptr) {
    const std::string headers_path = tools::member_path(where, "headers");
    for (const JsonMember& header : headers->members()) {
      if (!header.value.is_string()) {
        fields.fail("must be a string", tools::member_path(headers_path, header.name));
        break;
      }
      owned->header_storage_.emplace_back(header.name, std::string(header.value.as_string()));
    }
  }
  if (const std::optional<tools::InputError>& error = fields.error()) {
    return error_at(error->where, error->message);
  }
  owned->method_ = std::string(method->as_string());
  owned->path_ = std::string(path->as_string());
  if (client_ip != nullptr) owned->client_ip_ = std::string(client_ip->as_string());
  if (authorization != nullptr) owned->authorization_ = std::string(authorization->as_string());
  if (claims != nullptr) owned->claims_ = *claims;
  if (owned->method_.empty()) return error_at(where, "\"method\" must not be empty");
  if (owned->path_.empty() || owned->path_.front() != '/') {
    return error_at(where, "\"path\" must start with '/'");
  }
  for (const auto& [name, value] : owned->header_storage_)
    owned->headers_.push_back({name, value});
  owned->request_.method = owned->method_;
  owned->request_.path = owned->path_;
  owned->request_.client_ip = owned->client_ip_;
  if (owned->authorization_) owned->request_.authorization = *owned->authorization_;
  owned->request_.headers = owned->headers_;
  owned->request_.validated_claims = owned->claims_ ? &*owned->claims_ : nullptr;
  return owned;
}

}  // namespace stepup::cli
