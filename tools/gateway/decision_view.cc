// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/decision_view.h"

#include <string>
#include <vector>

namespace stepup::gateway {
namespace {

std::string_view generic_error(int status) {
  switch (status) {
    case 400:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 403:
      return "access_denied";
    default:
      return "request_denied";
  }
}

std::string_view generic_description(int status) {
  switch (status) {
    case 400:
      return "The request is malformed";
    case 401:
      return "Authentication is required";
    case 403:
      return "Access is denied";
    default:
      return "The request is denied";
  }
}

}  // namespace

DecisionView view_decision(const Decision& decision) {
  DecisionView view;
  view.error_description = decision.error_description;
  if (!decision.scope.empty()) view.scope = decision.scope;
  if (decision.step_up) {
    view.acr_values = decision.step_up->acr_values;
    view.max_age = decision.step_up->max_age;
  }
  view.error =
      decision.error.empty() ? std::string(generic_error(decision.status)) : decision.error;
  if (view.error_description.empty()) {
    view.error_description = generic_description(decision.status);
  }
  return view;
}

std::string_view decision_name(const Decision& decision) {
  return policy_result_name(decision.result);
}

}  // namespace stepup::gateway
