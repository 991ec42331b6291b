// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_DecideCachedKeyRefresh: BM_DecideCached's request on an engine whose
// keys come from a provider (a local HTTP server, loopback allowed), while
// the engine's refresh thread fetches at its fastest allowed rate (once a
// second). /idle: no fetch during the run (the baseline of the same run);
// /revalidating: each fetch answers 304; /rotating: each fetch brings a
// changed set, published like a reload (the token cache starts empty).
// Counters: `fetches` and `sets_published` during the run.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "alloc_counter.h"
#include "bench_fixture.h"

namespace stepup::bench {
namespace {

// Bench time that moves with the wall clock, so that the refresh schedule
// (on the engine's clock) runs while tokens stay valid.
class RunningClock final : public Clock {
 public:
  int64_t now_seconds() const override {
    return bench_now() + std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::steady_clock::now() - start_)
                             .count();
  }

 private:
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

enum class Provider { kIdle, kRevalidating, kRotating };

// The provider: /jwks with the RS256 key, max-age 0, ETag; /rotating
// alternates between that set and one with the ES256 key added.
class LocalProvider {
 public:
  LocalProvider() {
    const std::string rs256 = fixture(Algorithm::kRS256).key.public_jwk();
    sets_[0] = R"({"keys": [)" + rs256 + "]}";
    sets_[1] = R"({"keys": [)" + rs256 + ", " + fixture(Algorithm::kES256).key.public_jwk() + "]}";
    auto serve = [this](bool rotating) {
      return [this, rotating](const httplib::Request& request, httplib::Response& response) {
        const int which = rotating ? static_cast<int>(fetches_.load() % 2) : 0;
        fetches_.fetch_add(1);
        const std::string etag = "\"set-" + std::to_string(which) + "\"";
        response.set_header("Cache-Control", "max-age=0");
        response.set_header("ETag", etag);
        if (request.get_header_value("If-None-Match") == etag) {
          response.status = 304;
          return;
        }
        response.set_content(sets_[which], "application/jwk-set+json");
      };
    };
    server_.Get("/jwks", serve(false));
    server_.Get("/rotating", serve(true));
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalProvider() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  uint64_t fetches() const { return fetches_.load(); }

 private:
  std::string sets_[2];
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<uint64_t> fetches_{0};
};

LocalProvider& provider() {
  static LocalProvider* local = new LocalProvider();  // Lives until exit.
  return *local;
}

Engine make_refreshing_engine(Provider mode, const Clock& clock) {
  std::string policy = example_policy();
  const std::string from = R"("jwks": {"keys": [)";
  const std::size_t start = policy.find(from);
  const std::size_t end = policy.find("]},", start) + 3;
  const std::string path = mode == Provider::kRotating ? "/rotating" : "/jwks";
  const std::string refresh = mode == Provider::kIdle ? R"({"min_seconds": 3600})"
                                                      : R"({"min_seconds": 1, "max_seconds": 1})";
  policy.replace(start, end - start,
                 R"("jwks_uri": "http://127.0.0.1:)" + std::to_string(provider().port()) + path +
                     R"(", "allow_http_loopback": true, "refresh": )" + refresh + ",");
  // The provider publishes the RS256 key (and at times an ES256 one).
  policy.replace(policy.find(R"(["RS256", "PS256", "ES256", "EdDSA", "HS256"])"),
                 std::string(R"(["RS256", "PS256", "ES256", "EdDSA", "HS256"])").size(),
                 R"(["RS256"])");
  absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{policy}, .clock = &clock});
  if (!engine.ok()) {
    std::cerr << "bench refresh policy refused: " << engine.status() << "\n";
    std::abort();
  }
  return *std::move(engine);
}

void BM_DecideCachedKeyRefresh(benchmark::State& state, Provider mode) {
  static const RunningClock clock;
  const Engine engine = make_refreshing_engine(mode, clock);
  const Request request = transfer_request(fixture(Algorithm::kRS256));
  Decision decision;
  engine.decide(request, decision);  // Warm this thread's view and buffers.
  if (!decision.authorized) {
    state.SkipWithError("the engine did not permit the benchmark request");
    return;
  }
  const uint64_t fetches_before = provider().fetches();
  const uint64_t generation_before = engine.generation();
  const AllocationMeter meter;
  for (auto _ : state) {
    engine.decide(request, decision);
    benchmark::DoNotOptimize(decision.authorized);
  }
  meter.report(state);
  if (!decision.authorized) state.SkipWithError("the engine refused a decision during the refresh");
  state.counters["fetches"] = static_cast<double>(provider().fetches() - fetches_before);
  state.counters["sets_published"] = static_cast<double>(engine.generation() - generation_before);
  state.SetItemsProcessed(state.iterations());
}

// Long enough for several refreshes at one a second.
BENCHMARK_CAPTURE(BM_DecideCachedKeyRefresh, idle, Provider::kIdle)->MinTime(3.0);
BENCHMARK_CAPTURE(BM_DecideCachedKeyRefresh, revalidating, Provider::kRevalidating)->MinTime(3.0);
BENCHMARK_CAPTURE(BM_DecideCachedKeyRefresh, rotating, Provider::kRotating)->MinTime(3.0);

}  // namespace
}  // namespace stepup::bench
