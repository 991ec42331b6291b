// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DPOP_REPLAY_CACHE_H_
#define STEPUP_LIB_DPOP_REPLAY_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace stepup::dpop {

// What ReplayCache::first_use() found.
enum class ReplayVerdict {
  kFirstUse,  // Remembered now.
  kReplayed,  // Seen before, and still within its window.
  kFull,      // No room without forgetting a live entry: refused (fail closed).
};

// The DPoP proofs seen within their acceptance window (RFC 9449 §11.1), by
// key thumbprint and `jti`. Bounded and lock-free: one 64-bit word per
// entry holds a seeded 40-bit fingerprint and the second (mod 2^24) the
// entry expires, claimed with one compare-and-swap, so two threads
// presenting the same proof at once never both see a first use. Windows
// must stay under 2^23 seconds. A fingerprint collision (about 2^-40 per
// live neighbour) refuses a fresh proof, never accepts a replay.
class ReplayCache {
 public:
  // `capacity` entries, rounded up to a power of two (at least 64).
  explicit ReplayCache(std::size_t capacity);
  ReplayCache(const ReplayCache&) = delete;
  ReplayCache& operator=(const ReplayCache&) = delete;

  // Remembers (thumbprint, jti) until `expires_at` (epoch seconds) unless
  // it is there already and not expired at `now`.
  ReplayVerdict first_use(std::string_view thumbprint, std::string_view jti, int64_t now,
                          int64_t expires_at);

  std::size_t capacity() const { return mask_ + 1; }

 private:
  std::size_t mask_;
  std::unique_ptr<std::atomic<uint64_t>[]> entries_;
};

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_REPLAY_CACHE_H_
