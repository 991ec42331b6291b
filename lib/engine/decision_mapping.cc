// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "engine/decision_mapping.h"

#include <variant>

#include "challenge/challenge_builder.h"

namespace stepup::engine_internal {
namespace {

std::string_view realm_of(const policy::PolicyDocument& document) {
  return document.realm ? std::string_view(*document.realm) : std::string_view();
}

std::string_view resource_metadata_of(const policy::PolicyDocument& document) {
  return document.protected_resource ? std::string_view(document.protected_resource->url)
                                     : std::string_view();
}

// The first statement whose compiled meaning is a `Meaning`, or nullptr.
template <typename Meaning>
const Meaning* first_meaning(const std::vector<const policy::PolicyStatement*>& statements) {
  for (const policy::PolicyStatement* statement : statements) {
    if (const Meaning* meaning = std::get_if<Meaning>(&statement->meaning)) return meaning;
  }
  return nullptr;
}

// Every field but the three vectors back to its default, keeping the
// storage of strings for the next decision. The vectors are assigned by the
// caller, so that their elements' storage is reused too.
void reset(Decision& out, PolicyResult result, int status, TokenError token_error) {
  out.result = result;
  out.authorized = false;
  out.status = status;
  out.www_authenticate.clear();
  out.error.clear();
  out.reason.clear();
  out.token_error = token_error;
  out.subject.clear();
  out.error_description.clear();
  out.scope.clear();
  out.step_up.reset();
  out.explanation.reset();
  out.retry_after_seconds = 0;
}

void token_refusal(const policy::PolicyDocument& document, TokenError error, int status,
                   std::string_view code, std::string_view reason_prefix, ChallengeScheme scheme,
                   Decision& out) {
  reset(out, PolicyResult::kIndeterminate, status, error);
  out.determining_rule.clear();
  out.statements.clear();
  out.claims.clear();
  out.error.assign(code);
  // RFC 9470 §9: no step-up challenge for a token that has not proven itself.
  out.error_description.assign(token_error_description(error));
  challenge::write_bearer_challenge({.realm = realm_of(document),
                                     .error = code,
                                     .error_description = out.error_description,
                                     .resource_metadata = resource_metadata_of(document),
                                     .dpop = scheme.dpop,
                                     .algs = scheme.joined_algs()},
                                    out.www_authenticate);
  out.reason.assign(reason_prefix);
  out.reason += token_error_description(error);
}

// The statements as the decision reports them, reusing `out`'s elements.
void assign_reported(std::vector<Statement>& out,
                     const std::vector<const policy::PolicyStatement*>& from) {
  out.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i)
    out[i] = from[i]->reported;
}

}  // namespace

void out_of_memory_decision(Decision& out) noexcept {
  reset(out, PolicyResult::kIndeterminate, 500, TokenError::kOk);  // Clears; allocates nothing.
  out.determining_rule.clear();
  out.statements.clear();
  out.claims.clear();
  constexpr std::string_view kReason = "out of memory";
  // Only into storage the decision already has: nothing may fail here.
  if (out.reason.capacity() >= kReason.size()) out.reason.assign(kReason);
}

void keys_unavailable_decision(int64_t retry_after_seconds, Decision& out) {
  reset(out, PolicyResult::kIndeterminate, 503, TokenError::kKeysUnavailable);
  out.determining_rule.clear();
  out.statements.clear();
  out.claims.clear();
  out.retry_after_seconds = retry_after_seconds < 1 ? 1 : retry_after_seconds;
  // No challenge: the token is not refused, only not judged yet.
  out.reason.assign("token not judged: ");
  out.reason += token_error_description(TokenError::kKeysUnavailable);
}

void malformed_authorization_decision(const policy::PolicyDocument& document, TokenError error,
                                      ChallengeScheme scheme, Decision& out) {
  token_refusal(document, error, 400, "invalid_request", "request refused: ", scheme, out);
}

void invalid_token_decision(const policy::PolicyDocument& document, TokenError error,
                            ChallengeScheme scheme, Decision& out) {
  if (is_dpop_proof_error(error)) {
    token_refusal(document, error, 401, "invalid_dpop_proof", "DPoP proof refused: ", scheme, out);
    return;
  }
  token_refusal(document, error, 401, "invalid_token", "token refused: ", scheme, out);
}

