// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "engine/decision_mapping.h"

#include "challenge/challenge_builder.h"

namespace stepup::engine_internal {
namespace {

std::string_view realm_of(const policy::PolicyDocument& document) {
  return document.realm ? std::string_view(*document.realm) : std::string_view();
}

std::string joined_path(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& name : path) {
    if (!out.empty()) out += '/';
    out += name;
  }
  return out;
}

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

const Statement* first_with_code(const std::vector<const Statement*>& statements,
                                 std::string_view code) {
  for (const Statement* statement : statements) {
    if (statement->code == code) return statement;
  }
  return nullptr;
}

}  // namespace

Decision malformed_authorization_decision(const policy::PolicyDocument& document,
                                          TokenError error) {
  Decision decision;
  decision.result = PolicyResult::kIndeterminate;
  decision.status = 400;
  decision.error = "invalid_request";
  decision.token_error = error;
  decision.www_authenticate =
      challenge::format_bearer_challenge({.realm = realm_of(document),
                                          .error = "invalid_request",
                                          .error_description = token_error_description(error)});
  decision.reason = "request refused: " + std::string(token_error_description(error));
  return decision;
}

Decision invalid_token_decision(const policy::PolicyDocument& document, TokenError error) {
  Decision decision;
  decision.result = PolicyResult::kIndeterminate;
  decision.status = 401;
  decision.error = "invalid_token";
  decision.token_error = error;
  // RFC 9470 §9: no step-up challenge for a token that has not proven itself.
  decision.www_authenticate =
      challenge::format_bearer_challenge({.realm = realm_of(document),
                                          .error = "invalid_token",
                                          .error_description = token_error_description(error)});
  decision.reason = "token refused: " + std::string(token_error_description(error));
  return decision;
}

Decision policy_decision(const policy::PolicyDocument& document,
                         const policy::Evaluation& evaluation,
                         const std::vector<const Statement*>& statements, bool has_credentials) {
  Decision decision;
  decision.result = evaluation.result;
  decision.statements.reserve(statements.size());
  for (const Statement* statement : statements)
    decision.statements.push_back(*statement);
  if (evaluation.determining != nullptr) {
    decision.determining_rule = evaluation.determining->path;
    decision.reason = "rule " + joined_path(evaluation.determining->path) + " " +
                      std::string(verb(evaluation.result));
  } else {
    decision.reason =
        "policy " + joined_path(document.root.path) + " " + std::string(verb(evaluation.result));
  }
  if (evaluation.first_indeterminate != nullptr &&
      evaluation.first_indeterminate != evaluation.determining) {
    decision.reason += "; rule " + joined_path(evaluation.first_indeterminate->path) +
                       " was indeterminate (a condition read an absent attribute or a value of the "
                       "wrong type)";
  }

  if (evaluation.result == PolicyResult::kPermit) {
    decision.authorized = true;
    decision.status = 200;
    return decision;
  }
  if (!has_credentials) {
    // RFC 6750 §3: no error code, and nothing of the policy's requirements.
    decision.status = 401;
    decision.www_authenticate = challenge::format_bearer_challenge({.realm = realm_of(document)});
    decision.reason += "; no credentials were presented";
    return decision;
  }
  if (evaluation.result == PolicyResult::kDeny) {
    if (first_with_code(statements, "auth-challenge") != nullptr) {
      const challenge::MergedRequirement merged =
          challenge::merge_step_up(statements, document.acr_levels);
      std::string_view description = merged.error_description;
      if (description.empty()) {
        description =
            merged.acr_values.empty() ? challenge::kMaxAgeDescription : challenge::kAcrDescription;
      }
      decision.status = 401;
      decision.error = "insufficient_user_authentication";
      decision.www_authenticate =
          challenge::format_bearer_challenge({.realm = realm_of(document),
                                              .error = decision.error,
                                              .error_description = description,
                                              .acr_values = merged.acr_values,
                                              .max_age = merged.max_age});
      return decision;
    }
    if (const Statement* denied = first_with_code(statements, "denied-reason")) {
      const JsonValue& payload = denied->payload;
      const JsonValue* status = payload.find("status");
      decision.status = status != nullptr ? static_cast<int>(status->as_integer()) : 403;
      if (const JsonValue* error = payload.find("error")) {
        decision.error = std::string(error->as_string());
        const JsonValue* message = payload.find("message");
        const JsonValue* scope = payload.find("scope");
        decision.www_authenticate = challenge::format_bearer_challenge(
            {.realm = realm_of(document),
             .error = decision.error,
             .error_description = message != nullptr ? message->as_string() : std::string_view(),
             .scope = scope != nullptr ? scope->as_string() : std::string_view()});
      }
      if (decision.www_authenticate.empty() && decision.status == 401) {
        // RFC 9110 §15.5.2: a 401 always carries a challenge.
        decision.www_authenticate =
            challenge::format_bearer_challenge({.realm = realm_of(document)});
      }
      if (const JsonValue* detail = payload.find("detail")) {
        decision.reason += ": " + std::string(detail->as_string());
      } else if (const JsonValue* message = payload.find("message")) {
        decision.reason += ": " + std::string(message->as_string());
      }
      return decision;
    }
  }
  decision.status = 403;
  return decision;
}

}  // namespace stepup::engine_internal
