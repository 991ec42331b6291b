// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "keysource/key_refresher.h"

#include <algorithm>
#include <functional>
#include <utility>

namespace stepup::keysource {

// One remote source. The atomics are read by decisions; the rest is guarded
// by the refresher's mutex.
struct KeyRefresher::Slot {
  RemoteKeys config;

  std::atomic<bool> has_keys{false};
  std::atomic<bool> failing{false};
  // An out-of-schedule fetch was asked for and has not settled.
  std::atomic<bool> urgent{false};
  std::atomic<int64_t> last_urgent_at{std::numeric_limits<int64_t>::min() / 2};
  std::atomic<int64_t> next_fetch_at{0};

  uint64_t in_flight = 0;         // The job id, 0 when none.
  int64_t in_flight_since = 0;    // When it was taken.
  bool in_flight_urgent = false;  // Taken for an unknown kid: it settles `urgent`.
  std::string jwks_uri;           // Known URL (for discovery: found, and still trusted).
  std::string etag;
  std::size_t body_hash = 0;
  std::size_t usable_keys = 0;
  std::size_t skipped_keys = 0;
  // Of a changed set between finish() and settle().
  std::size_t pending_usable_keys = 0;
  std::size_t pending_skipped_keys = 0;
  std::optional<int64_t> fetched_at;
  std::optional<int64_t> checked_at;
  uint64_t fetches = 0;
  uint32_t failures = 0;
  std::string last_error;
};

namespace {

// Job ids are unique in the process, so that a job can never be finished
// into another document's refresher by mistake.
std::atomic<uint64_t> next_job_id{1};

// A job taken but never finished (a host that dropped it) is given up after
// this long, so that its source is fetched again.
int64_t lost_after_seconds(const RemoteSource& source) {
  return 60 + 3 * (source.fetch.timeout.count() / 1000 + 1);
}

// A max-age (or the default) clamped to the source's limits.
int64_t refresh_after(const RefreshLimits& limits, std::optional<int64_t> max_age) {
  return std::clamp(max_age.value_or(kDefaultRefreshSeconds), limits.min_seconds,
                    limits.max_seconds);
}

}  // namespace

KeyRefresher::KeyRefresher(std::vector<RemoteKeys> sources, std::size_t validator_count,
                           int64_t now, std::shared_ptr<WakeSignal> wake)
    : slot_by_validator_(validator_count, -1),
      wake_(std::move(wake)),
      jitter_(static_cast<std::minstd_rand::result_type>(std::random_device{}())) {
  for (RemoteKeys& source : sources) {
    auto slot = std::make_unique<Slot>();
    slot->config = std::move(source);
    const RemoteSource& remote = slot->config.source;
    if (remote.kind == RemoteSource::Kind::kJwksUri) slot->jwks_uri = remote.jwks_uri;
    if (const std::optional<FetchedKeys>& initial = slot->config.initial) {
      slot->has_keys = true;
      slot->jwks_uri = initial->jwks_uri;
      slot->etag = initial->etag;
      slot->usable_keys = initial->keys.size();
      slot->skipped_keys = initial->keys.skipped().size();
      slot->fetched_at = now;
      slot->checked_at = now;
      slot->fetches = 1;
      slot->next_fetch_at = now + refresh_after(remote.refresh, initial->max_age);
      slot->config.initial.reset();  // The keys live in the verifier.
    } else {
      slot->next_fetch_at = now;
    }
    slot_by_validator_.at(slot->config.validator) = static_cast<int>(slots_.size());
    slots_.push_back(std::move(slot));
  }
}

KeyRefresher::~KeyRefresher() = default;

KeyRefresher::Slot* KeyRefresher::slot_of(std::size_t validator) const {
  if (validator >= slot_by_validator_.size() || slot_by_validator_[validator] < 0) return nullptr;
  return slots_[static_cast<std::size_t>(slot_by_validator_[validator])].get();
}

UnknownKeyAnswer KeyRefresher::on_unknown_key(std::size_t validator, int64_t now) const {
  Slot* slot = slot_of(validator);
  if (slot == nullptr) return {};
  if (slot->urgent.load(std::memory_order_acquire)) return {true, 1};
  const int64_t interval = slot->config.source.refresh.unknown_kid_min_interval_seconds;
  // Strictly more than the interval, in whole seconds: so two fetches are
  // always more than `interval` real seconds apart.
  if (now - slot->last_urgent_at.load(std::memory_order_acquire) > interval) {
    // One decision wins the right to ask; the others see `urgent`.
    bool expected = false;
    if (slot->urgent.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
      slot->last_urgent_at.store(now, std::memory_order_release);
      wake_->notify();
    }
    return {true, 1};
  }
  if (!slot->has_keys.load(std::memory_order_acquire) ||
      slot->failing.load(std::memory_order_acquire)) {
    return {true, std::max<int64_t>(1, slot->next_fetch_at.load(std::memory_order_acquire) - now)};
  }
  return {};
}

int64_t KeyRefresher::due_at(const Slot& slot) {
  if (slot.in_flight != 0) {
    // Due again only once the job is given up as lost.
    return slot.in_flight_since + lost_after_seconds(slot.config.source);
  }
  // An unknown kid makes the source due at once (0: the epoch, long past).
  return slot.urgent.load(std::memory_order_acquire)
             ? 0
             : slot.next_fetch_at.load(std::memory_order_relaxed);
}

std::optional<int64_t> KeyRefresher::next_due() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<int64_t> due;
  for (const auto& slot : slots_) {
    const int64_t at = due_at(*slot);
    if (!due || at < *due) due = at;
  }
  return due;
}

