// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <string>
#include <string_view>

#include "policy/policy.h"

namespace stepup::policy {
namespace {

std::string_view verb(PolicyResult result) {
  switch (result) {
    case PolicyResult::kPermit:
      return "permitted";
    case PolicyResult::kDeny:
      return "denied";
    case PolicyResult::kNotApplicable:
      return "not applicable";
    case PolicyResult::kIndeterminate:
      return "indeterminate (a condition or target could not be evaluated)";
  }
  return "";
}

}  // namespace

ResultReasons result_reasons(std::string_view kind, std::string_view joined_path) {
  ResultReasons reasons;
  for (PolicyResult result : {PolicyResult::kPermit, PolicyResult::kDeny,
                              PolicyResult::kNotApplicable, PolicyResult::kIndeterminate}) {
    std::string& reason = reasons[static_cast<std::size_t>(result)];
    reason.append(kind).append(" ").append(joined_path).append(" ").append(verb(result));
  }
  return reasons;
}

}  // namespace stepup::policy
