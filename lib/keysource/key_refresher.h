// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_KEYSOURCE_KEY_REFRESHER_H_
#define STEPUP_LIB_KEYSOURCE_KEY_REFRESHER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <semaphore>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "keysource/remote_source.h"
#include "stepup/key_refresh.h"
#include "stepup/key_set.h"

namespace stepup::keysource {

// Wakes whoever runs the fetches (the engine's refresh thread) when a
// decision asks for an early one. notify() never blocks.
class WakeSignal {
 public:
  void notify() { pending_.release(); }
  // Waits until notified or `timeout` has passed; true when notified.
  bool wait_for(std::chrono::milliseconds timeout) {
    const bool woken = pending_.try_acquire_for(timeout);
    while (pending_.try_acquire()) {
    }
    return woken;
  }

 private:
  std::counting_semaphore<std::numeric_limits<int>::max()> pending_{0};
};

// A remote validator's key source as the document loaded it.
struct RemoteKeys {
  std::size_t validator = 0;  // Its index among the document's validators.
  std::string validator_name;
  RemoteSource source;
  std::string description;             // For operators, as `stepup check` shows it.
  std::optional<FetchedKeys> initial;  // The fetch made at load; nullopt: none was made.
};

// What a decision answers for a token whose key its validator's set lacks.
struct UnknownKeyAnswer {
  // True: 503 with Retry-After (a fetch is pending, the validator has no
  // keys, or its fetches fail); false: the set is fresh and lacks the key,
  // so the token is refused (401 invalid_token).
  bool unavailable = false;
  int64_t retry_after_seconds = 0;
};

// A finished fetch: the validator's new key set when it changed.
struct FinishedFetch {
  std::size_t validator = 0;
  absl::Status status;            // The fetch's or the set's error.
  std::optional<KeySet> changed;  // To publish, then call settle().
  // The job was the answer to an unknown kid: settle() ends that wait.
  bool answers_unknown_kid = false;
};

// The refresh schedule of one document's remote key sets (docs/spec.md §2):
// max-age clamped to the validator's limits, ETag revalidation, failures
// retried with exponential backoff and jitter, the last good set kept, and
// out-of-schedule fetches for unknown `kid`s, coalesced and rate-limited.
// Times are epoch seconds from the engine's clock. It runs no fetch itself:
// take_due() hands one out and finish() takes its answer.
//
// Thread safety: on_unknown_key() is lock-free and never waits (it runs in
// decisions); everything else takes an internal mutex that decisions never
// touch.
class KeyRefresher {
 public:
  KeyRefresher(std::vector<RemoteKeys> sources, std::size_t validator_count, int64_t now,
               std::shared_ptr<WakeSignal> wake);
  ~KeyRefresher();

  bool empty() const { return slots_.empty(); }

  // For a token of validator `validator` whose key was not found.
  UnknownKeyAnswer on_unknown_key(std::size_t validator, int64_t now) const;

  // When the next fetch is due; nullopt with no remote source.
  std::optional<int64_t> next_due() const;
  // A due fetch (the earliest), marked in flight; nullopt when none is due.
  std::optional<KeyFetchJob> take_due(int64_t now);
  // Records the answer to `job` (an unknown or stale job is an error and
  // changes nothing). When `changed` is set, the caller publishes the set,
  // then calls settle(); otherwise finish() has settled already.
  FinishedFetch finish(const KeyFetchJob& job, const absl::StatusOr<KeyFetchResponse>& answer,
                       int64_t now);
  // After finish() gave a changed set: whether it was published (an error,
  // such as a set no allowed algorithm can use, counts as a failed fetch
  // and the set is asked for in full next time). Ends the out-of-schedule
  // wait of `finished.validator` when the job answered it.
  void settle(const FinishedFetch& finished, const absl::Status& published, int64_t now);

  std::vector<KeySourceStatus> status(int64_t now) const;

 private:
  struct Slot;
  Slot* slot_of(std::size_t validator) const;
  int64_t backoff_seconds(uint32_t failures);
  // When the slot's next fetch may be taken (urgent: 0; in flight: when
  // the job is given up as lost).
  static int64_t due_at(const Slot& slot);
  // Counts a failure, keeps the last good set, schedules the retry.
  void record_failure(Slot& slot, const absl::Status& failure, int64_t now);

  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<int> slot_by_validator_;  // -1: the validator's keys are not remote.
  std::shared_ptr<WakeSignal> wake_;
  mutable std::mutex mutex_;
  std::minstd_rand jitter_;
};

}  // namespace stepup::keysource

#endif  // STEPUP_LIB_KEYSOURCE_KEY_REFRESHER_H_
