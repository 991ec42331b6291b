// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "request_file.h"

#include "absl/status/status.h"

namespace stepup::cli {
namespace {

absl::Status error_at(const std::string& where, const std::string& message) {
  return absl::InvalidArgumentError(where + ": " + message);
}

}  // namespace

absl::StatusOr<std::unique_ptr<OwnedRequest>> OwnedRequest::from_json(const JsonValue& object,
                                                                      const std::string& where) {
  if (!object.is_object()) return error_at(where, "a request must be a JSON object");
  std::unique_ptr<OwnedRequest> owned(new OwnedRequest());
  for (const JsonMember& member : object.members()) {
    const std::string here = where + "." + member.name;
    const JsonValue& value = member.value;
    auto text = [&](std::string& out) -> absl::Status {
      if (!value.is_string()) return error_at(here, "must be a string");
      out = std::string(value.as_string());
      return absl::OkStatus();
    };
    absl::Status status;
    if (member.name == "method") {
      status = text(owned->method_);
    } else if (member.name == "path") {
      status = text(owned->path_);
    } else if (member.name == "client_ip") {
      status = text(owned->client_ip_);
    } else if (member.name == "authorization") {
      std::string authorization;
      status = text(authorization);
      owned->authorization_ = std::move(authorization);
    } else if (member.name == "headers") {
      if (!value.is_object()) return error_at(here, "must be an object of header names to strings");
      for (const JsonMember& header : value.members()) {
        if (!header.value.is_string())
          return error_at(here + "." + header.name, "must be a string");
        owned->header_storage_.emplace_back(header.name, std::string(header.value.as_string()));
      }
    } else if (member.name == "claims") {
      if (!value.is_object()) return error_at(here, "must be an object of validated claims");
      owned->claims_ = value;
    } else {
      return error_at(where,
                      "unknown key \"" + member.name +
                          "\" (expected method, path, authorization, headers, client_ip, claims)");
    }
    if (!status.ok()) return status;
  }
  if (owned->method_.empty()) return error_at(where, "missing \"method\"");
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
