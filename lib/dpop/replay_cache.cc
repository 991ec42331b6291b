// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "dpop/replay_cache.h"

#include <bit>

#include "absl/hash/hash.h"

namespace stepup::dpop {
namespace {

constexpr int kTimeBits = 24;
constexpr uint64_t kTimeMask = (uint64_t{1} << kTimeBits) - 1;
// Entries looked at from the home slot before the cache counts as full.
constexpr std::size_t kProbes = 16;

uint64_t time_bits(int64_t seconds) {
  return static_cast<uint64_t>(seconds) & kTimeMask;
}

constexpr int64_t kMaxWindow = int64_t{1} << (kTimeBits - 1);

// Whether an entry expiring at `expiry` (mod 2^24) is still live at `now`:
// until and including its expiry second (a proof is accepted at
// iat + max_age too).
bool live(uint64_t entry, int64_t now) {
  if (entry == 0) return false;
  const uint64_t remaining = ((entry & kTimeMask) - time_bits(now)) & kTimeMask;
  return remaining < static_cast<uint64_t>(kMaxWindow);
}

}  // namespace

ReplayCache::ReplayCache(std::size_t capacity)
    : mask_(std::bit_ceil(std::max<std::size_t>(capacity, 64)) - 1),
      entries_(new std::atomic<uint64_t>[mask_ + 1]) {
  for (std::size_t i = 0; i <= mask_; ++i)
    entries_[i].store(0, std::memory_order_relaxed);
}

ReplayVerdict ReplayCache::first_use(std::string_view thumbprint, std::string_view jti, int64_t now,
                                     int64_t expires_at) {
  // A window the 24-bit expiry cannot tell apart from a past one is refused
  // (fail closed), and so is one already over.
  if (expires_at < now || expires_at - now >= kMaxWindow) return ReplayVerdict::kFull;
  // Seeded per process: nobody outside can aim proofs at one slot.
  const uint64_t hash = absl::HashOf(absl::string_view(thumbprint.data(), thumbprint.size()),
                                     absl::string_view(jti.data(), jti.size()));
  // 40 bits of fingerprint, never all zero (an empty entry is 0).
  const uint64_t fingerprint = (hash >> kTimeBits) | (uint64_t{1} << (63 - kTimeBits));
  const uint64_t wanted = (fingerprint << kTimeBits) | time_bits(expires_at);
  const auto slot_at = [&](std::size_t probe) -> std::atomic<uint64_t>& {
    return entries_[(hash + probe) & mask_];
  };
  const auto holds_this = [&](uint64_t entry) {
    return live(entry, now) && (entry >> kTimeBits) == fingerprint;
  };
  // A live entry of this proof anywhere along its probe sequence: replayed.
  for (std::size_t probe = 0; probe < kProbes; ++probe) {
    if (holds_this(slot_at(probe).load(std::memory_order_seq_cst))) return ReplayVerdict::kReplayed;
  }
  for (std::size_t probe = 0; probe < kProbes; ++probe) {
    std::atomic<uint64_t>& slot = slot_at(probe);
    uint64_t seen = slot.load(std::memory_order_seq_cst);
    while (!live(seen, now)) {
      // Empty or expired: claim it (a failed exchange reloads `seen`).
      // Sequentially consistent, with the loads after it: two threads that
      // claim two slots for one proof each see the other's claim.
      if (!slot.compare_exchange_weak(seen, wanted, std::memory_order_seq_cst)) {
        continue;
      }
      // Another thread that presented the same proof at the same moment
      // may have claimed another slot: then neither is a first use (fail
      // closed; at most one of them is ever accepted).
      for (std::size_t other = 0; other < kProbes; ++other) {
        if (other != probe && holds_this(slot_at(other).load(std::memory_order_seq_cst))) {
          return ReplayVerdict::kReplayed;
        }
      }
      return ReplayVerdict::kFirstUse;
    }
    if (holds_this(seen)) return ReplayVerdict::kReplayed;
  }
  return ReplayVerdict::kFull;
}

}  // namespace stepup::dpop
