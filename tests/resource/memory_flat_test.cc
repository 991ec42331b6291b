// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The heap stays flat over a long decide() loop: many distinct tokens (so the
// token cache evicts all the time), refused tokens, explanations, reused and
// fresh Decisions, and reloads. Every cache and per-thread buffer is bounded,
// so once warm the bytes in use must stop growing.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "stepup/engine.h"
#include "support/token_minter.h"

namespace stepup {
namespace {

constexpr int64_t kNow = 1'800'000'000;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // Their allocators keep freed memory in quarantine.
#else
constexpr bool kSanitized = false;
#endif

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

std::string document(const testing::TestKey& key, const std::string& realm) {
  return R"({"stepup":1,"realm":")" + realm +
         R"(","validators":[{"name":"as","type":"jwt",)"
         R"("issuer":"https://as.example.com","audience":["https://api.example.com"],)"
         R"("algorithms":["HS256"],"jwks":)" +
         key.jwks() +
         R"(}],"endpoints":[{"service":"payments","base_path":"/payments"}],)"
         R"("acr_levels":["urn:example:pwd","urn:example:mfa"],)"
         R"("policy":{"name":"api","combining":"deny-unless-permit","children":[)"
         R"({"name":"transfers","target":{"service":["payments"],"path":["transfers/**"]},)"
         R"("combining":"deny-overrides","rules":[)"
         R"json({"name":"strong","effect":"deny","condition":"!acr_at_least('urn:example:mfa')",)json"
         R"("statements":[{"code":"auth-challenge","payload":{"min_acr":"urn:example:mfa"}}]},)"
         R"({"name":"fresh","effect":"deny","condition":"authentication_age > 300",)"
         R"("statements":[{"code":"auth-challenge","payload":{"max_age":300}}]},)"
         R"({"name":"ok","effect":"permit"}]}]}})";
}

std::string token(const testing::TestKey& key, int i) {
  const std::string acr = i % 3 == 0 ? "urn:example:pwd" : "urn:example:mfa";
  return key.mint(R"({"alg":"HS256","kid":")" + key.kid() + R"(","typ":"at+jwt"})",
                  R"({"iss":"https://as.example.com","aud":"https://api.example.com",)"
                  R"("sub":"user-)" +
                      std::to_string(i) + R"(","exp":)" + std::to_string(kNow + 3600) +
                      R"(,"auth_time":)" + std::to_string(kNow - (i % 7) * 100) + R"(,"acr":")" +
                      acr + R"(","jti":")" + std::to_string(i) + R"("})");
}

TEST(MemoryFlat, LongDecideLoopDoesNotGrowTheHeap) {
  if (kSanitized) GTEST_SKIP() << "sanitizer allocators hold freed memory";
  const testing::TestKey key = testing::TestKey::generate(Algorithm::kHS256, "k1");
  std::vector<std::string> headers;
  for (int i = 0; i < 2000; ++i)
    headers.push_back("Bearer " + token(key, i));
  for (int i = 0; i < 200; ++i)
    headers.push_back("Bearer garbage." + std::to_string(i) + ".x");
  const ManualClock clock(kNow);
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{document(key, "a")},
                      .clock = &clock,
                      .token_cache = {.max_entries = 512, .max_refused_entries = 64}});
  ASSERT_TRUE(engine.ok()) << engine.status();

  std::mt19937_64 random(7);
  const char* const paths[] = {"/payments/transfers/1", "/payments/x", "/other", "/payments/./a"};
  Decision reused;
  auto run = [&](int count) {
    for (int i = 0; i < count; ++i) {
      const std::string& header = headers[random() % headers.size()];
      const Request request{
          .method = i % 2 ? "POST" : "GET", .path = paths[random() % 4], .authorization = header};
      if (i % 97 == 0) {
        const Decision fresh = engine->decide(request, {.explain = true});
        ASSERT_FALSE(fresh.to_json().empty());
      } else {
        engine->decide(request, reused);
      }
      if (i % 20000 == 19999) {
        ASSERT_TRUE(engine->reload_json(document(key, i % 40000 ? "b" : "a")).ok());
      }
    }
  };
  run(50'000);  // Warm: every cache and buffer reaches its size.
  const std::size_t warm = heap_in_use();
  run(150'000);
  const std::size_t after = heap_in_use();
  const std::size_t growth = after > warm ? after - warm : 0;
  std::printf("heap in use: %zu bytes warm, %zu after 150,000 more decisions\n", warm, after);
  // Bounded: a reload replaces the document and cache; nothing accumulates.
  EXPECT_LT(growth, std::size_t{512} * 1024) << "warm " << warm << ", after " << after;
}

}  // namespace
}  // namespace stepup
