// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_DecideUncached/<ALG>: a whole decide() (Authorization header, token
// validation, attributes, the SPEC §2 example policy, the HTTP answer) with
// the token cache off. BM_DecideCached: the same request repeated with the
// cache on, as a host that reuses one Decision per worker would call it;
// also on several threads sharing one engine. BM_DecideCachedMetrics: the
// same with metrics off, on, and on with a decision log.
#include <thread>

#include "alloc_counter.h"
#include "bench_fixture.h"

namespace stepup::bench {
namespace {

bool permits(const Engine& engine, const Request& request) {
  const Decision decision = engine.decide(request);
  return decision.authorized && decision.status == 200;
}

void BM_DecideUncached(benchmark::State& state, Algorithm algorithm) {
  const AlgorithmFixture& f = fixture(algorithm);
  const Engine engine = make_engine(/*token_cache=*/false);
  const Request request = transfer_request(f);
  if (!permits(engine, request)) {
    state.SkipWithError("the engine did not permit the benchmark request");
    return;
  }
  Decision decision;
  const AllocationMeter meter;
  for (auto _ : state) {
    engine.decide(request, decision);
    benchmark::DoNotOptimize(decision.authorized);
  }
  meter.report(state);
}

BENCHMARK_CAPTURE(BM_DecideUncached, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_DecideUncached, PS256, Algorithm::kPS256);
BENCHMARK_CAPTURE(BM_DecideUncached, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_DecideUncached, EdDSA, Algorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_DecideUncached, HS256, Algorithm::kHS256);

// One engine shared by all threads of a run, as in a server.
const Engine& cached_engine() {
  static const Engine engine = make_engine(/*token_cache=*/true);
  return engine;
}

void BM_DecideCached(benchmark::State& state) {
  const AlgorithmFixture& f = fixture(Algorithm::kRS256);
  const Engine& engine = cached_engine();
  const Request request = transfer_request(f);
  if (!permits(engine, request)) {
    state.SkipWithError("the engine did not permit the benchmark request");
    return;
  }
  Decision decision;
  engine.decide(request, decision);  // Warm this thread's view and buffers.
  const AllocationMeter meter;
  for (auto _ : state) {
    engine.decide(request, decision);
    benchmark::DoNotOptimize(decision.authorized);
  }
  meter.report(state);
  state.SetItemsProcessed(state.iterations());
}

// Takes records and keeps nothing.
class DiscardingSink : public DecisionLogSink {
 public:
  void write(std::string_view record) override { benchmark::DoNotOptimize(record.data()); }
};

// BM_DecideCached's request on engines with metrics off, on, and on with a
// decision log that keeps non-permits only (the request is a permit), in the
// same run: what counting (and timing one decision in 32) and the drop rule
// cost. BM_DecideCachedLogged: every decision logged (the record made and
// queued), for the cost of a record.
enum class Observed { kOff, kMetrics, kMetricsAndLog, kEveryDecisionLogged };

void BM_DecideCachedMetrics(benchmark::State& state, Observed observed) {
  const AlgorithmFixture& f = fixture(Algorithm::kRS256);
  // One engine each for the whole run, as cached_engine(): repetitions then
  // compare the same objects, not the luck of each new engine's layout.
  static const Engine without_metrics = make_engine(/*token_cache=*/true, /*metrics=*/false);
  static const Engine with_metrics = make_engine(/*token_cache=*/true, /*metrics=*/true);
  static const Engine with_log = make_engine(
      /*token_cache=*/true, /*metrics=*/true,
      DecisionLogOptions{.sink = std::make_shared<DiscardingSink>(), .permit_sample_rate = 0.0});
  static const Engine logging_everything = make_engine(
      /*token_cache=*/true, /*metrics=*/true,
      DecisionLogOptions{.sink = std::make_shared<DiscardingSink>(), .queue_capacity = 1 << 16});
  const Engine& engine = observed == Observed::kOff             ? without_metrics
                         : observed == Observed::kMetrics       ? with_metrics
                         : observed == Observed::kMetricsAndLog ? with_log
                                                                : logging_everything;
  const Request request = transfer_request(f);
  if (!permits(engine, request)) {
    state.SkipWithError("the engine did not permit the benchmark request");
    return;
  }
  Decision decision;
  engine.decide(request, decision);
  const AllocationMeter meter;
  for (auto _ : state) {
    engine.decide(request, decision);
    benchmark::DoNotOptimize(decision.authorized);
  }
  meter.report(state);
  const MetricsSnapshot metrics = engine.metrics();
  state.counters["decisions_counted"] =
      static_cast<double>(metrics.decisions.empty() ? 0 : metrics.decisions.front().count);
  if (metrics.decision_log_enabled) {
    state.counters["records_filtered"] = static_cast<double>(metrics.decision_log_filtered);
    state.counters["records_dropped"] = static_cast<double>(metrics.decision_log_dropped);
  }
}
BENCHMARK_CAPTURE(BM_DecideCachedMetrics, off, Observed::kOff);
BENCHMARK_CAPTURE(BM_DecideCachedMetrics, on, Observed::kMetrics);
BENCHMARK_CAPTURE(BM_DecideCachedMetrics, log, Observed::kMetricsAndLog);
void BM_DecideCachedLogged(benchmark::State& state, Observed observed) {
  BM_DecideCachedMetrics(state, observed);
}
BENCHMARK_CAPTURE(BM_DecideCachedLogged, every, Observed::kEveryDecisionLogged);

// The machine's own scaling, for reading the line above: a loop of integer
// arithmetic that shares nothing between threads. On a VM whose virtual
// cores share physical ones, this is the ceiling for any code.
void BM_MachineScaling(benchmark::State& state) {
  uint64_t x = 0x9E3779B97F4A7C15u + static_cast<uint64_t>(state.thread_index());
  for (auto _ : state) {
    for (int i = 0; i < 64; ++i)
      x = x * 6364136223846793005u + 1442695040888963407u;
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_MachineScaling)
    ->ThreadRange(1, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))
    ->UseRealTime();

BENCHMARK(BM_DecideCached);
BENCHMARK(BM_DecideCached)
    ->ThreadRange(1, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))
    ->UseRealTime();

}  // namespace
}  // namespace stepup::bench