std::optional<KeyFetchJob> KeyRefresher::take_due(int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Slot* chosen = nullptr;
  int64_t chosen_at = 0;
  for (const auto& slot : slots_) {
    const int64_t at = due_at(*slot);
    if (at > now) continue;
    if (chosen == nullptr || at < chosen_at) {
      chosen = slot.get();
      chosen_at = at;
    }
  }
  if (chosen == nullptr) return std::nullopt;
  if (chosen->in_flight != 0) {
    record_failure(*chosen,
                   absl::DeadlineExceededError("key fetch " + std::to_string(chosen->in_flight) +
                                               " was never finished"),
                   now);
    chosen->in_flight = 0;
  }
  chosen->in_flight_urgent = chosen->urgent.load(std::memory_order_acquire);
  if (chosen->in_flight_urgent) {
    // The interval runs from the fetch, whoever asked for it.
    int64_t last = chosen->last_urgent_at.load(std::memory_order_acquire);
    while (last < now && !chosen->last_urgent_at.compare_exchange_weak(last, now)) {
    }
  }
  const RemoteSource& source = chosen->config.source;
  KeyFetchJob job;
  job.id = next_job_id.fetch_add(1);
  job.validator = chosen->config.validator_name;
  job.jwks_uri = chosen->jwks_uri;
  if (source.kind == RemoteSource::Kind::kDiscovery) job.discover_issuer = source.issuer;
  // A validator without keys asks for the whole set.
  if (chosen->has_keys.load(std::memory_order_relaxed)) job.if_none_match = chosen->etag;
  job.timeout_ms = source.fetch.timeout.count();
  job.max_response_bytes = source.fetch.max_response_bytes;
  job.ca_file = source.fetch.ca_file;
  job.allow_http_loopback = source.fetch.allow_http_loopback;
  chosen->in_flight = job.id;
  chosen->in_flight_since = now;
  return job;
}

int64_t KeyRefresher::backoff_seconds(uint32_t failures) {
  // 1, 2, 4, ... seconds, up to the default refresh period; each delay is
  // drawn from [75 %, 125 %] of its step so that many engines do not retry
  // in step.
  const int64_t cap = std::max<int64_t>(1, kDefaultRefreshSeconds);
  const int64_t step = failures >= 20 ? cap : std::min<int64_t>(cap, int64_t{1} << (failures - 1));
  std::uniform_int_distribution<int64_t> spread(step * 3, step * 5);
  return std::max<int64_t>(1, (spread(jitter_) + 2) / 4);
}

