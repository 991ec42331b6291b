// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/engine.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>
#include <new>
#include <optional>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "attributes/request_attributes.h"
#include "config/document.h"
#include "engine/decision_mapping.h"
#include "engine/engine_state.h"
#include "engine/sender_constraint.h"
#include "policy/evaluator.h"
#include "stepup/key_refresh.h"
#include "stepup/token_verifier.h"
#include "token/bearer.h"
#include "token/verifier_access.h"

namespace stepup {
namespace engine_internal {
namespace {

std::atomic<uint64_t> next_engine_id{1};

// Built before it is needed: a status with a message allocates, and the
// moment to report running out of memory is no moment to allocate. (Copies
// of a status share its message.)
const absl::Status& out_of_memory() {
  static const absl::Status status =
      absl::ResourceExhaustedError("out of memory while loading the policy document");
  return status;
}
// Forces out_of_memory() to be built at start-up, not at its first use.
[[maybe_unused]] const absl::Status& kOutOfMemoryAtStartUp = out_of_memory();

// Every rule of `node` and its descendants, with its names joined.
void collect_rules(const policy::Node& node, std::vector<const policy::Rule*>& rules,
                   std::vector<std::string>& names) {
  for (const policy::Rule& rule : node.rules) {
    std::string joined;
    for (const std::string& name : rule.path)
      joined += (joined.empty() ? "" : " / ") + name;
    rules.push_back(&rule);
    names.push_back(std::move(joined));
  }
  for (const policy::Node& child : node.children)
    collect_rules(child, rules, names);
}

// The challenge counter of every rule of `document` (by its names, so that
// counts go on across reloads); a challenge without a determining rule
// counts under the key nullptr. `plan` gets the names the registry learns
// when the load commits (Registry::commit).
std::shared_ptr<const std::unordered_map<const policy::Rule*, uint16_t>> challenge_slots(
    const policy::PolicyDocument& document, const metrics::Registry& registry,
    metrics::Registry::ChallengeSlotPlan& plan) {
  std::vector<const policy::Rule*> rules;
  std::vector<std::string> names;
  collect_rules(document.root, rules, names);
  rules.push_back(nullptr);
  names.emplace_back("(no rule)");
  plan = registry.plan_challenge_slots(names);
  auto slots = std::make_shared<std::unordered_map<const policy::Rule*, uint16_t>>();
  for (std::size_t i = 0; i < rules.size(); ++i)
    slots->emplace(rules[i], plan.slots[i]);
  return slots;
}

// Counts a decision into this thread's counters when it ends, and times one
// decision in MetricsSnapshot::kLatencySampleInterval. Nothing without
// counters, or when the decision ends by an exception (then it fails closed
// uncounted).
class DecisionMetrics {
 public:
  DecisionMetrics(metrics::CounterBlock* counters, const Decision& out)
      : counters_(counters), out_(out) {
    if (counters_ == nullptr) return;
    if (counters_->until_sample == 0) {
      counters_->until_sample = MetricsSnapshot::kLatencySampleInterval;
      started_ = std::chrono::steady_clock::now();
      timed_ = true;
    }
    --counters_->until_sample;
  }
  ~DecisionMetrics() {
    if (counters_ == nullptr || std::uncaught_exceptions() > 0) return;
    counters_->count_decision(out_);
    if (timed_) {
      const auto elapsed = std::chrono::steady_clock::now() - started_;
      counters_->count_latency(static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
    }
  }
  DecisionMetrics(const DecisionMetrics&) = delete;
  DecisionMetrics& operator=(const DecisionMetrics&) = delete;

 private:
  metrics::CounterBlock* counters_;
  const Decision& out_;
  std::chrono::steady_clock::time_point started_;
  bool timed_ = false;
};

// A few engines per thread; a miss costs one lock, never a wrong document.
constexpr std::size_t kViewsPerThread = 4;

// Loads a document from a file or from text. `what` names the source in
// the error of an empty file name.
absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load_source(
    const std::variant<PolicyFile, PolicyText>& source, const config::LoadOptions& load,
    std::string_view what) {
  if (const auto* file = std::get_if<PolicyFile>(&source)) {
    if (file->path.empty())
      return absl::InvalidArgumentError(std::string(what) + ": no file given");
    return config::load_policy_file(file->path, load);
  }
  const PolicyText& given = std::get<PolicyText>(source);
  return config::load_policy(given.json, given.base_directory, load);
}

absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load_unguarded(
    const EngineOptions& options, std::optional<std::string_view> text,
    const std::string& base_directory) {
  const config::LoadOptions load{.fetch_remote_keys = !options.key_refresh.start_without_keys};
  if (text) return config::load_policy(*text, base_directory, load);
  return load_source(options.policy, load, "EngineOptions: policy");
}

// Loads the shadow policy for its policy alone: its keys are never fetched.
absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load_shadow_unguarded(
    const std::variant<PolicyFile, PolicyText>& source) {
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      load_source(source, {.fetch_remote_keys = false}, "shadow policy");
  if (document.ok() || absl::StartsWith(document.status().message(), "shadow policy:")) {
    return document;
  }
  return absl::Status(document.status().code(),
                      "shadow policy: " + std::string(document.status().message()));
}

// The options' shadow policy, or nullptr when none is configured.
absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load_shadow(
    const EngineOptions& options) {
  if (!options.shadow_policy) return nullptr;
  try {
    return load_shadow_unguarded(*options.shadow_policy);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
}

// Loads a document (the given text, else the options' file or text). Running
// out of memory is an error like any other: the engine keeps its last good
// state, and create() and reload() never throw.
absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> load(
    const EngineOptions& options, std::optional<std::string_view> text = std::nullopt,
    const std::string& base_directory = "") {
  try {
    return load_unguarded(options, text, base_directory);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
}

}  // namespace

ThreadView& EngineState::thread_view() {
  thread_local std::array<ThreadView, kViewsPerThread> views;
  thread_local std::size_t next_slot = 0;
  const uint64_t current_generation = generation.load(std::memory_order_acquire);
  ThreadView* slot = nullptr;
  for (ThreadView& view : views) {
    if (view.engine_id != id) continue;
    if (view.generation == current_generation) return view;
    slot = &view;
  }
  if (slot == nullptr) {
    slot = &views[next_slot];
    next_slot = (next_slot + 1) % kViewsPerThread;
  }
  slot->local_tokens.clear();
  slot->counters = metrics ? metrics->block_for_this_thread() : nullptr;
  std::lock_guard<std::mutex> lock(snapshot_mutex);
  slot->engine_id = id;
  slot->generation = generation.load(std::memory_order_acquire);
  slot->loaded = current;
  return *slot;
}

EngineState::~EngineState() {
  stopping.store(true, std::memory_order_release);
  wake->notify();
  if (refresh_thread.joinable()) refresh_thread.join();
}

std::shared_ptr<Loaded> EngineState::snapshot() {
  std::lock_guard<std::mutex> lock(snapshot_mutex);
  return current;
}

absl::Status EngineState::publish(std::shared_ptr<const policy::PolicyDocument> document) {
  std::shared_ptr<Loaded> loaded;
  metrics::Registry::ChallengeSlotPlan slot_plan;
  try {
    // Everything that can fail happens before the swap.
    loaded = std::make_shared<Loaded>();
    loaded->verifier = document->verifier;
    if (!document->remote_keys.empty()) {
      loaded->refresher = std::make_shared<keysource::KeyRefresher>(
          document->remote_keys, document->verifier->validators().size(),
          options.clock->now_seconds(), wake);
    }
    if (metrics) loaded->challenge_slots = challenge_slots(*document, *metrics, slot_plan);
    loaded->shadow = shadow;
    loaded->replay = replay;
    if (!loaded->replay && !document->dpop_algs.list.empty()) {
      loaded->replay = std::make_shared<dpop::ReplayCache>(options.dpop_replay_entries);
    }
    loaded->document = std::move(document);
    add_token_cache(*loaded);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
  if (loaded->refresher) {
    if (absl::Status started = start_refresh_thread_if_due(); !started.ok()) return started;
  }
  // Nothing fails from here on. What outlives this load (the metrics' rule
  // names, the replay cache) changes only now, so that a failed reload
  // leaves no trace of its document.
  if (metrics) metrics->commit(slot_plan);
  replay = loaded->replay;
  make_current(std::move(loaded));
  wake->notify();  // The new document's sources may be due now.
  return absl::OkStatus();
}

absl::Status EngineState::start_refresh_thread_if_due() {
  if (options.key_refresh.mode != KeyRefreshMode::kBackgroundThread || refresh_thread.joinable()) {
    return absl::OkStatus();
  }
  try {
    // It tolerates a `current` without a refresher (or none yet).
    refresh_thread = std::thread([this] { run_refresh_thread(); });
  } catch (const std::system_error& e) {
    return absl::ResourceExhaustedError(std::string("cannot start the key refresh thread: ") +
                                        e.what());
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
  return absl::OkStatus();
}

void EngineState::add_token_cache(Loaded& loaded) const {
  if (options.token_cache.enabled)
    loaded.tokens = std::make_unique<TokenCache>(options.token_cache);
}

void EngineState::make_current(std::shared_ptr<Loaded> loaded) {
  std::lock_guard<std::mutex> lock(snapshot_mutex);
  current = std::move(loaded);
  generation.fetch_add(1, std::memory_order_release);
}

absl::Status EngineState::publish_keys(const keysource::KeyRefresher* refresher,
                                       std::size_t validator, KeySet keys) {
  std::lock_guard<std::mutex> reload_lock(reload_mutex);
  const std::shared_ptr<Loaded> now_current = snapshot();
  if (now_current->refresher.get() != refresher) {
    return absl::FailedPreconditionError("the policy document was reloaded during the fetch");
  }
  TokenVerifierOptions verifier_options;
  verifier_options.validators = now_current->verifier->validators();
  verifier_options.validators.at(validator).keys = std::move(keys);
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(std::move(verifier_options));
  if (!verifier.ok()) return verifier.status();
  auto loaded = std::make_shared<Loaded>();
  loaded->document = now_current->document;
  loaded->verifier = *std::move(verifier);
  loaded->refresher = now_current->refresher;
  loaded->challenge_slots = now_current->challenge_slots;
  loaded->shadow = now_current->shadow;
  loaded->replay = now_current->replay;
  add_token_cache(*loaded);
  make_current(std::move(loaded));
  return absl::OkStatus();
}

absl::Status EngineState::finish_fetch(const std::shared_ptr<keysource::KeyRefresher>& refresher,
                                       const KeyFetchJob& job,
                                       const absl::StatusOr<KeyFetchResponse>& answer) {
  keysource::FinishedFetch finished = refresher->finish(job, answer, options.clock->now_seconds());
  if (finished.changed) {
    absl::Status published;
    try {
      published = publish_keys(refresher.get(), finished.validator, *std::move(finished.changed));
    } catch (const std::bad_alloc&) {
      published = out_of_memory();
    }
    refresher->settle(finished, published, options.clock->now_seconds());
    if (metrics) metrics->count_key_fetch(job.validator, published.ok() ? "changed" : "failed");
    if (!published.ok()) return published;
  } else if (metrics) {
    metrics->count_key_fetch(job.validator, finished.status.ok() ? "unchanged" : "failed");
  }
  return finished.status;
}

// Fetches what is due, then sleeps until the next fetch is due or a decision
// asks for one; at most a second, so that a clock set forward is noticed.
void EngineState::run_refresh_thread() {
  while (!stopping.load(std::memory_order_acquire)) {
    std::chrono::milliseconds sleep{1000};
    try {
      // Started before the first load is published: then there is none yet.
      const std::shared_ptr<Loaded> loaded = snapshot();
      if (const std::shared_ptr<keysource::KeyRefresher> refresher =
              loaded ? loaded->refresher : nullptr) {
        const int64_t now = options.clock->now_seconds();
        if (std::optional<KeyFetchJob> job = refresher->take_due(now)) {
          absl::StatusOr<KeyFetchResponse> answer = absl::InternalError("the fetch did not run");
          try {
            answer = run_key_fetch(*job);
          } catch (const std::exception& e) {
            answer = absl::ResourceExhaustedError(std::string("key fetch: ") + e.what());
          }
          finish_fetch(refresher, *job, answer).IgnoreError();  // Kept in status().
          continue;
        }
        if (const std::optional<int64_t> due = refresher->next_due()) {
          // Whole seconds, clamped before scaling (an urgent source is due at 0).
          sleep = std::min(sleep,
                           std::chrono::milliseconds(1000 * std::clamp<int64_t>(*due - now, 0, 1)));
        }
      }
    } catch (const std::exception&) {
      // Out of memory: try again after the pause.
    }
    wake->wait_for(sleep);
  }
}

// A token that verified consists of base64url segments and dots, all
// b64token characters (RFC 6750 §2.1), so the check of its characters only
// runs for a token that failed: a malformed header is the request's fault
// (400), anything else the token's (401).
TokenError request_error_or(std::string_view token, TokenError verdict) {
  return token_internal::is_b64token(token) ? verdict : TokenError::kAuthorizationMalformed;
}

// A token's claims, and their registered members already located.
struct VerifiedClaims {
  json_internal::JsonRef claims;
  const token_internal::RegisteredClaims* registered = nullptr;
  // With kKeyNotFound: the validator (of the verifier) whose set lacks the key.
  const ValidatorOptions* key_missing_in = nullptr;
  // With kOk: the index of the validator that accepted the token.
  std::size_t validator = 0;
  // "Bearer" or "DPoP" for a token from the Authorization header: the
  // HttpRequest.AccessToken.token_type attribute. Empty otherwise.
  std::string_view token_type;
};

// The token's verdict at `now`, from the cache when it has it. Sets
// `verified` on success; the claims live as long as the thread's view.
TokenError verify_token(const TokenVerifier& verifier, TokenCache* cache, ThreadView& view,
                        std::string_view token, int64_t now, VerifiedClaims& verified) {
  // Oversized input is refused before it is hashed or kept.
  if (cache == nullptr ||
      token.size() > token_internal::VerifierAccess::max_token_bytes(verifier)) {
    // Reused, so that the claims are parsed into storage of earlier calls.
    thread_local token_internal::UntimedVerification uncached;
    TokenError verdict = token_internal::VerifierAccess::verify_untimed(verifier, token, uncached);
    if (verdict == TokenError::kKeyNotFound) verified.key_missing_in = uncached.validator;
    if (verdict != TokenError::kOk) return request_error_or(token, verdict);
    verdict = uncached.window.check(now);
    if (verdict == TokenError::kOk) {
      verified.claims = uncached.claims;
      verified.registered = &uncached.registered;
      verified.validator =
          static_cast<std::size_t>(uncached.validator - verifier.validators().data());
    }
    return verdict;
  }
  const uint64_t hash = TokenCache::hash(token);
  const CachedToken* entry = cache->find(token, hash, view.local_tokens);
  if (view.counters != nullptr)
    (entry != nullptr ? view.counters->cache_hits : view.counters->cache_misses).add();
  if (entry == nullptr) {
    auto fresh = std::make_shared<CachedToken>();
    fresh->hash = hash;
    token_internal::UntimedVerification untimed;
    fresh->error = token_internal::VerifierAccess::verify_untimed(verifier, token, untimed);
    // A malformed header is refused without being kept: every kept token is
    // a well-formed b64token, so a hit needs no second look at it.
    if (fresh->error != TokenError::kOk &&
        request_error_or(token, fresh->error) == TokenError::kAuthorizationMalformed) {
      return TokenError::kAuthorizationMalformed;
    }
    // Nor is a token whose key a fetched set lacks: the answer depends on
    // the key refresh (a new set may have it), and the validator is needed
    // to ask.
    if (fresh->error == TokenError::kKeyNotFound && untimed.validator != nullptr &&
        untimed.validator->keys_from_provider) {
      verified.key_missing_in = untimed.validator;
      return TokenError::kKeyNotFound;
    }
    fresh->token = std::string(token);
    if (fresh->error == TokenError::kOk) {
      fresh->window = untimed.window;
      untimed.claims.copy_to(fresh->claims);
      fresh->registered = token_internal::RegisteredClaims::locate(fresh->claims);
      fresh->validator = static_cast<std::size_t>(untimed.validator - verifier.validators().data());
    }
    entry = cache->insert(std::move(fresh), now, view.local_tokens);
  }
  const TokenError verdict = entry->verdict(now);
  if (verdict == TokenError::kOk) {
    verified.claims = entry->claims;
    verified.registered = &entry->registered;
    verified.validator = entry->validator;
  }
  return verdict;
}

// The claims a host asked for, into `out`'s existing elements where it has
// them (so that a warm decision allocates nothing for them).
void copy_claims(const std::vector<std::string>& names, json_internal::JsonRef claims,
                 std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t count = 0;
  for (const std::string& name : names) {
    const json_internal::JsonRef value = claims.find(name);
    if (!value) continue;
    if (count == out.size()) out.emplace_back();
    out[count].first.assign(name);
    if (value.is_string()) {
      out[count].second.assign(value.as_string());
    } else {
      JsonValue copy;
      value.copy_to(copy);
      out[count].second = copy.to_json();
    }
    ++count;
  }
  out.resize(count);
}

// Evaluates the shadow policy on the same request and claims, and notes in
// `context` (and the thread's counters) where it disagrees with `live`.
void decide_shadow(const policy::PolicyDocument& shadow, const Request& request,
                   const VerifiedClaims& verified, int64_t now, bool has_credentials,
                   const Decision& live, DecisionContext& context) {
  const attributes::RequestAttributes attributes(request, verified.claims, shadow.endpoint_index,
                                                 now, verified.registered, verified.token_type);
  thread_local policy::EvaluationScratch scratch;
  thread_local Decision decision;
  const policy::Evaluation evaluation =
      policy::evaluate_policy(shadow.root, attributes, scratch, nullptr);
  policy_decision(shadow, evaluation, scratch.statements, has_credentials, ChallengeScheme{},
                  decision);
  if (decision.result == live.result && decision.status == live.status) return;
  context.shadow_disagreed = true;
  context.shadow.result = decision.result;
  context.shadow.status = decision.status;
  context.shadow.determining_rule = decision.determining_rule;
  if (context.counters != nullptr) {
    context.counters
        ->shadow_disagreements[static_cast<std::size_t>(live.result) * metrics::kResults +
                               static_cast<std::size_t>(decision.result)]
        .add();
  }
}

}  // namespace engine_internal

Engine::Engine(std::shared_ptr<engine_internal::EngineState> state) : state_(std::move(state)) {}

absl::StatusOr<Engine> Engine::create(EngineOptions options) {
  try {
    return create_unguarded(std::move(options));
  } catch (const std::bad_alloc&) {
    return engine_internal::out_of_memory();
  }
}

absl::Status Engine::reload() {
  absl::Status status;
  try {
    status = reload_unguarded();
  } catch (const std::bad_alloc&) {
    status = engine_internal::out_of_memory();
  }
  if (state_->metrics) state_->metrics->count_reload(status.ok());
  return status;
}

absl::Status Engine::reload_json(std::string_view policy_json, std::string base_directory) {
  absl::Status status;
  try {
    status = reload_json_unguarded(policy_json, std::move(base_directory));
  } catch (const std::bad_alloc&) {
    status = engine_internal::out_of_memory();
  }
  if (state_->metrics) state_->metrics->count_reload(status.ok());
  return status;
}

absl::StatusOr<Engine> Engine::create_unguarded(EngineOptions options) {
  if (options.token_cache.max_entries > kMaxTokenCacheEntries ||
      options.token_cache.max_refused_entries > kMaxTokenCacheEntries) {
    return absl::InvalidArgumentError("token_cache: at most " +
                                      std::to_string(kMaxTokenCacheEntries) + " entries per table");
  }
  if (options.dpop_replay_entries < 64 || options.dpop_replay_entries > (std::size_t{1} << 26)) {
    return absl::InvalidArgumentError("dpop_replay_entries: must be from 64 to 67108864");
  }
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      engine_internal::load(options);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> shadow =
      engine_internal::load_shadow(options);
  if (!shadow.ok()) return shadow.status();
  std::unique_ptr<decisionlog::DecisionLog> log;
  if (options.decision_log) {
    absl::StatusOr<std::unique_ptr<decisionlog::DecisionLog>> opened =
        decisionlog::DecisionLog::open(*options.decision_log);
    if (!opened.ok()) return opened.status();
    log = *std::move(opened);
  }
  std::shared_ptr<engine_internal::EngineState> state;
  state = std::make_shared<engine_internal::EngineState>();
  state->shadow = *std::move(shadow);
  state->log = std::move(log);
  if (options.clock == nullptr) options.clock = &system_clock();
  state->options = std::move(options);
  state->id = engine_internal::next_engine_id.fetch_add(1);
  if (state->options.metrics) state->metrics = std::make_unique<metrics::Registry>();
  if (absl::Status published = state->publish(*std::move(document)); !published.ok()) {
    return published;
  }
  return Engine(std::move(state));
}

absl::Status Engine::reload_unguarded() {
  std::lock_guard<std::mutex> lock(state_->reload_mutex);
  if (!std::holds_alternative<PolicyFile>(state_->options.policy)) {
    return absl::FailedPreconditionError("this engine was built from text: use reload_json()");
  }
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      engine_internal::load(state_->options);
  if (!document.ok()) return document.status();
  // A shadow from a file is read again with the live document; either
  // failing keeps both as they were.
  std::shared_ptr<const policy::PolicyDocument> shadow = state_->shadow;
  if (state_->options.shadow_policy &&
      std::holds_alternative<PolicyFile>(*state_->options.shadow_policy)) {
    absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> reread =
        engine_internal::load_shadow(state_->options);
    if (!reread.ok()) return reread.status();
    shadow = *std::move(reread);
  }
  std::swap(state_->shadow, shadow);
  absl::Status published = state_->publish(*std::move(document));
  if (!published.ok()) std::swap(state_->shadow, shadow);
  return published;
}

absl::Status Engine::reload_json_unguarded(std::string_view policy_json,
                                           std::string base_directory) {
  std::lock_guard<std::mutex> lock(state_->reload_mutex);
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      engine_internal::load(state_->options, policy_json, base_directory);
  if (!document.ok()) return document.status();
  return state_->publish(*std::move(document));
}

MetricsSnapshot Engine::metrics() const {
  MetricsSnapshot snapshot;
  if (state_->metrics) snapshot = state_->metrics->snapshot();
  for (const KeySourceStatus& source : key_sources()) {
    snapshot.key_sets.push_back({source.validator, source.age_seconds.value_or(-1)});
  }
  snapshot.generation = generation();
  if (state_->log) {
    const decisionlog::RecordWriterCounts counts = state_->log->counts();
    snapshot.decision_log_enabled = true;
    snapshot.decision_log_written = counts.written;
    snapshot.decision_log_dropped = counts.dropped;
    snapshot.decision_log_lost = counts.lost;
  }
  return snapshot;
}

absl::Status Engine::start_key_refresh_thread() {
  std::lock_guard<std::mutex> lock(state_->reload_mutex);
  state_->options.key_refresh.mode = KeyRefreshMode::kBackgroundThread;
  if (!state_->snapshot()->refresher) return absl::OkStatus();
  absl::Status started = state_->start_refresh_thread_if_due();
  state_->wake->notify();
  return started;
}

std::optional<TokenVerifier> Engine::token_verifier() const {
  return state_->snapshot()->verifier;
}

std::vector<KeySourceStatus> Engine::key_sources() const {
  const std::shared_ptr<engine_internal::Loaded> loaded = state_->snapshot();
  if (!loaded->refresher) return {};
  return loaded->refresher->status(state_->options.clock->now_seconds());
}

std::optional<int64_t> Engine::next_key_fetch_at() const {
  const std::shared_ptr<engine_internal::Loaded> loaded = state_->snapshot();
  if (!loaded->refresher) return std::nullopt;
  return loaded->refresher->next_due();
}

std::optional<KeyFetchJob> Engine::take_key_fetch() {
  const std::shared_ptr<engine_internal::Loaded> loaded = state_->snapshot();
  if (!loaded->refresher) return std::nullopt;
  return loaded->refresher->take_due(state_->options.clock->now_seconds());
}

absl::Status Engine::finish_key_fetch(const KeyFetchJob& job,
                                      const absl::StatusOr<KeyFetchResponse>& answer) {
  const std::shared_ptr<engine_internal::Loaded> loaded = state_->snapshot();
  if (!loaded->refresher) {
    return absl::FailedPreconditionError("the policy document has no remote key source");
  }
  try {
    return state_->finish_fetch(loaded->refresher, job, answer);
  } catch (const std::bad_alloc&) {
    return engine_internal::out_of_memory();
  }
}

uint64_t Engine::generation() const {
  return state_->generation.load(std::memory_order_acquire);
}

Decision Engine::decide(const Request& request) const noexcept {
  Decision decision;
  decide(request, DecideOptions{}, decision);
  return decision;
}

Decision Engine::decide(const Request& request, const DecideOptions& options) const noexcept {
  Decision decision;
  decide(request, options, decision);
  return decision;
}

void Engine::decide(const Request& request, Decision& out) const noexcept {
  decide(request, DecideOptions{}, out);
}

void Engine::decide(const Request& request, const DecideOptions& options,
                    Decision& out) const noexcept {
  engine_internal::DecisionContext context;
  try {
    decide_unguarded(request, options, out, context);
  } catch (...) {
    engine_internal::out_of_memory_decision(out);
  }
  if (state_->log) {
    try {
      log_decision(request, out, context);
    } catch (...) {
      // A record that could not be made is lost; the decision stands.
    }
  }
}

std::optional<ProtectedResourceMetadata> Engine::protected_resource_metadata() const {
  return state_->snapshot()->document->protected_resource;
}

void Engine::reopen_decision_log() const noexcept {
  if (state_->log) state_->log->request_reopen();
}

void Engine::log_decision(const Request& request, const Decision& out,
                          const engine_internal::DecisionContext& context) const {
  if (!state_->log->keeps(out, context.shadow_disagreed)) {
    if (context.counters != nullptr) context.counters->log_filtered.add();
    return;
  }
  const decisionlog::RecordContext record{
      .request = &request,
      .credentials = context.credentials,
      .claims = context.claims,
      .decided_at = context.decided_at,
      .generation = context.generation,
      .shadow = context.shadow_disagreed ? &context.shadow : nullptr};
  state_->log->submit(out, record);
}

void Engine::decide_unguarded(const Request& request, const DecideOptions& options, Decision& out,
                              engine_internal::DecisionContext& context) const {
  engine_internal::ThreadView& view = state_->thread_view();
  const engine_internal::DecisionMetrics counted(view.counters, out);
  const policy::PolicyDocument& document = *view.loaded->document;
  const int64_t now = options.now ? *options.now : state_->options.clock->now_seconds();
  context.decided_at = now;
  context.generation = view.generation;
  context.counters = view.counters;

  engine_internal::VerifiedClaims verified;
  engine_internal::ChallengeScheme scheme;
  bool has_credentials = false;
  if (request.validated_claims != nullptr) {
    has_credentials = true;
    context.credentials = decisionlog::Credentials::kValidatedClaims;
    const JsonValue* active = request.validated_claims->find("active");
    if (!request.validated_claims->is_object() || (active != nullptr && !active->as_bool())) {
      return engine_internal::invalid_token_decision(document, TokenError::kTokenInactive, scheme,
                                                     out);
    }
    verified.claims = request.validated_claims;
  } else {
    // The token's characters are checked by verify_token(), and only when
    // it is not in the cache (where every token passed that check).
    const token_internal::LocatedToken located =
        token_internal::locate_access_token(request.authorization);
    const bool under_dpop = located.scheme == token_internal::TokenScheme::kDpop;
    if (under_dpop) scheme = {.dpop = true, .algs = &document.dpop_algs};
    if (is_request_error(located.error)) {
      return engine_internal::malformed_authorization_decision(document, located.error, scheme,
                                                               out);
    }
    if (located.error == TokenError::kOk) {
      has_credentials = true;
      context.credentials =
          under_dpop ? decisionlog::Credentials::kDpop : decisionlog::Credentials::kBearer;
      verified.token_type = under_dpop ? "DPoP" : "Bearer";
      TokenError verdict = TokenError::kIssuerUnknown;
      const std::optional<TokenVerifier>& verifier = view.loaded->verifier;
      if (!verifier) {
        if (!token_internal::is_b64token(located.token))
          verdict = TokenError::kAuthorizationMalformed;
      } else {
        verdict = engine_internal::verify_token(*verifier, view.loaded->tokens.get(), view,
                                                located.token, now, verified);
      }
      if (is_request_error(verdict)) {
        return engine_internal::malformed_authorization_decision(document, verdict, scheme, out);
      }
      if (verdict == TokenError::kKeyNotFound && verified.key_missing_in != nullptr &&
          view.loaded->refresher) {
        const std::size_t validator =
            static_cast<std::size_t>(verified.key_missing_in - verifier->validators().data());
        const keysource::UnknownKeyAnswer answer =
            view.loaded->refresher->on_unknown_key(validator, state_->options.clock->now_seconds());
        if (answer.unavailable) {
          return engine_internal::keys_unavailable_decision(answer.retry_after_seconds, out);
        }
      }
      if (verdict == TokenError::kOk) {
        verdict = engine_internal::check_sender_constraint({.document = &document,
                                                            .validator = verified.validator,
                                                            .presented = located.scheme,
                                                            .token = located.token,
                                                            .claims = verified.claims,
                                                            .request = &request,
                                                            .now = now,
                                                            .replay = view.loaded->replay.get()},
                                                           scheme);
        if (is_request_error(verdict)) {
          return engine_internal::malformed_authorization_decision(document, verdict, scheme, out);
        }
      }
      if (verdict != TokenError::kOk) {
        return engine_internal::invalid_token_decision(document, verdict, scheme, out);
      }
    }
  }

  const attributes::RequestAttributes attributes(request, verified.claims, document.endpoint_index,
                                                 now, verified.registered, verified.token_type);
  thread_local policy::EvaluationScratch scratch;
  std::shared_ptr<Explanation> explanation;
  if (options.explain) explanation = std::make_shared<Explanation>();
  const policy::Evaluation evaluation = policy::evaluate_policy(
      document.root, attributes, scratch, explanation ? &explanation->trace : nullptr);
  engine_internal::policy_decision(document, evaluation, scratch.statements, has_credentials,
                                   scheme, out);
  context.claims = verified.claims;
  if (view.loaded->shadow) {
    engine_internal::decide_shadow(*view.loaded->shadow, request, verified, now, has_credentials,
                                   out, context);
  }
  if (out.step_up && view.counters != nullptr && view.loaded->challenge_slots) {
    const auto slot = view.loaded->challenge_slots->find(evaluation.determining);
    if (slot != view.loaded->challenge_slots->end()) view.counters->challenges[slot->second].add();
  }
  const json_internal::JsonRef subject =
      verified.registered != nullptr ? verified.registered->sub : verified.claims.find("sub");
  if (subject.is_string()) out.subject.assign(subject.as_string());
  engine_internal::copy_claims(state_->options.decision_claims, verified.claims, out.claims);
  if (explanation) {
    explanation->attributes = attributes.describe();
    out.explanation = std::move(explanation);
  }
}

}  // namespace stepup
