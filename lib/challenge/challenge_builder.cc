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
  if (!challenge.resource_metadata.empty())
    append_parameter(out, "resource_metadata", challenge.resource_metadata);
}

std::string format_bearer_challenge(const BearerChallenge& challenge) {
  std::string out;
  write_bearer_challenge(challenge, out);
  return out;
}

MergedRequirement merge_step_up(const std::vector<const StepUpDemand*>& demands) {
  MergedRequirement merged;
  bool have_first_list = false;
  std::vector<std::string_view> first;
  std::vector<std::string_view> narrowed;
  for (const StepUpDemand* demand : demands) {
    if (demand->max_age) {
      merged.max_age =
          merged.max_age ? std::min(*merged.max_age, *demand->max_age) : *demand->max_age;
    }
    if (demand->error_description && merged.error_description.empty()) {
      merged.error_description = *demand->error_description;
    }
    if (demand->acr_values.empty()) continue;
    if (!have_first_list) {
      first.assign(demand->acr_values.begin(), demand->acr_values.end());
      narrowed = first;
      have_first_list = true;
      continue;
    }
    std::erase_if(narrowed, [demand](std::string_view value) {
      return std::find(demand->acr_values.begin(), demand->acr_values.end(), value) ==
             demand->acr_values.end();
    });
  }
  merged.acr_values = narrowed.empty() ? std::move(first) : std::move(narrowed);
  return merged;
}

}  // namespace stepup::challenge
