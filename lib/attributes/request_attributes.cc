// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/request_attributes.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <unordered_set>

#include "attributes/path_normalizer.h"
#include "common/ascii.h"
#include "json/json_text.h"

namespace stepup::attributes {

using json_internal::json_quote;
using json_internal::to_json_text;
namespace {

// OAuth scope claims: a space-separated string (RFC 8693 §4.2, RFC 9068) or,
// as some servers send `scp`, a list.
Value scope_value(json_internal::JsonRef value) {
  if (value.is_string()) return Value::words(value.as_string());
  return Value::json(value);
}

}  // namespace

bool form_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = common::hex_digit_value(text[i + 1]);
      const int low = common::hex_digit_value(text[i + 2]);
      if (high < 0 || low < 0) return false;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

RequestAttributes::RequestAttributes(const Request& request, json_internal::JsonRef claims,
                                     const EndpointIndex& endpoints, int64_t now_seconds,
                                     const token_internal::RegisteredClaims* registered,
                                     std::string_view token_type)
    : request_(request), claims_(claims), token_type_(token_type), now_(now_seconds) {
  if (claims) registered_ = registered;
  // Targets match the path the origin server will resolve, not the raw one.
  const ScannedPath scanned = scan_request_path(request.path);
  std::string_view path = scanned.path;
  if (!scanned.normalized) {
    normalized_path_ = normalize_path(path);
    path = normalized_path_;
  }
  endpoint_ = endpoints.match(path);
  action_.reserve(8 + request.method.size());
  action_ = "inbound-";
  action_ += request.method;
}

void RequestAttributes::locate_registered() const {
  located_ = token_internal::RegisteredClaims::locate(claims_);
  registered_ = &located_;
}

Value RequestAttributes::claim(const AttributePath& path) const {
  if (!claims_) return Value::absent();
  // A token that reached the policy is valid: `active` is true (SPEC §3),
  // whatever a member of that name inside a JWT says.
  if (path.claim_form == ClaimForm::kActive) return Value::boolean(true);
  if (path.claim_form == ClaimForm::kTokenType && !token_type_.empty()) {
    return Value::string(token_type_);
  }
  const std::vector<std::string>& names = path.names;
  // Registered claims were located already; others are searched for.
  const json_internal::JsonRef* located = registered().slot(names[0]);
  json_internal::JsonRef value = located != nullptr ? *located : claims_.find(names[0]);
  if (!value) return Value::absent();
  if (path.claim_form == ClaimForm::kWords) return scope_value(value);
  for (std::size_t i = 1; i < names.size(); ++i) {
    value = value.find(names[i]);
    if (!value) return Value::absent();
  }
  return Value::json(value);
}

Value RequestAttributes::header(std::string_view lower_name) const {
  for (const Header& h : request_.headers) {
    if (common::equals_ignoring_ascii_case(h.name, lower_name)) return Value::string(h.value);
  }
  return Value::absent();
}

Value RequestAttributes::query_parameter(std::string_view name) const {
  const std::size_t question = request_.path.find('?');
  if (question == std::string_view::npos) return Value::absent();
  std::string_view query = request_.path.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    std::string decoded_name;
    if (form_decode(raw_name, decoded_name) && decoded_name == name) {
      if (raw_value.find_first_of("%+") == std::string_view::npos) return Value::string(raw_value);
      std::string decoded_value;
      if (!form_decode(raw_value, decoded_value)) return Value::absent();
      decoded_.push_front(std::move(decoded_value));
      return Value::string(decoded_.front());
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return Value::absent();
}

std::vector<std::pair<std::string, std::string>> RequestAttributes::describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&out](std::string name, const Value& value) {
    switch (value.kind()) {
      case Value::Kind::kAbsent:
        return;
      case Value::Kind::kBool:
        out.emplace_back(std::move(name), value.as_bool() ? "true" : "false");
        return;
      case Value::Kind::kInt:
        out.emplace_back(std::move(name), std::to_string(value.as_int()));
        return;
      case Value::Kind::kString:
        out.emplace_back(std::move(name), json_quote(value.as_string()));
        return;
      case Value::Kind::kList: {
        std::string text = "[";
        value.for_each_item([&text](const Value& item) {
          if (text.size() > 1) text += ",";
          text += item.kind() == Value::Kind::kString ? json_quote(item.as_string())
                  : item.kind() == Value::Kind::kInt  ? std::to_string(item.as_int())
                                                      : std::string("null");
          return true;
        });
        out.emplace_back(std::move(name), text + "]");
        return;
      }
      case Value::Kind::kOther:
        out.emplace_back(std::move(name), "null");
        return;
    }
  };
  AttributePath path;
  for (const SingleAttribute& single : kSingleAttributes) {
    path.id = single.id;
    add(std::string(single.name), get(path));
  }
  std::unordered_set<std::string> shown_headers;
  for (const Header& h : request_.headers) {
    std::string name = "HttpRequest.RequestHeaders." + common::to_ascii_lower(h.name);
    // Credentials: the token, and the DPoP proof (signed, and one use only).
    if (name == "HttpRequest.RequestHeaders.authorization" ||
        name == "HttpRequest.RequestHeaders.dpop") {
      continue;
    }
    // The first header of a name is the one conditions see (and JSON
    // readers disagree on repeated member names): show only that one. Names
    // are compared as they will be written, since JSON output repairs bytes
    // that are not UTF-8 and two names can become one.
    if (!shown_headers.insert(json_quote(name)).second) continue;
    out.emplace_back(std::move(name), json_quote(h.value));
  }
  if (claims_) {
    claims_.for_each_member([this, &out](std::string_view name, json_internal::JsonRef value) {
      // `active` and `token_type` are shown below as the policy sees them.
      if (name != "active" && (name != "token_type" || token_type_.empty())) {
        out.emplace_back("HttpRequest.AccessToken." + std::string(name), to_json_text(value));
      }
      return true;
    });
    out.emplace_back("HttpRequest.AccessToken.active", "true");
    if (!token_type_.empty()) {
      out.emplace_back("HttpRequest.AccessToken.token_type", json_quote(token_type_));
    }
  }
  return out;
}

}  // namespace stepup::attributes
