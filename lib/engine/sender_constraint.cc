// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "engine/sender_constraint.h"

#include <string>

#include "dpop/proof.h"

namespace stepup::engine_internal {
namespace {

// The token's `cnf` claim's `jkt` member (RFC 9449 §6.1): a string, or an
// absent reference.
json_internal::JsonRef bound_thumbprint(json_internal::JsonRef claims) {
  const json_internal::JsonRef confirmation = claims.find("cnf");
  if (!confirmation.is_object()) return {};
  return confirmation.find("jkt");
}

}  // namespace

TokenError check_sender_constraint(const SenderConstraintCheck& check, ChallengeScheme& scheme) {
  const policy::PolicyDocument& document = *check.document;
  // The loader gives every validator its settings; were they missing, the
  // validator would be one without a `dpop` member (no DPoP accepted),
  // rather than an exception in decide().
  static const dpop::Settings kNoDpop;
  const dpop::Settings& settings =
      check.validator < document.dpop.size() ? document.dpop[check.validator] : kNoDpop;
  const json_internal::JsonRef jkt = bound_thumbprint(check.claims);
  if (check.presented == token_internal::TokenScheme::kBearer) {
    // RFC 9449 §7.2: a bound token is never a bearer token. Its challenge
    // asks for DPoP; without a validator that takes it, for what any does.
    if (jkt) {
      scheme = {.dpop = true, .algs = settings.accepted ? &settings.algs : &document.dpop_algs};
      return TokenError::kDpopBoundTokenAsBearer;
    }
    if (settings.required) {
      scheme = {.dpop = true, .algs = &settings.algs};
      return TokenError::kDpopRequired;
    }
    return TokenError::kOk;
  }
  if (!settings.accepted) {
    scheme = {};
    return TokenError::kDpopNotAccepted;
  }
  scheme = {.dpop = true, .algs = &settings.algs};
  if (!jkt.is_string()) return TokenError::kDpopTokenNotBound;

  std::string_view proof;
  if (const TokenError found = dpop::find_proof(check.request->headers, proof);
      found != TokenError::kOk) {
    return found;
  }
  // The request's URI as the client saw it: the resource's origin and the
  // request target (whose query verify_proof() ignores).
  thread_local std::string uri;
  uri.assign(document.resource_origin);
  uri.append(check.request->path);
  const dpop::ProofCheck proof_check{.algorithms = settings.algorithms,
                                     .method = check.request->method,
                                     .uri = uri,
                                     .access_token = check.token,
                                     .bound_thumbprint = jkt.as_string(),
                                     .now = check.now,
                                     .max_age_seconds = settings.max_age_seconds,
                                     .max_future_seconds = settings.max_future_seconds,
                                     .max_proof_bytes = settings.max_proof_bytes};
  thread_local dpop::VerifiedProof verified;
  if (const TokenError error = dpop::verify_proof(proof, proof_check, verified);
      error != TokenError::kOk) {
    return error;
  }
  if (check.replay == nullptr) return TokenError::kDpopReplayCacheFull;  // Fail closed.
  switch (check.replay->first_use(verified.thumbprint, verified.jti, check.now,
                                  verified.remember_until)) {
    case dpop::ReplayVerdict::kFirstUse:
      return TokenError::kOk;
    case dpop::ReplayVerdict::kReplayed:
      return TokenError::kDpopProofReplayed;
    case dpop::ReplayVerdict::kFull:
      return TokenError::kDpopReplayCacheFull;
  }
  return TokenError::kDpopReplayCacheFull;
}

}  // namespace stepup::engine_internal
