// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "challenge/challenge_builder.h"

#include <algorithm>
#include <charconv>

namespace stepup::challenge {
namespace {

void append_parameter(std::string& out, std::string_view name, std::string_view value) {
  out += out.size() == 6 ? " " : ", ";  // After "Bearer" or after a parameter.
  out += name;
  out += "=\"";
  out += value;
  out += '"';
}

// The acr list of one auth-challenge payload, or empty if it has none.
std::vector<std::string_view> acr_list(const JsonValue& payload,
                                       const std::vector<std::string>& acr_levels) {
  std::vector<std::string_view> list;
  if (const JsonValue* values = payload.find("acr_values")) {
    for (const JsonValue& item : values->items())
      list.push_back(item.as_string());
  } else if (const JsonValue* min_acr = payload.find("min_acr")) {
    const auto from = std::find(acr_levels.begin(), acr_levels.end(), min_acr->as_string());
    for (auto it = from; it != acr_levels.end(); ++it)
      list.push_back(*it);
  }
  return list;
}

}  // namespace

void write_bearer_challenge(const BearerChallenge& challenge, std::string& out) {
  out.assign("Bearer");
  if (!challenge.realm.empty()) append_parameter(out, "realm", challenge.realm);
  if (!challenge.error.empty()) append_parameter(out, "error", challenge.error);
  if (!challenge.error_description.empty()) {
    append_parameter(out, "error_description", challenge.error_description);
  }
  if (!challenge.acr_values.empty()) {
    append_parameter(out, "acr_values", {});
    out.pop_back();  // Reopen the quotes to append the values in place.
    for (std::size_t i = 0; i < challenge.acr_values.size(); ++i) {
      if (i > 0) out += ' ';
      out += challenge.acr_values[i];
    }
    out += '"';
  }
  if (challenge.max_age) {
    char digits[24];
    const std::to_chars_result end =
        std::to_chars(digits, digits + sizeof digits, *challenge.max_age);
    append_parameter(out, "max_age", std::string_view(digits, end.ptr - digits));
  }
  if (!challenge.scope.empty()) append_parameter(out, "scope", challenge.scope);
}

std::string format_bearer_challenge(const BearerChallenge& challenge) {
  std::string out;
  write_bearer_challenge(challenge, out);
  return out;
}

MergedRequirement merge_step_up(const std::vector<const Statement*>& statements,
                                const std::vector<std::string>& acr_levels) {
  MergedRequirement merged;
  bool have_first_list = false;
  std::vector<std::string_view> first;
  std::vector<std::string_view> narrowed;
  for (const Statement* statement : statements) {
    if (statement->code != "auth-challenge") continue;
    const JsonValue& payload = statement->payload;
    if (const JsonValue* max_age = payload.find("max_age")) {
      merged.max_age =
          merged.max_age ? std::min(*merged.max_age, max_age->as_integer()) : max_age->as_integer();
    }
    if (const JsonValue* description = payload.find("error_description");
        description != nullptr && merged.error_description.empty()) {
      merged.error_description = description->as_string();
    }
    std::vector<std::string_view> list = acr_list(payload, acr_levels);
    if (list.empty()) continue;
    if (!have_first_list) {
      first = list;
      narrowed = std::move(list);
      have_first_list = true;
      continue;
    }
    std::erase_if(narrowed, [&list](std::string_view value) {
      return std::find(list.begin(), list.end(), value) == list.end();
    });
  }
  merged.acr_values = narrowed.empty() ? std::move(first) : std::move(narrowed);
  return merged;
}

}  // namespace stepup::challenge
