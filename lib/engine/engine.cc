// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/engine.h"

#include <array>
#include <utility>

#include "attributes/request_attributes.h"
#include "engine/decision_mapping.h"
#include "engine/engine_state.h"
#include "policy/evaluator.h"
#include "policy/loader.h"
#include "stepup/token_verifier.h"

namespace stepup {
namespace engine_internal {
namespace {

std::atomic<uint64_t> next_engine_id{1};

// A few engines per thread; a miss costs one lock, never a wrong document.
struct CachedSnapshot {
  uint64_t engine_id = 0;
  uint64_t generation = 0;
  std::shared_ptr<const policy::PolicyDocument> document;
};
constexpr std::size_t kCachedEngines = 4;

absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load(const EngineOptions& options) {
  if (!options.policy_file.empty()) return policy::load_policy_file(options.policy_file);
  if (options.policy_json.empty()) {
    return absl::InvalidArgumentError("EngineOptions needs policy_file or policy_json");
  }
  return policy::load_policy(options.policy_json, options.base_directory);
}

}  // namespace

std::shared_ptr<const policy::PolicyDocument> EngineState::snapshot() {
  thread_local std::array<CachedSnapshot, kCachedEngines> cache;
  thread_local std::size_t next_slot = 0;
  const uint64_t current_generation = generation.load(std::memory_order_acquire);
  for (CachedSnapshot& entry : cache) {
    if (entry.engine_id == id && entry.generation == current_generation) return entry.document;
  }
  CachedSnapshot* slot = nullptr;
  for (CachedSnapshot& entry : cache) {
    if (entry.engine_id == id) slot = &entry;
  }
  if (slot == nullptr) {
    slot = &cache[next_slot];
    next_slot = (next_slot + 1) % kCachedEngines;
  }
  std::lock_guard<std::mutex> lock(snapshot_mutex);
  slot->engine_id = id;
  slot->generation = generation.load(std::memory_order_acquire);
  slot->document = current;
  return slot->document;
}

void EngineState::publish(std::shared_ptr<const policy::PolicyDocument> document) {
  std::lock_guard<std::mutex> lock(snapshot_mutex);
  current = std::move(document);
  generation.fetch_add(1, std::memory_order_release);
}

}  // namespace engine_internal

Engine::Engine(std::shared_ptr<engine_internal::EngineState> state) : state_(std::move(state)) {}

absl::StatusOr<Engine> Engine::create(EngineOptions options) {
  if (!options.policy_file.empty() && !options.policy_json.empty()) {
    return absl::InvalidArgumentError("give policy_file or policy_json, not both");
  }
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      engine_internal::load(options);
  if (!document.ok()) return document.status();
  auto state = std::make_shared<engine_internal::EngineState>();
  if (options.clock == nullptr) options.clock = &system_clock();
  state->options = std::move(options);
  state->id = engine_internal::next_engine_id.fetch_add(1);
  state->publish(*std::move(document));
  return Engine(std::move(state));
}

absl::Status Engine::reload() {
  std::lock_guard<std::mutex> lock(state_->reload_mutex);
  if (state_->options.policy_file.empty()) {
    return absl::FailedPreconditionError("this engine was built from text: use reload_json()");
  }
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      engine_internal::load(state_->options);
  if (!document.ok()) return document.status();
  state_->publish(*std::move(document));
  return absl::OkStatus();
}

absl::Status Engine::reload_json(std::string_view policy_json, std::string base_directory) {
  std::lock_guard<std::mutex> lock(state_->reload_mutex);
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      policy::load_policy(policy_json, base_directory);
  if (!document.ok()) return document.status();
  state_->publish(*std::move(document));
  return absl::OkStatus();
}

uint64_t Engine::generation() const {
  return state_->generation.load(std::memory_order_acquire);
}

Decision Engine::decide(const Request& request) const {
  return decide(request, DecideOptions{});
}

Decision Engine::decide(const Request& request, const DecideOptions& options) const {
  const std::shared_ptr<const policy::PolicyDocument> document = state_->snapshot();
  const int64_t now = options.now ? *options.now : state_->options.clock->now_seconds();

  const JsonValue* claims = nullptr;
  TokenResult token;
  bool has_credentials = false;
  if (request.validated_claims != nullptr) {
    has_credentials = true;
    const JsonValue* active = request.validated_claims->find("active");
    if (!request.validated_claims->is_object() || (active != nullptr && !active->as_bool())) {
      return engine_internal::invalid_token_decision(*document, TokenError::kTokenInactive);
    }
    claims = request.validated_claims;
  } else {
    const BearerToken bearer = parse_bearer_authorization(request.authorization);
    if (is_request_error(bearer.error)) {
      return engine_internal::malformed_authorization_decision(*document, bearer.error);
    }
    if (bearer.error == TokenError::kOk) {
      has_credentials = true;
      if (!document->verifier) {
        return engine_internal::invalid_token_decision(*document, TokenError::kIssuerUnknown);
      }
      token = document->verifier->verify_at(bearer.token, now);
      if (!token.ok()) return engine_internal::invalid_token_decision(*document, token.error);
      claims = &token.claims.payload();
    }
  }

  const attributes::RequestAttributes attributes(request, claims, document->endpoints, now);
  thread_local policy::EvaluationScratch scratch;
  std::shared_ptr<Explanation> explanation;
  if (options.explain) explanation = std::make_shared<Explanation>();
  const policy::Evaluation evaluation = policy::evaluate_policy(
      document->root, attributes, scratch, explanation ? &explanation->trace : nullptr);
  Decision decision =
      engine_internal::policy_decision(*document, evaluation, scratch.statements, has_credentials);
  if (explanation) {
    explanation->attributes = attributes.describe();
    decision.explanation = std::move(explanation);
  }
  return decision;
}

}  // namespace stepup
