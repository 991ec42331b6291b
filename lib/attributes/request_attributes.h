// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ATTRIBUTES_REQUEST_ATTRIBUTES_H_
#define STEPUP_LIB_ATTRIBUTES_REQUEST_ATTRIBUTES_H_

#include <algorithm>
#include <cstdint>
#include <forward_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "attributes/attribute_path.h"
#include "attributes/endpoint.h"
#include "json/json_ref.h"
#include "stepup/json_value.h"
#include "stepup/request.h"
#include "token/registered_claims.h"

namespace stepup::attributes {

// The claim-to-attribute mapper (SPEC §3): the attributes of one request,
// computed from the request, the validated claims (if any) and the clock.
// Cheap to build; values are views into the request and the claims, which
// must outlive it. Not thread-safe: one per decision.
class RequestAttributes final : public AttributeSource {
 public:
  // `registered`, when given, are the registered claims already located in
  // `claims` (by validation); otherwise they are located on first use.
  // `claims` may be absent (no token). `token_type` is the scheme the token
  // came under ("Bearer" or "DPoP"); empty for validated claims, whose own
  // `token_type` member then answers.
  RequestAttributes(const Request& request, json_internal::JsonRef claims,
                    const EndpointIndex& endpoints, int64_t now_seconds,
                    const token_internal::RegisteredClaims* registered = nullptr,
                    std::string_view token_type = {});

  // Not copyable: values point into the object itself.
  RequestAttributes(const RequestAttributes&) = delete;
  RequestAttributes& operator=(const RequestAttributes&) = delete;

  // Defined below, in the header, so that the policy's conditions, which
  // know this class, call it directly (see condition::CompiledCondition).
  Value get(const AttributePath& path) const override;

  // Fast accessors for targets.
  bool has_service() const { return endpoint_.endpoint != nullptr; }
  std::string_view service() const {
    return endpoint_.endpoint != nullptr ? std::string_view(endpoint_.endpoint->service)
                                         : std::string_view();
  }
  std::string_view action() const { return action_; }
  std::string_view resource_path() const { return endpoint_.resource_path; }

  // Every attribute with a value, as (name, JSON text), for `--explain`.
  std::vector<std::pair<std::string, std::string>> describe() const;

 private:
  Value claim(const AttributePath& path) const;
  // The claims' registered members, located on first use (not every policy
  // reads them).
  const token_internal::RegisteredClaims& registered() const {
    if (registered_ == nullptr) locate_registered();
    return *registered_;
  }
  void locate_registered() const;
  Value header(std::string_view lower_name) const;
  Value query_parameter(std::string_view name) const;

  const Request& request_;
  // The normalized path, when the request's path needed normalizing.
  std::string normalized_path_;
  json_internal::JsonRef claims_;
  std::string_view token_type_;
  // Those given by validation, else `located_` once located.
  mutable const token_internal::RegisteredClaims* registered_ = nullptr;
  mutable token_internal::RegisteredClaims located_;
  int64_t now_;
  EndpointMatch endpoint_;
  std::string action_;
  // Percent-decoded query values, kept alive for the decision.
  mutable std::forward_list<std::string> decoded_;  // Stable addresses; no allocation until used.
};

inline Value RequestAttributes::get(const AttributePath& path) const {
  switch (path.id) {
    case AttributeId::kAuthenticationPolicy: {
      const json_internal::JsonRef acr = registered().acr;
      return acr.is_string() ? Value::string(acr.as_string()) : Value::absent();
    }
    case AttributeId::kAuthenticationTime:
    case AttributeId::kAuthenticationAge: {
      const json_internal::JsonRef auth_time = registered().auth_time;
      // Claims validated elsewhere were not range-checked: an auth_time
      // outside NumericDate range is treated as absent, never as fresh.
      if (!auth_time.is_integer()) return Value::absent();
      const int64_t seconds = auth_time.as_integer();
      if (seconds < 0 || seconds > token_internal::kMaxNumericDate) return Value::absent();
      if (path.id == AttributeId::kAuthenticationTime) return Value::integer(seconds);
      return Value::integer(std::max<int64_t>(0, now_ - seconds));
    }
    case AttributeId::kAuthenticationMethods: {
      const json_internal::JsonRef amr = registered().amr;
      if (!amr) return Value::absent();
      // RFC 8176 makes amr a list; a string is read as space-separated words
      // so that `in` never becomes a substring test on it.
      return amr.is_string() ? Value::words(amr.as_string()) : Value::json(amr);
    }
    case AttributeId::kAction:
      return Value::string(action_);
    case AttributeId::kService:
      return has_service() ? Value::string(service()) : Value::absent();
    case AttributeId::kResourcePath:
      return Value::string(endpoint_.resource_path);
    case AttributeId::kRequestUri:
      return Value::string(request_.path);
    case AttributeId::kIpAddress:
      return request_.client_ip.empty() ? Value::absent() : Value::string(request_.client_ip);
    case AttributeId::kRequestHeader:
      return header(path.names[0]);
    case AttributeId::kQueryParameter:
      return query_parameter(path.names[0]);
    case AttributeId::kAccessToken:
      return claim(path);
  }
  return Value::absent();
}

// Decodes application/x-www-form-urlencoded text ('+' is a space, %XX a
// byte). Returns false for a malformed escape.
bool form_decode(std::string_view text, std::string& out);

}  // namespace stepup::attributes

#endif  // STEPUP_LIB_ATTRIBUTES_REQUEST_ATTRIBUTES_H_
