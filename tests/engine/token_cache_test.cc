// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// engine_internal::TokenCache on its own: exact-bytes hits, the per-thread
// LocalTokens in front of the shared tables, the separate refused table,
// bounded sizes, eviction order, and a cached entry's verdict over time.
#include "engine/token_cache.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "stepup/json_value.h"
#include "stepup/token_verifier.h"
#include "token/claims_check.h"

namespace stepup::engine_internal {
namespace {

using token_internal::ValidityWindow;

constexpr int64_t kNow = 1'800'000'000;

TokenCacheOptions capacities(std::size_t accepted, std::size_t refused) {
  return {.enabled = true, .max_entries = accepted, .max_refused_entries = refused};
}

// An entry keyed by the cache's own hash; tests adjust it before inserting.
std::shared_ptr<CachedToken> entry(std::string token, TokenError error = TokenError::kOk) {
  auto out = std::make_shared<CachedToken>();
  out->hash = TokenCache::hash(token);
  out->token = std::move(token);
  out->error = error;
  return out;
}

// An accepted entry whose claims name it, so that a hit shows whose answer it is.
std::shared_ptr<CachedToken> accepted_entry(std::string token, std::string sub) {
  std::shared_ptr<CachedToken> out = entry(std::move(token));
  out->claims = JsonValue::object({{"sub", JsonValue::string(std::move(sub))}});
  return out;
}

std::string sub_of(const CachedToken& cached) {
  const JsonValue* sub = cached.claims.find("sub");
  return sub != nullptr ? std::string(sub->as_string()) : "";
}

// Random base64url-looking text, as token bytes.
class TokenBytes {
 public:
  explicit TokenBytes(uint64_t seed) : random_(seed) {}
  std::string next(std::size_t size) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out(size, 'A');
    for (char& c : out)
      c = kAlphabet[random_() % 64];
    return out;
  }

