// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_TOKEN_CACHE_H_
#define STEPUP_LIB_ENGINE_TOKEN_CACHE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/token_error.h"
#include "token/claims_check.h"

namespace stepup::engine_internal {

// What the verifier concluded about one exact token. Immutable once made.
struct CachedToken {
  uint64_t hash = 0;
  std::string token;
  // kOk: the signature and every time-independent check passed, and
  // `window.check(now)` gives the verdict at any time. Otherwise a refusal
  // that holds at any time.
  TokenError error = TokenError::kOk;
  token_internal::ValidityWindow window;
  JsonValue claims;
  token_internal::RegisteredClaims registered;  // Located in `claims`.
  std::size_t validator = 0;                    // With kOk: the verifier's validator.

  // The verdict at `now`.
  TokenError verdict(int64_t now) const {
    return error != TokenError::kOk ? error : window.check(now);
  }
};

// A few entries private to one thread (and one engine generation): a hit
// there touches no shared memory, so readers on many cores never contend.
struct LocalTokens {
  static constexpr std::size_t kSize = 8;
  std::array<std::shared_ptr<const CachedToken>, kSize> entries;
  void clear() { entries.fill(nullptr); }
};

// Verified tokens of one engine generation (SPEC: reload clears it, by
// making a new one). Keyed by a seeded hash of the token bytes, then the
// bytes themselves, so only the exact same token hits. Accepted and refused
// tokens live in separate bounded tables, so a flood of garbage can never
// evict a good entry. The shared tables are sharded, each shard with its
// own lock; the per-thread `LocalTokens` in front of them take no lock.
class TokenCache {
 public:
  explicit TokenCache(const TokenCacheOptions& options);

  static uint64_t hash(std::string_view token);

  // The entry for exactly `token`, or nullptr. Copies a shared hit into
  // `local`; the pointer stays valid while `local` is not changed.
  const CachedToken* find(std::string_view token, uint64_t hash, LocalTokens& local) const;

  // Keeps `entry` (in the accepted or refused table by its error) and in
  // `local`; returns it. `now` lets expired entries be evicted first.
  const CachedToken* insert(std::shared_ptr<const CachedToken> entry, int64_t now,
                            LocalTokens& local);

  // Entries in the shared tables (for tests and statistics).
  std::size_t size() const;

 private:
  // A set-associative table: a token's hash picks a shard and a set of
  // kWays slots; a full set evicts an expired entry, else the oldest.
  class Table {
   public:
    explicit Table(std::size_t capacity);
    std::shared_ptr<const CachedToken> find(std::string_view token, uint64_t hash) const;
    void insert(std::shared_ptr<const CachedToken> entry, int64_t now);
    std::size_t size() const;

   private:
    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kWays = 4;
    struct Slot {
      std::shared_ptr<const CachedToken> entry;
      uint64_t inserted = 0;  // Insertion order, for evicting the oldest.
    };
    struct alignas(64) Shard {
      mutable std::mutex mutex;
      std::vector<Slot> slots;
      uint64_t insertions = 0;
    };
    Slot* set_of(Shard& shard, uint64_t hash) const;
    std::size_t sets_per_shard_ = 1;
    std::unique_ptr<Shard[]> shards_;
  };

  Table accepted_;
  Table refused_;
};

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_TOKEN_CACHE_H_