void policy_decision(const policy::PolicyDocument& document, const policy::Evaluation& evaluation,
                     const std::vector<const policy::PolicyStatement*>& statements,
                     bool has_credentials, ChallengeScheme scheme, Decision& out) {
  reset(out, evaluation.result, 403, TokenError::kOk);
  assign_reported(out.statements, statements);
  const std::size_t result_index = static_cast<std::size_t>(evaluation.result);
  if (evaluation.determining != nullptr) {
    const std::vector<std::string>& path = evaluation.determining->path;
    out.determining_rule.assign(path.begin(), path.end());
    out.reason.assign(evaluation.determining->reasons[result_index]);
  } else {
    out.determining_rule.clear();
    out.reason.assign(document.root.reasons[result_index]);
  }
  if (evaluation.first_indeterminate != nullptr &&
      evaluation.first_indeterminate != evaluation.determining) {
    out.reason += "; rule ";
    out.reason += evaluation.first_indeterminate->joined_path;
    out.reason +=
        " was indeterminate (a condition read an absent attribute or a value of the wrong type)";
  }

  if (evaluation.result == PolicyResult::kPermit) {
    out.authorized = true;
    out.status = 200;
    return;
  }
  if (!has_credentials) {
    // RFC 6750 §3: no error code, and nothing of the policy's requirements.
    out.status = 401;
    if (!document.dpop_only) {
      challenge::write_bearer_challenge(
          {.realm = realm_of(document), .resource_metadata = resource_metadata_of(document)},
          out.www_authenticate);
    }
    if (!document.dpop_algs.list.empty()) {
      challenge::append_challenge({.realm = realm_of(document),
                                   .resource_metadata = resource_metadata_of(document),
                                   .dpop = true,
                                   .algs = document.dpop_algs.joined},
                                  out.www_authenticate);
    }
    out.reason += "; no credentials were presented";
    return;
  }
  if (evaluation.result == PolicyResult::kDeny) {
    if (first_meaning<challenge::StepUpDemand>(statements) != nullptr) {
      std::vector<const challenge::StepUpDemand*> demands;
      for (const policy::PolicyStatement* statement : statements) {
        if (const auto* demand = std::get_if<challenge::StepUpDemand>(&statement->meaning)) {
          demands.push_back(demand);
        }
      }
      const challenge::MergedRequirement merged = challenge::merge_step_up(demands);
      std::string_view description = merged.error_description;
      if (description.empty()) {
        description =
            merged.acr_values.empty() ? challenge::kMaxAgeDescription : challenge::kAcrDescription;
      }
      out.status = 401;
      out.error.assign("insufficient_user_authentication");
      out.error_description.assign(description);
      challenge::write_bearer_challenge({.realm = realm_of(document),
                                         .error = out.error,
                                         .error_description = description,
                                         .acr_values = merged.acr_values,
                                         .max_age = merged.max_age,
                                         .resource_metadata = resource_metadata_of(document),
                                         .dpop = scheme.dpop,
                                         .algs = scheme.joined_algs()},
                                        out.www_authenticate);
      StepUpRequirement& step_up = out.step_up.emplace();
      step_up.acr_values.assign(merged.acr_values.begin(), merged.acr_values.end());
      step_up.max_age = merged.max_age;
      if (!realm_of(document).empty()) step_up.realm.emplace(realm_of(document));
      step_up.error_description.emplace(description);
      step_up.dpop = scheme.dpop;
      if (scheme.dpop && scheme.algs != nullptr) {
        step_up.dpop_algs.assign(scheme.algs->list.begin(), scheme.algs->list.end());
      } else {
        step_up.dpop_algs.clear();
      }
      if (!resource_metadata_of(document).empty()) {
        step_up.resource_metadata.emplace(resource_metadata_of(document));
      }
      return;
    }
    if (const policy::DeniedReason* denied = first_meaning<policy::DeniedReason>(statements)) {
      out.status = denied->status;
      if (denied->error) {
        out.error.assign(*denied->error);
        if (denied->message) out.error_description.assign(*denied->message);
        if (denied->scope) out.scope.assign(*denied->scope);
        challenge::write_bearer_challenge({.realm = realm_of(document),
                                           .error = out.error,
                                           .error_description = out.error_description,
                                           .scope = out.scope,
                                           .resource_metadata = resource_metadata_of(document),
                                           .dpop = scheme.dpop,
                                           .algs = scheme.joined_algs()},
                                          out.www_authenticate);
      }
      if (out.www_authenticate.empty() && out.status == 401) {
        // RFC 9110 §15.5.2: a 401 always carries a challenge.
        challenge::write_bearer_challenge({.realm = realm_of(document),
                                           .resource_metadata = resource_metadata_of(document),
                                           .dpop = scheme.dpop,
                                           .algs = scheme.joined_algs()},
                                          out.www_authenticate);
      }
      const std::optional<std::string>& shown = denied->detail ? denied->detail : denied->message;
      if (shown) {
        out.reason += ": ";
        out.reason += *shown;
      }
      return;
    }
  }
  out.status = 403;
}

}  // namespace stepup::engine_internal
