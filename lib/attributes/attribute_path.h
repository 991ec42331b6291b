// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ATTRIBUTES_ATTRIBUTE_PATH_H_
#define STEPUP_LIB_ATTRIBUTES_ATTRIBUTE_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "attributes/value.h"

namespace stepup::attributes {

// The attributes of SPEC §3.
enum class AttributeId {
  kAuthenticationPolicy,   // `authentication_policy`: the token's acr (string).
  kAuthenticationTime,     // `authentication_time`: auth_time (integer).
  kAuthenticationAge,      // `authentication_age`: now - auth_time, never below 0.
  kAuthenticationMethods,  // `authentication_methods`: amr (list of strings).
  kAction,                 // `action`: "inbound-" + method.
  kService,                // `service`: the matching endpoint's service.
  kResourcePath,           // `HttpRequest.ResourcePath`.
  kRequestUri,             // `HttpRequest.RequestURI`: path and query.
  kIpAddress,              // `HttpRequest.IPAddress`.
  kRequestHeader,          // `HttpRequest.RequestHeaders.<name>` (name lower-cased).
  kQueryParameter,         // `HttpRequest.QueryParameters.<name>`.
  kAccessToken,            // `HttpRequest.AccessToken.<claim>[.<member>...]`.
};

// An attribute that is one value with a fixed name (no names below it).
struct SingleAttribute {
  std::string_view name;  // As written in conditions, such as `HttpRequest.IPAddress`.
  AttributeId id;
};

// Every single-valued attribute, in the order explanations list them.
inline constexpr SingleAttribute kSingleAttributes[] = {
    {"authentication_policy", AttributeId::kAuthenticationPolicy},
    {"authentication_time", AttributeId::kAuthenticationTime},
    {"authentication_age", AttributeId::kAuthenticationAge},
    {"authentication_methods", AttributeId::kAuthenticationMethods},
    {"action", AttributeId::kAction},
    {"service", AttributeId::kService},
    {"HttpRequest.ResourcePath", AttributeId::kResourcePath},
    {"HttpRequest.RequestURI", AttributeId::kRequestUri},
    {"HttpRequest.IPAddress", AttributeId::kIpAddress},
};

// The type a condition can rely on at load time. Claims have no static type.
enum class StaticType { kBool, kInt, kString, kStringList, kDynamic };

// How a kAccessToken path reads its claim, decided when it is resolved so
// that deciding compares no names.
enum class ClaimForm : uint8_t {
  kPlain,   // The claim's JSON value.
  kActive,  // `active`: always true for a token that reached the policy.
  kWords,   // `scope` or `scp`: a space-separated string is a list of words.
  // `token_type`: "Bearer" or "DPoP", the scheme the token came under (RFC
  // 9449 §7.1); for validated claims, their own `token_type` (RFC 7662).
  kTokenType,
};

// A resolved attribute reference: which attribute, and for headers, query
// parameters and claims, the name (and member path) within it.
struct AttributePath {
  AttributeId id = AttributeId::kAction;
  ClaimForm claim_form = ClaimForm::kPlain;  // kAccessToken only.
  // kRequestHeader / kQueryParameter: one name. kAccessToken: the claim then
  // any members below it. Empty for the fixed attributes.
  std::vector<std::string> names;
  // The path as written, for messages and traces.
  std::string text;
};

// Resolves dotted segments (`["HttpRequest", "AccessToken", "scope"]`).
// Refuses roots that are not attributes of SPEC §3, missing or extra names.
absl::StatusOr<AttributePath> resolve_attribute_path(const std::vector<std::string>& segments);

StaticType static_type(const AttributePath& path);

// What a condition reads attributes from while one request is decided.
class AttributeSource {
 public:
  virtual ~AttributeSource() = default;
  virtual Value get(const AttributePath& path) const = 0;
};

}  // namespace stepup::attributes

#endif  // STEPUP_LIB_ATTRIBUTES_ATTRIBUTE_PATH_H_