 private:
  std::mt19937_64 random_;
};

// Looks `token` up as a thread that has nothing of its own yet would, so
// only the shared tables can answer. Returns the entry's error, or nullopt.
std::optional<TokenError> shared_answer(const TokenCache& cache, const std::string& token,
                                        uint64_t hash) {
  LocalTokens fresh;
  const CachedToken* found = cache.find(token, hash, fresh);
  if (found == nullptr) return std::nullopt;
  EXPECT_EQ(found->token, token);
  return found->error;
}

bool in_shared(const TokenCache& cache, const std::string& token, uint64_t hash) {
  return shared_answer(cache, token, hash).has_value();
}

bool in_shared(const TokenCache& cache, const std::string& token) {
  return in_shared(cache, token, TokenCache::hash(token));
}

std::size_t local_count(const LocalTokens& local) {
  std::size_t count = 0;
  for (const auto& held : local.entries)
    count += held != nullptr ? 1 : 0;
  return count;
}

TEST(TokenCache, TokensWithTheSameTailNeverShareAnAnswer) {
  // Same length and same last 48 bytes: the same hash, so the same slot,
  // and only the byte comparison tells them apart.
  const std::string tail = TokenBytes(1).next(48);
  const std::string a = "aaaaaaaa.bbbbbbbb." + tail;
  const std::string b = "AAAAAAAA.BBBBBBBB." + tail;
  const std::string c = "cccccccc.dddddddd." + tail;
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(TokenCache::hash(a), TokenCache::hash(b));
  ASSERT_EQ(TokenCache::hash(a), TokenCache::hash(c));

  TokenCache cache(capacities(64, 64));
  LocalTokens local;
  cache.insert(accepted_entry(a, "a"), kNow, local);
  // Neither this thread's copy nor the shared table answers for b.
  EXPECT_EQ(cache.find(b, TokenCache::hash(b), local), nullptr);
  EXPECT_FALSE(in_shared(cache, b));

  cache.insert(entry(b, TokenError::kSignatureInvalid), kNow, local);
  cache.insert(accepted_entry(c, "c"), kNow, local);
  for (int round = 0; round < 2; ++round) {
    const CachedToken* found_a = cache.find(a, TokenCache::hash(a), local);
    ASSERT_NE(found_a, nullptr);
    EXPECT_EQ(found_a->token, a);
    EXPECT_EQ(found_a->error, TokenError::kOk);
    EXPECT_EQ(sub_of(*found_a), "a");
    const CachedToken* found_b = cache.find(b, TokenCache::hash(b), local);
    ASSERT_NE(found_b, nullptr);
    EXPECT_EQ(found_b->token, b);
    EXPECT_EQ(found_b->error, TokenError::kSignatureInvalid);
    const CachedToken* found_c = cache.find(c, TokenCache::hash(c), local);
    ASSERT_NE(found_c, nullptr);
    EXPECT_EQ(found_c->token, c);
    EXPECT_EQ(sub_of(*found_c), "c");
  }
  EXPECT_EQ(shared_answer(cache, a, TokenCache::hash(a)), TokenError::kOk);
  EXPECT_EQ(shared_answer(cache, b, TokenCache::hash(b)), TokenError::kSignatureInvalid);
  EXPECT_EQ(cache.size(), 3u);
}

TEST(TokenCache, AHashCollisionIsNeverAHit) {
  // Unrelated tokens forced onto one hash: the bytes still decide.
  constexpr uint64_t kHash = 0x0123456789abcdef;
  TokenCache cache(capacities(64, 64));
  LocalTokens local;
  std::shared_ptr<CachedToken> kept = accepted_entry("kept.token.bytes", "kept");
  kept->hash = kHash;
  cache.insert(kept, kNow, local);
  // Another token of the same length, and one that differs in a single byte.
  EXPECT_EQ(cache.find("KEPT.TOKEN.BYTES", kHash, local), nullptr);
  EXPECT_FALSE(in_shared(cache, "KEPT.TOKEN.BYTES", kHash));
  EXPECT_EQ(cache.find("kept.token.byteS", kHash, local), nullptr);
  EXPECT_FALSE(in_shared(cache, "kept.token.byteS", kHash));
  EXPECT_EQ(cache.find("other.token.bytes", kHash, local), nullptr);
  // A prefix or an extension of the kept token is another token.
  EXPECT_EQ(cache.find("kept.token.byte", kHash, local), nullptr);
  EXPECT_EQ(cache.find("kept.token.bytesX", kHash, local), nullptr);
  // The right bytes under the wrong hash are not found either: the hash is
  // part of the key, and a caller always passes hash(token).
  EXPECT_FALSE(in_shared(cache, "kept.token.bytes", kHash + 1));
  EXPECT_TRUE(in_shared(cache, "kept.token.bytes", kHash));
}

TEST(TokenCache, ASharedHitIsCopiedIntoTheThreadsLocalTokens) {
  TokenCache cache(capacities(64, 64));
  const std::string good = TokenBytes(2).next(200);
  const std::string bad = TokenBytes(3).next(150);
  LocalTokens writer;
  const CachedToken* inserted = cache.insert(accepted_entry(good, "good"), kNow, writer);
  ASSERT_NE(inserted, nullptr);
  EXPECT_EQ(inserted->token, good);
  cache.insert(entry(bad, TokenError::kAudienceMismatch), kNow, writer);

  // Another thread: nothing of its own, so the shared table answers...
  LocalTokens reader;
  const CachedToken* found = cache.find(good, TokenCache::hash(good), reader);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(sub_of(*found), "good");
  // ...and the entry is now in the reader's own slots.
  ASSERT_EQ(local_count(reader), 1u);
  bool held = false;
  for (const auto& slot : reader.entries)
    held = held || slot.get() == found;
  EXPECT_TRUE(held);

  // Found again from the reader's slots alone: a cache with empty shared
  // tables still answers through them.
  const TokenCache empty(capacities(64, 64));
  EXPECT_EQ(empty.find(good, TokenCache::hash(good), reader), found);
  EXPECT_EQ(empty.find(bad, TokenCache::hash(bad), reader), nullptr);
  // An insert also leaves the entry in the inserting thread's slots.
  EXPECT_NE(empty.find(bad, TokenCache::hash(bad), writer), nullptr);

  // A refused hit is copied the same way.
  const CachedToken* refused = cache.find(bad, TokenCache::hash(bad), reader);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->error, TokenError::kAudienceMismatch);
  EXPECT_EQ(empty.find(bad, TokenCache::hash(bad), reader), refused);

  // clear() forgets them.
  reader.clear();
  EXPECT_EQ(local_count(reader), 0u);
  EXPECT_EQ(empty.find(good, TokenCache::hash(good), reader), nullptr);
}