FinishedFetch KeyRefresher::finish(const KeyFetchJob& job,
                                   const absl::StatusOr<KeyFetchResponse>& answer, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  FinishedFetch finished;
  Slot* slot = nullptr;
  for (const auto& candidate : slots_) {
    if (candidate->in_flight == job.id && job.id != 0 &&
        candidate->config.validator_name == job.validator) {
      slot = candidate.get();
    }
  }
  if (slot == nullptr) {
    finished.status = absl::FailedPreconditionError(
        "key fetch " + std::to_string(job.id) + " is not in flight (taken by another document?)");
    return finished;
  }
  finished.validator = slot->config.validator;
  slot->in_flight = 0;
  ++slot->fetches;
  const RefreshLimits& limits = slot->config.source.refresh;
  const bool urgent_job = slot->in_flight_urgent;
  finished.answers_unknown_kid = urgent_job;
  // Where the set came from: the configured URL, or for discovery the one
  // the answer names (else the job's), which must itself be fetchable.
  std::string jwks_uri =
      slot->config.source.kind == RemoteSource::Kind::kJwksUri
          ? slot->config.source.jwks_uri
          : (answer.ok() && !answer->jwks_uri.empty() ? answer->jwks_uri : job.jwks_uri);

  absl::Status failure;
  std::optional<KeySet> keys;
  if (!answer.ok()) {
    failure = answer.status();
  } else if (jwks_uri.empty()) {
    failure = absl::InvalidArgumentError("the answer names no jwks_uri for discovery");
  } else if (absl::Status usable = check_fetch_url(jwks_uri, slot->config.source.fetch);
             !usable.ok()) {
    failure = usable;
  } else if (answer->status == 304) {
    if (!slot->has_keys.load(std::memory_order_relaxed)) {
      failure = absl::UnavailableError(jwks_uri + ": 304 Not Modified without a key set");
    }
  } else if (answer->status != 200) {
    failure = absl::UnavailableError(jwks_uri + ": HTTP status " + std::to_string(answer->status));
  } else {
    absl::StatusOr<KeySet> parsed = keys_from_fetched_jwks(answer->body, jwks_uri);
    if (parsed.ok()) {
      keys = *std::move(parsed);
    } else {
      failure = parsed.status();
    }
  }

  if (!failure.ok()) {
    record_failure(*slot, failure, now);
    if (urgent_job) slot->urgent.store(false, std::memory_order_release);
    finished.status = failure;
    return finished;
  }
  slot->failures = 0;
  slot->last_error.clear();
  slot->failing.store(false, std::memory_order_release);
  slot->checked_at = now;
  slot->jwks_uri = jwks_uri;
  if (!answer->etag.empty() || keys) slot->etag = answer->etag;
  slot->next_fetch_at.store(now + refresh_after(limits, answer->max_age),
                            std::memory_order_release);
  if (keys) {
    const std::size_t body_hash = std::hash<std::string>{}(answer->body);
    if (!slot->has_keys.load(std::memory_order_relaxed) || body_hash != slot->body_hash) {
      slot->body_hash = body_hash;
      slot->pending_usable_keys = keys->size();
      slot->pending_skipped_keys = keys->skipped().size();
      finished.changed = std::move(keys);
      return finished;  // Settled once published.
    }
  }
  if (urgent_job) slot->urgent.store(false, std::memory_order_release);
  return finished;
}

void KeyRefresher::settle(const FinishedFetch& finished, const absl::Status& published,
                          int64_t now) {
  Slot* slot = slot_of(finished.validator);
  if (slot == nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (published.ok()) {
    slot->fetched_at = now;
    slot->usable_keys = slot->pending_usable_keys;
    slot->skipped_keys = slot->pending_skipped_keys;
    slot->has_keys.store(true, std::memory_order_release);
  } else {
    // Refused: the set is offered again in full, and counts as a failure.
    record_failure(*slot, published, now);
    slot->body_hash = 0;
    slot->etag.clear();
  }
  if (finished.answers_unknown_kid) slot->urgent.store(false, std::memory_order_release);
}

void KeyRefresher::record_failure(Slot& slot, const absl::Status& failure, int64_t now) {
  ++slot.failures;
  slot.last_error = std::string(failure.message());
  slot.failing.store(true, std::memory_order_release);
  slot.next_fetch_at.store(now + backoff_seconds(slot.failures), std::memory_order_release);
  // A discovered URL that fails is looked up again next time.
  if (slot.config.source.kind == RemoteSource::Kind::kDiscovery) slot.jwks_uri.clear();
}

std::vector<KeySourceStatus> KeyRefresher::status(int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<KeySourceStatus> all;
  for (const auto& slot : slots_) {
    KeySourceStatus& s = all.emplace_back();
    s.validator = slot->config.validator_name;
    s.source = slot->config.description;
    s.jwks_uri = slot->jwks_uri;
    s.has_keys = slot->has_keys.load(std::memory_order_acquire);
    s.usable_keys = slot->usable_keys;
    s.skipped_keys = slot->skipped_keys;
    s.fetched_at = slot->fetched_at;
    s.checked_at = slot->checked_at;
    if (slot->checked_at) s.age_seconds = std::max<int64_t>(0, now - *slot->checked_at);
    s.next_fetch_at = slot->next_fetch_at.load(std::memory_order_acquire);
    s.fetches = slot->fetches;
    s.consecutive_failures = slot->failures;
    s.last_error = slot->last_error;
  }
  return all;
}

}  // namespace stepup::keysource
