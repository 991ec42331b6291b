// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/record_queue.h"

#include <bit>
#include <utility>

namespace stepup::decisionlog {

RecordQueue::RecordQueue(std::size_t capacity)
    : mask_(std::bit_ceil(capacity < 2 ? std::size_t{2} : capacity) - 1),
      slots_(std::make_unique<Slot[]>(mask_ + 1)) {
  for (std::size_t i = 0; i <= mask_; ++i)
    slots_[i].sequence.store(i, std::memory_order_relaxed);
}

bool RecordQueue::try_push(std::string& record) noexcept {
  uint64_t position = push_position_.load(std::memory_order_relaxed);
  for (;;) {
    Slot& slot = slots_[position & mask_];
    const uint64_t sequence = slot.sequence.load(std::memory_order_acquire);
    const auto lead = static_cast<int64_t>(sequence - position);
    if (lead == 0) {
      // The slot is free for this position: claim it.
      if (push_position_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) {
        // The consumer moved the slot's string out: this assignment only
        // takes over `record`'s buffer and never allocates.
        slot.record = std::move(record);
        slot.sequence.store(position + 1, std::memory_order_release);
        return true;
      }
    } else if (lead < 0) {
      return false;  // The slot still holds a record from one lap ago: full.
    } else {
      position = push_position_.load(std::memory_order_relaxed);
    }
  }
}

std::optional<std::string> RecordQueue::try_pop() noexcept {
  uint64_t position = pop_position_.load(std::memory_order_relaxed);
  for (;;) {
    Slot& slot = slots_[position & mask_];
    const uint64_t sequence = slot.sequence.load(std::memory_order_acquire);
    const auto lead = static_cast<int64_t>(sequence - (position + 1));
    if (lead == 0) {
      if (pop_position_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) {
        std::optional<std::string> record(std::move(slot.record));
        slot.record = std::string();
        slot.sequence.store(position + mask_ + 1, std::memory_order_release);
        return record;
      }
    } else if (lead < 0) {
      return std::nullopt;  // Not yet written: empty.
    } else {
      position = pop_position_.load(std::memory_order_relaxed);
    }
  }
}

}  // namespace stepup::decisionlog
