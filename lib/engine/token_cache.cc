// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "engine/token_cache.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace stepup::engine_internal {
namespace {

// Which bits of the hash pick what, so the choices are independent.
std::size_t shard_index(uint64_t hash, std::size_t shards) {
  return hash % shards;
}
std::size_t set_index(uint64_t hash, std::size_t sets) {
  return (hash >> 16) % sets;
}
std::size_t local_index(uint64_t hash) {
  return (hash >> 40) % LocalTokens::kSize;
}

bool same_token(const CachedToken& entry, std::string_view token, uint64_t hash) {
  return entry.hash == hash && entry.token == token;
}

}  // namespace

TokenCache::TokenCache(const TokenCacheOptions& options)
    : accepted_(options.max_entries), refused_(options.max_refused_entries) {}

uint64_t TokenCache::hash(std::string_view token) {
  // The signature ends the token and is its least predictable part, so its
  // last bytes and the length pick the slot; the byte comparison that
  // follows makes a hit exact whatever the hash covers. (Two tokens with
  // the same tail can only share a slot, never an answer.) Abseil's hash is
  // seeded per process, so nobody can aim tokens at one set from outside.
  constexpr std::size_t kHashedTail = 48;
  const std::string_view tail = token.substr(token.size() - std::min(token.size(), kHashedTail));
  return absl::HashOf(absl::string_view(tail.data(), tail.size()), token.size());
}

const CachedToken* TokenCache::find(std::string_view token, uint64_t hash,
                                    LocalTokens& local) const {
  std::shared_ptr<const CachedToken>& mine = local.entries[local_index(hash)];
  if (mine != nullptr && same_token(*mine, token, hash)) return mine.get();
  std::shared_ptr<const CachedToken> shared = accepted_.find(token, hash);
  if (shared == nullptr) shared = refused_.find(token, hash);
  if (shared == nullptr) return nullptr;
  mine = std::move(shared);
  return mine.get();
}

const CachedToken* TokenCache::insert(std::shared_ptr<const CachedToken> entry, int64_t now,
                                      LocalTokens& local) {
  (entry->error == TokenError::kOk ? accepted_ : refused_).insert(entry, now);
  std::shared_ptr<const CachedToken>& mine = local.entries[local_index(entry->hash)];
  mine = std::move(entry);
  return mine.get();
}

std::size_t TokenCache::size() const {
  return accepted_.size() + refused_.size();
}

TokenCache::Table::Table(std::size_t capacity) {
  // Round up to whole sets in every shard; a zero capacity keeps nothing.
  const std::size_t per_shard = (capacity + kShards - 1) / kShards;
  sets_per_shard_ = (per_shard + kWays - 1) / kWays;
  shards_ = std::make_unique<Shard[]>(kShards);
  for (std::size_t i = 0; i < kShards; ++i)
    shards_[i].slots.resize(sets_per_shard_ * kWays);
}

TokenCache::Table::Slot* TokenCache::Table::set_of(Shard& shard, uint64_t hash) const {
  return shard.slots.data() + set_index(hash, sets_per_shard_) * kWays;
}

std::shared_ptr<const CachedToken> TokenCache::Table::find(std::string_view token,
                                                           uint64_t hash) const {
  if (sets_per_shard_ == 0) return nullptr;
  Shard& shard = shards_[shard_index(hash, kShards)];
  std::lock_guard<std::mutex> lock(shard.mutex);
  const Slot* set = set_of(shard, hash);
  for (std::size_t way = 0; way < kWays; ++way) {
    if (set[way].entry != nullptr && same_token(*set[way].entry, token, hash)) {
      return set[way].entry;
    }
  }
  return nullptr;
}

void TokenCache::Table::insert(std::shared_ptr<const CachedToken> entry, int64_t now) {
  if (sets_per_shard_ == 0) return;
  Shard& shard = shards_[shard_index(entry->hash, kShards)];
  std::shared_ptr<const CachedToken> evicted;  // Freed after the lock is released.
  std::lock_guard<std::mutex> lock(shard.mutex);
  Slot* set = set_of(shard, entry->hash);
  Slot* victim = nullptr;
  for (std::size_t way = 0; way < kWays && victim == nullptr; ++way) {
    const std::shared_ptr<const CachedToken>& held = set[way].entry;
    if (held == nullptr || same_token(*held, entry->token, entry->hash)) victim = &set[way];
  }
  for (std::size_t way = 0; way < kWays && victim == nullptr; ++way) {
    const CachedToken& held = *set[way].entry;
    if (held.error == TokenError::kOk && held.window.valid_until() <= now) victim = &set[way];
  }
  if (victim == nullptr) {
    victim = std::min_element(set, set + kWays,
                              [](const Slot& a, const Slot& b) { return a.inserted < b.inserted; });
  }
  evicted = std::move(victim->entry);
  victim->entry = std::move(entry);
  victim->inserted = ++shard.insertions;
}

std::size_t TokenCache::Table::size() const {
  std::size_t count = 0;
  for (std::size_t i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards_[i].mutex);
    count += std::count_if(shards_[i].slots.begin(), shards_[i].slots.end(),
                           [](const Slot& slot) { return slot.entry != nullptr; });
  }
  return count;
}

}  // namespace stepup::engine_internal