TEST(TokenCache, AcceptedAndRefusedEntriesGoToSeparateTables) {
  const std::string good = TokenBytes(4).next(120);
  const std::string bad = TokenBytes(5).next(120);
  {
    // Only a refused table: an accepted entry is not kept in the shared tables.
    TokenCache cache(capacities(0, 64));
    LocalTokens local;
    cache.insert(accepted_entry(good, "good"), kNow, local);
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_FALSE(in_shared(cache, good));
    cache.insert(entry(bad, TokenError::kSignatureInvalid), kNow, local);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(shared_answer(cache, bad, TokenCache::hash(bad)), TokenError::kSignatureInvalid);
  }
  {
    // Only an accepted table: the converse.
    TokenCache cache(capacities(64, 0));
    LocalTokens local;
    cache.insert(entry(bad, TokenError::kSignatureInvalid), kNow, local);
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_FALSE(in_shared(cache, bad));
    cache.insert(accepted_entry(good, "good"), kNow, local);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(shared_answer(cache, good, TokenCache::hash(good)), TokenError::kOk);
  }
}

TEST(TokenCache, AFloodOfRefusedTokensNeverEvictsAcceptedOnes) {
  // 48 accepted tokens in 4096 slots (16 shards x 64 sets x 4 ways): the
  // accepted table is far from full, so none of them evicts another.
  constexpr std::size_t kAccepted = 48;
  constexpr std::size_t kRefusedCapacity = 64;
  TokenCache cache(capacities(4096, kRefusedCapacity));
  TokenBytes bytes(6);
  std::vector<std::string> good;
  LocalTokens local;
  for (std::size_t i = 0; i < kAccepted; ++i) {
    good.push_back(bytes.next(180 + i));
    cache.insert(accepted_entry(good.back(), "user" + std::to_string(i)), kNow, local);
  }
  for (const std::string& token : good)
    ASSERT_TRUE(in_shared(cache, token));

  // 100 times as many refused tokens, far more than the refused table holds.
  for (std::size_t i = 0; i < 100 * kAccepted; ++i) {
    cache.insert(entry(bytes.next(40 + i % 300), TokenError::kSignatureInvalid), kNow, local);
  }
  for (std::size_t i = 0; i < kAccepted; ++i) {
    LocalTokens fresh;
    const CachedToken* found = cache.find(good[i], TokenCache::hash(good[i]), fresh);
    ASSERT_NE(found, nullptr) << "accepted token " << i << " was evicted";
    EXPECT_EQ(found->error, TokenError::kOk);
    EXPECT_EQ(sub_of(*found), "user" + std::to_string(i));
  }
  // The refused table is full and no larger than its capacity.
  EXPECT_EQ(cache.size(), kAccepted + kRefusedCapacity);
}

TEST(TokenCache, SizeNeverExceedsTheRoundedCapacity) {
  struct Capacity {
    std::size_t asked;
    std::size_t rounded;  // Whole sets of 4 ways in each of 16 shards.
  };
  const std::vector<Capacity> capacities_to_try = {
      {1, 64}, {63, 64}, {64, 64}, {65, 128}, {200, 256}};
  TokenBytes bytes(7);
  for (const Capacity& capacity : capacities_to_try) {
    for (const bool refused : {false, true}) {
      SCOPED_TRACE(std::to_string(capacity.asked) + (refused ? " refused" : " accepted"));
      TokenCache cache(refused ? capacities(0, capacity.asked) : capacities(capacity.asked, 0));
      LocalTokens local;
      for (std::size_t i = 0; i < 8 * capacity.rounded; ++i) {
        cache.insert(refused ? entry(bytes.next(64), TokenError::kAudienceMismatch)
                             : accepted_entry(bytes.next(64), "x"),
                     kNow, local);
        ASSERT_LE(cache.size(), capacity.rounded) << "after " << i + 1 << " inserts";
      }
      // Eight entries per slot on average: every set is full by now.
      EXPECT_EQ(cache.size(), capacity.rounded);
    }
  }
}

