// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/connection_table.h"

#include <utility>

namespace stepup::gateway {

ConnectionTable::Id ConnectionTable::add(std::function<void()> close, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Id id = next_id_++;
  entries_.emplace(id, Entry{std::move(close), Phase::kNew, now});
  return id;
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
  // By phase, then the oldest first.
  auto worse = [](const Entry& a, const Entry& b) {
    if (a.phase != b.phase) return a.phase < b.phase;
    return a.since < b.since;
  };
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.phase == Phase::kBusy) continue;
    if (victim == entries_.end() || worse(it->second, victim->second)) victim = it;
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
