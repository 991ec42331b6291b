// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "challenge/challenge_builder.h"

#include <algorithm>
#include <charconv>

namespace stepup::challenge {
namespace {

// Appends one challenge's parameters, after its scheme.
class ParameterWriter {
 public:
  explicit ParameterWriter(std::string& out) : out_(out) {}
  void add(std::string_view name, std::string_view value) {
    open(name);
    out_ += value;
    out_ += '"';
  }
  // `name="` for a value the caller appends, then close().
  void open(std::string_view name) {
    out_ += first_ ? " " : ", ";
    first_ = false;
    out_ += name;
    out_ += "=\"";
  }
  void close() { out_ += '"'; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void append_challenge(const BearerChallenge& challenge, std::string& out) {
  if (!out.empty()) out += ", ";
  out += challenge.dpop ? "DPoP" : "Bearer";
  ParameterWriter parameters(out);
  if (!challenge.realm.empty()) parameters.add("realm", challenge.realm);
  if (!challenge.error.empty()) parameters.add("error", challenge.error);
  if (!challenge.error_description.empty()) {
    parameters.add("error_description", challenge.error_description);
  }
  if (!challenge.acr_values.empty()) {
    parameters.open("acr_values");
    for (std::size_t i = 0; i < challenge.acr_values.size(); ++i) {
      if (i > 0) out += ' ';
      out += challenge.acr_values[i];
    }
    parameters.close();
  }
  if (challenge.max_age) {
    char digits[24];
    const std::to_chars_result end =
        std::to_chars(digits, digits + sizeof digits, *challenge.max_age);
    parameters.add("max_age", std::string_view(digits, end.ptr - digits));
  }
  if (!challenge.scope.empty()) parameters.add("scope", challenge.scope);
  if (challenge.dpop && !challenge.algs.empty()) parameters.add("algs", challenge.algs);
  if (!challenge.resource_metadata.empty())
    parameters.add("resource_metadata", challenge.resource_metadata);
}

void write_bearer_challenge(const BearerChallenge& challenge, std::string& out) {
  out.clear();
  append_challenge(challenge, out);
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
