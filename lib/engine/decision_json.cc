// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/request_attributes.h"
#include "json/json_text.h"
#include "stepup/decision.h"

namespace stepup {
namespace {

using json_internal::json_quote;

std::string_view applies_to_name(AppliesTo applies_to) {
  switch (applies_to) {
    case AppliesTo::kPermit:
      return "permit";
    case AppliesTo::kDeny:
      return "deny";
    case AppliesTo::kPermitOrDeny:
      return "permit-or-deny";
  }
  return "";
}

std::string string_list(const std::vector<std::string>& list) {
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += json_quote(list[i]);
  }
  return out + "]";
}

}  // namespace

std::string_view policy_result_name(PolicyResult result) {
  switch (result) {
    case PolicyResult::kPermit:
      return "permit";
    case PolicyResult::kDeny:
      return "deny";
    case PolicyResult::kNotApplicable:
      return "not-applicable";
    case PolicyResult::kIndeterminate:
      return "indeterminate";
  }
  return "indeterminate";
}

std::string Decision::to_json() const {
  std::string out = "{\"decision\": " + json_quote(policy_result_name(result));
  out += ", \"authorized\": ";
  out += authorized ? "true" : "false";
  out += ", \"status\": " + std::to_string(status);
  if (retry_after_seconds > 0) out += ", \"retry_after\": " + std::to_string(retry_after_seconds);
  if (!error.empty()) out += ", \"error\": " + json_quote(error);
  if (!www_authenticate.empty()) out += ", \"www_authenticate\": " + json_quote(www_authenticate);
  if (token_error != TokenError::kOk)
    out += ", \"token_error\": " + json_quote(token_error_name(token_error));
  out += ", \"reason\": " + json_quote(reason);
  out += ", \"determining_rule\": " + string_list(determining_rule);
  out += ", \"statements\": [";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    if (i > 0) out += ", ";
    out += "{\"code\": " + json_quote(statement.code);
    if (!statement.name.empty()) out += ", \"name\": " + json_quote(statement.name);
    out += ", \"applies_to\": " + json_quote(applies_to_name(statement.applies_to));
    if (statement.obligatory) out += ", \"obligatory\": true";
    out += ", \"payload\": " + json_internal::to_json_text(statement.payload) + "}";
  }
  out += "]";
  if (explanation) {
    out += ", \"attributes\": {";
    for (std::size_t i = 0; i < explanation->attributes.size(); ++i) {
      if (i > 0) out += ", ";
      out +=
          json_quote(explanation->attributes[i].first) + ": " + explanation->attributes[i].second;
    }
    out += "}, \"trace\": [";
    for (std::size_t i = 0; i < explanation->trace.size(); ++i) {
      const TraceEntry& entry = explanation->trace[i];
      if (i > 0) out += ", ";
      out += "{\"path\": " + string_list(entry.path) + ", \"step\": " + json_quote(entry.what) +
             ", \"outcome\": " + json_quote(entry.outcome) + "}";
    }
    out += "]";
  }
  return out + "}";
}

}  // namespace stepup
