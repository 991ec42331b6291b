// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_RECORD_QUEUE_H_
#define STEPUP_LIB_DECISIONLOG_RECORD_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace stepup::decisionlog {

// A bounded queue of decision records for many producers (deciding threads)
// and consumers (the writer). Neither side ever waits or takes a lock: a
// push into a full queue fails at once, and the caller counts the drop.
// Each slot carries a sequence number that says whose turn it is (the
// bounded-queue design of D. Vyukov).
class RecordQueue {
 public:
  // `capacity` is rounded up to a power of two, at least 2.
  explicit RecordQueue(std::size_t capacity);
  RecordQueue(const RecordQueue&) = delete;
  RecordQueue& operator=(const RecordQueue&) = delete;

  std::size_t capacity() const { return mask_ + 1; }

  // Moves `record` in and returns true, or returns false (and leaves
  // `record` as it was) when the queue is full.
  bool try_push(std::string& record) noexcept;
  // The oldest record, or nullopt when the queue is empty.
  std::optional<std::string> try_pop() noexcept;

 private:
  struct Slot {
    std::atomic<uint64_t> sequence{0};
    std::string record;
  };
  // Producers and the consumer advance different counters: one cache line
  // each.
  alignas(64) std::atomic<uint64_t> push_position_{0};
  alignas(64) std::atomic<uint64_t> pop_position_{0};
  std::size_t mask_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_RECORD_QUEUE_H_