TEST(TokenCache, ExpiredEntriesAreEvictedBeforeLiveOnes) {
  // One hash for all: one shard, one set of 4 ways.
  constexpr uint64_t kHash = 0xfeedface12345678;
  TokenCache cache(capacities(64, 64));
  LocalTokens local;
  auto insert = [&](const std::string& token, int64_t valid_until, int64_t now) {
    std::shared_ptr<CachedToken> cached = accepted_entry(token, token);
    cached->hash = kHash;
    cached->window.until = valid_until;
    cached->window.until_error = TokenError::kExpired;
    cache.insert(std::move(cached), now, local);
  };
  auto kept = [&](const std::string& token) { return in_shared(cache, token, kHash); };

  insert("e0", kNow + 1000, kNow);  // The oldest, live.
  insert("e1", kNow + 1, kNow);     // Live until kNow + 1.
  insert("e2", kNow, kNow);         // Expired at kNow exactly (valid_until is exclusive).
  insert("e3", kNow + 1000, kNow);
  ASSERT_EQ(cache.size(), 4u);

  // Re-inserting a kept token replaces its own slot, evicting nothing.
  insert("e3", kNow + 1000, kNow);
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_TRUE(kept("e0") && kept("e1") && kept("e2") && kept("e3"));

  // A full set: the expired e2 goes, not the oldest e0.
  insert("e4", kNow + 1000, kNow);
  EXPECT_FALSE(kept("e2"));
  EXPECT_TRUE(kept("e0") && kept("e1") && kept("e3") && kept("e4"));

  // Nothing expired at kNow: the oldest (e0) goes.
  insert("e5", kNow + 1000, kNow);
  EXPECT_FALSE(kept("e0"));
  EXPECT_TRUE(kept("e1") && kept("e3") && kept("e4") && kept("e5"));

  // At kNow + 1, e1 has expired: it goes rather than the oldest, e3.
  insert("e6", kNow + 1000, kNow + 1);
  EXPECT_FALSE(kept("e1"));
  EXPECT_TRUE(kept("e3") && kept("e4") && kept("e5") && kept("e6"));
  EXPECT_EQ(cache.size(), 4u);
}

TEST(TokenCache, ZeroCapacityKeepsNothingShared) {
  TokenCache cache(capacities(0, 0));
  TokenBytes bytes(8);
  LocalTokens local;
  std::vector<std::string> tokens;
  for (int i = 0; i < 100; ++i) {
    tokens.push_back(bytes.next(100));
    const CachedToken* inserted =
        cache.insert(i % 2 == 0 ? accepted_entry(tokens.back(), "x")
                                : entry(tokens.back(), TokenError::kKeyNotFound),
                     kNow, local);
    // The caller still gets the entry to answer its own decision with.
    ASSERT_NE(inserted, nullptr);
    EXPECT_EQ(inserted->token, tokens.back());
  }
  EXPECT_EQ(cache.size(), 0u);
  for (const std::string& token : tokens)
    EXPECT_FALSE(in_shared(cache, token));
}

TEST(TokenCache, VerdictIsTheWindowsForAcceptedAndTheErrorForRefused) {
  ValidatorOptions validator;
  validator.issuer = "https://as.example.com";
  validator.audience = {"https://api.example.com"};
  validator.clock_skew_seconds = 60;
  const JsonValue claims = JsonValue::object({
      {"aud", JsonValue::string("https://api.example.com")},
      {"exp", JsonValue::integer(kNow + 1000)},
      {"nbf", JsonValue::integer(kNow + 100)},
      {"iat", JsonValue::integer(kNow + 200)},
      {"auth_time", JsonValue::integer(kNow + 300)},
  });
  auto good = std::make_shared<CachedToken>();
  ASSERT_EQ(token_internal::check_claims_shape(claims, validator, good->window), TokenError::kOk);
  good->claims = claims;
  auto bad = std::make_shared<CachedToken>();
  bad->error = TokenError::kAudienceMismatch;
  bad->window = good->window;

  for (int64_t t = kNow - 10; t <= kNow + 1100; ++t) {
    ASSERT_EQ(good->verdict(t), good->window.check(t)) << t - kNow;
    // Exactly what a fresh check of the claims says at that time.
    ASSERT_EQ(good->verdict(t), token_internal::check_claims(claims, validator, t)) << t - kNow;
    ASSERT_EQ(bad->verdict(t), TokenError::kAudienceMismatch) << t - kNow;
  }
  // The boundaries, with 60 seconds of skew, in the order a refusal names them.
  EXPECT_EQ(good->verdict(kNow + 39), TokenError::kNotYetValid);
  EXPECT_EQ(good->verdict(kNow + 40), TokenError::kIatInFuture);
  EXPECT_EQ(good->verdict(kNow + 139), TokenError::kIatInFuture);
  EXPECT_EQ(good->verdict(kNow + 140), TokenError::kAuthTimeInFuture);
  EXPECT_EQ(good->verdict(kNow + 239), TokenError::kAuthTimeInFuture);
  EXPECT_EQ(good->verdict(kNow + 240), TokenError::kOk);
  EXPECT_EQ(good->verdict(kNow + 1059), TokenError::kOk);
  EXPECT_EQ(good->verdict(kNow + 1060), TokenError::kExpired);
  EXPECT_EQ(good->window.valid_from(), kNow + 240);
  EXPECT_EQ(good->window.valid_until(), kNow + 1060);
}

}  // namespace
}  // namespace stepup::engine_internal
