// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_POLICY_POLICY_H_
#define STEPUP_LIB_POLICY_POLICY_H_

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "attributes/endpoint.h"
#include "challenge/challenge_builder.h"
#include "condition/condition.h"
#include "dpop/settings.h"
#include "keysource/key_refresher.h"
#include "policy/glob.h"
#include "policy/target_index.h"
#include "stepup/decision.h"
#include "stepup/resource_metadata.h"
#include "stepup/token_verifier.h"

namespace stepup::policy {

// Rule effects (SPEC §2).
enum class Effect {
  kPermit,          // Permit if the condition holds, else NotApplicable.
  kDeny,            // Deny if the condition holds, else NotApplicable.
  kPermitElseDeny,  // Permit if the condition holds, else Deny.
  kDenyElsePermit,  // Deny if the condition holds, else Permit.
};

// PingAuthorize's six combining algorithms, in XACML's names.
enum class Combining {
  kDenyOverrides,
  kPermitOverrides,
  kFirstApplicable,
  kOnlyOneApplicable,
  kDenyUnlessPermit,
  kPermitUnlessDeny,
};

// Every key given must match (AND); within a key, any value (OR).
struct Target {
  std::vector<std::string> services;
  std::vector<std::string> actions;
  std::vector<Glob> paths;
  std::optional<condition::CompiledCondition> condition;
  std::string condition_text;
};

// A decision's reason when a rule (or the root policy) gives the result,
// by PolicyResult: "rule a/b permitted", ... Built once at load time, so a
// decision copies one string.
using ResultReasons = std::array<std::string, 4>;
ResultReasons result_reasons(std::string_view kind, std::string_view joined_path);

// A `denied-reason` statement's answer, compiled from its payload at load
// time (SPEC §4 step 6).
struct DeniedReason {
  int status = 403;
  std::optional<std::string> error;    // The challenge's error code; none: no challenge.
  std::optional<std::string> message;  // Its error_description.
  std::optional<std::string> scope;    // Its scope (only with `error`).
  std::optional<std::string> detail;   // For the reason only (else `message` is used).
};

// A statement of the policy tree: what the decision reports, and what the
// statement means to the HTTP answer, compiled once, so that no payload
// member is looked up and no code compared during a decision.
struct PolicyStatement {
  Statement reported;
  // `auth-challenge`, `denied-reason`, or another code (no effect on the answer).
  std::variant<std::monostate, challenge::StepUpDemand, DeniedReason> meaning;
};

struct Rule {
  std::string name;
  std::vector<std::string> path;  // Names from the root, this rule's last.
  std::string joined_path;        // The names joined with '/', for reasons.
  ResultReasons reasons;          // "rule <joined_path> <verb>".
  bool disabled = false;
  Effect effect = Effect::kPermit;
  Target target;
  std::optional<condition::CompiledCondition> condition;
  std::string condition_text;
  std::vector<PolicyStatement> statements;
};

// A policy set (children) or a policy (rules).
struct Node {
  std::string name;
  std::vector<std::string> path;
  std::string joined_path;
  ResultReasons reasons;  // "policy <joined_path> <verb>".
  bool disabled = false;
  bool is_policy_set = false;
  Target target;
  Combining combining = Combining::kFirstApplicable;
  std::vector<PolicyStatement> statements;
  std::vector<Node> children;
  std::vector<Rule> rules;
  // For nodes with many children or rules: narrows them by the request's
  // service, action and path before their targets are checked.
  std::shared_ptr<const TargetIndex> index;
};

// Nodes with at least this many children (or rules) get a TargetIndex;
// below it a plain scan is faster.
inline constexpr std::size_t kIndexThreshold = 8;

// A loaded, compiled policy document: immutable, shared by decisions.
struct PolicyDocument {
  std::optional<std::string> realm;
  // RFC 9728: what `protected_resource` describes; nullopt without one.
  std::optional<ProtectedResourceMetadata> protected_resource;
  std::vector<attributes::Endpoint> endpoints;
  attributes::EndpointIndex endpoint_index;  // Over `endpoints`, built last.
  std::vector<std::string> acr_levels;
  std::optional<TokenVerifier> verifier;  // nullopt when no validators are configured.
  // The validators whose keys come from their identity provider, and what
  // the load fetched (the engine's key refresher takes it from here).
  std::vector<keysource::RemoteKeys> remote_keys;
  // One per validator of `verifier`, in order.
  std::vector<dpop::Settings> dpop;
  // `protected_resource.resource`'s origin (empty without one): the
  // request URI a DPoP proof's `htu` names is this and the request's path.
  std::string resource_origin;
  // Every algorithm some validator takes DPoP proofs in (none: no validator
  // takes DPoP): the `algs` of a challenge to a request without credentials.
  dpop::AlgorithmNames dpop_algs;
  // Every validator requires DPoP: such a challenge is DPoP's alone.
  bool dpop_only = false;
  Node root;
};

}  // namespace stepup::policy

#endif  // STEPUP_LIB_POLICY_POLICY_H_
