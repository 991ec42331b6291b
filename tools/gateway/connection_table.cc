// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/connection_table.h"

#include <utility>

namespace stepup::gateway {

ConnectionTable::Id ConnectionTable::add(std::function<void()> close,
                                         std::function<bool()> has_input, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Id id = next_id_++;
  entries_.emplace(id, Entry{std::move(close), std::move(has_input), Phase::kNew, now});
  return id;
}

ConnectionTable::Phase ConnectionTable::rank_of(const Entry& entry) {
  if (entry.phase == Phase::kNew && entry.has_input && entry.has_input()) {
    return Phase::kReceiving;
  }
  return entry.phase;
}

void ConnectionTable::set_phase(Id id, Phase phase, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  found->second.phase = phase;
  found->second.since = now;
}

void ConnectionTable::remove(Id id) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(id);
}

std::function<void()> ConnectionTable::evict_for_new(std::size_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() < limit) return {};
  // By rank, then the oldest first. Each entry's rank is taken once.
  auto victim = entries_.end();
  Phase victim_rank = Phase::kBusy;
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.phase == Phase::kBusy) continue;
    const Phase rank = rank_of(it->second);
    if (victim == entries_.end() || rank < victim_rank ||
        (rank == victim_rank && it->second.since < victim->second.since)) {
      victim = it;
      victim_rank = rank;
    }
  }
  if (victim == entries_.end()) return {};
  std::function<void()> close = std::move(victim->second.close);
  entries_.erase(victim);
  return close;
}

std::size_t ConnectionTable::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace stepup::gateway
