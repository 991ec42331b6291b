// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The decision log under load, through the engine: a file that takes
// nothing (a pipe nobody reads) for 10 seconds never makes decide() wait,
// and logrotate's rename and reopen loses no record that was not counted as
// dropped.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_test_util.h"
#include "stepup/decision_log.h"
#include "stepup/metrics.h"
#include "support/files.h"

namespace stepup::engine_test {
namespace {

using Clock = std::chrono::steady_clock;

// Per-call latencies of decide() from `threads` threads for `duration`.
struct LoadResult {
  uint64_t decisions = 0;
  std::vector<int64_t> nanoseconds;  // Every 16th call's.
  int64_t slowest = 0;
};

LoadResult run_load(const Engine& engine, int threads, std::chrono::milliseconds duration) {
  const TestRequest permit = TestRequest("GET", "/x").authorization(bearer());
  const TestRequest deny = TestRequest("POST", "/x").authorization(bearer());
  std::atomic<bool> stop{false};
  std::vector<LoadResult> results(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      LoadResult& mine = results[static_cast<std::size_t>(t)];
      Decision decision;
      DecideOptions options;
      options.now = kNow;
      while (!stop.load(std::memory_order_relaxed)) {
        const auto started = Clock::now();
        engine.decide((mine.decisions % 2 == 0 ? permit : deny).view(), options, decision);
        const int64_t took =
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
        mine.slowest = std::max(mine.slowest, took);
        if (mine.decisions % 16 == 0) mine.nanoseconds.push_back(took);
        ++mine.decisions;
      }
    });
  }
  std::this_thread::sleep_for(duration);
  stop.store(true);
  for (std::thread& worker : workers)
    worker.join();
  LoadResult total;
  for (const LoadResult& r : results) {
    total.decisions += r.decisions;
    total.slowest = std::max(total.slowest, r.slowest);
    total.nanoseconds.insert(total.nanoseconds.end(), r.nanoseconds.begin(), r.nanoseconds.end());
  }
  std::sort(total.nanoseconds.begin(), total.nanoseconds.end());
  return total;
}

int64_t percentile(const LoadResult& result, double p) {
  if (result.nanoseconds.empty()) return 0;
  return result.nanoseconds[static_cast<std::size_t>(p * (result.nanoseconds.size() - 1))];
}

TEST(DecisionLogLoad, APipeNobodyReadsNeverMakesDecideWait) {
  testing::TempDir dir;
  const std::string fifo = dir.file("log.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Open, never read: the pipe fills after 64 KiB and stays full.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  constexpr std::size_t kQueue = 1024;

  // The same log to a file that takes everything: what making the records
  // costs, so that the comparison shows what the blocked writer adds.
  LoadResult baseline;
  {
    const Engine flowing =
        Engine::create(
            {.policy = PolicyText{document(kPostNeedsHwkPolicy)},
             .decision_log = DecisionLogOptions{.file = "/dev/null", .queue_capacity = kQueue}})
            .value();
    baseline = run_load(flowing, 2, std::chrono::milliseconds(2000));
  }

  LoadResult blocked;
  MetricsSnapshot metrics;
  std::chrono::milliseconds closing{};
  {
    absl::StatusOr<Engine> engine = Engine::create(
        {.policy = PolicyText{document(kPostNeedsHwkPolicy)},
         .decision_log = DecisionLogOptions{.file = fifo, .queue_capacity = kQueue}});
    ASSERT_TRUE(engine.ok()) << engine.status();
    blocked = run_load(*engine, 2, std::chrono::milliseconds(10'000));
    metrics = engine->metrics();
    const auto started = Clock::now();
    *engine = Engine::create({.policy = PolicyText{document(kPostNeedsHwkPolicy)}}).value();
    closing = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  }
  ::close(reader);
  std::printf(
      "DecisionLogLoad: %llu decisions in 10 s with the log's pipe full: p50 %lld ns, p99 %lld "
      "ns, slowest %lld ns; logging to /dev/null: p50 %lld ns, p99 %lld ns; written %llu, dropped "
      "%llu; "
      "closing took %lld ms\n",
      static_cast<unsigned long long>(blocked.decisions),
      static_cast<long long>(percentile(blocked, 0.5)),
      static_cast<long long>(percentile(blocked, 0.99)), static_cast<long long>(blocked.slowest),
      static_cast<long long>(percentile(baseline, 0.5)),
      static_cast<long long>(percentile(baseline, 0.99)),
      static_cast<unsigned long long>(metrics.decision_log_written),
      static_cast<unsigned long long>(metrics.decision_log_dropped),
      static_cast<long long>(closing.count()));
  // Every decision was kept by the drop rules: written, dropped, or still
  // queued (at most the queue and one batch in the writer's hands).
  EXPECT_GT(metrics.decision_log_dropped, 0u);
  EXPECT_EQ(metrics.decision_log_filtered, 0u);
  const uint64_t accounted = metrics.decision_log_written + metrics.decision_log_dropped;
  EXPECT_LE(accounted, blocked.decisions);
  EXPECT_LE(blocked.decisions - accounted, kQueue + 256);
  // Nothing hung: no decision waited on the writer (a stuck one would take
  // the whole run), and closing gave up on the pipe after its timeout.
  EXPECT_LT(blocked.slowest, 1'000'000'000);
  EXPECT_LT(closing, std::chrono::milliseconds(5000));
}

std::vector<std::string> lines_of(const std::string& path) {
  std::istringstream in(testing::read_file(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST(DecisionLogLoad, RenameAndReopenLosesNoRecordThatWasNotCountedAsDropped) {
  testing::TempDir dir;
  const std::string path = dir.file("decisions.jsonl");
  constexpr int kThreads = 4;
  constexpr int kDecisionsEach = 20'000;
  uint64_t dropped = 0;
  uint64_t filtered = 0;
  int renames = 0;
  {
    absl::StatusOr<Engine> engine = Engine::create(
        {.policy = PolicyText{document(kPostNeedsHwkPolicy)},
         .decision_log = DecisionLogOptions{.file = path, .permit_sample_rate = 0.5}});
    ASSERT_TRUE(engine.ok()) << engine.status();
    std::atomic<int> running{kThreads};
    std::vector<std::thread> deciders;
    for (int t = 0; t < kThreads; ++t) {
      deciders.emplace_back([&] {
        const TestRequest permit = TestRequest("GET", "/x").authorization(bearer());
        const TestRequest deny = TestRequest("POST", "/x").authorization(bearer());
        for (int i = 0; i < kDecisionsEach; ++i)
          decide(*engine, i % 3 == 0 ? deny : permit);
        --running;
      });
    }
    while (running.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
      // Until the writer reopened after the last rename, there is nothing
      // at `path` to rename.
      std::error_code error;
      std::filesystem::rename(path, path + "." + std::to_string(renames + 1), error);
      if (error) continue;
      ++renames;
      engine->reopen_decision_log();
    }
    for (std::thread& decider : deciders)
      decider.join();
    const MetricsSnapshot metrics = engine->metrics();
    dropped = metrics.decision_log_dropped;
    filtered = metrics.decision_log_filtered;
  }  // Closing writes what is queued.
  std::set<std::string> ids;
  uint64_t lines = 0;
  uint64_t denies = 0;
  for (int i = 0; i <= renames; ++i) {
    const std::string file = i == 0 ? path : path + "." + std::to_string(i);
    if (i == 0 && !std::filesystem::exists(file)) continue;
    for (const std::string& line : lines_of(file)) {
      const JsonValue record = parse_object(line);
      ids.insert(std::string(record.find("decision_id")->as_string()));
      if (record.find("result")->as_string() == "deny") ++denies;
      ++lines;
    }
  }
  const uint64_t decisions = uint64_t{kThreads} * kDecisionsEach;
  std::printf("DecisionLogLoad: %d renames, %llu lines, %llu dropped, %llu permits filtered\n",
              renames, static_cast<unsigned long long>(lines),
              static_cast<unsigned long long>(dropped), static_cast<unsigned long long>(filtered));
  EXPECT_GT(renames, 2);
  EXPECT_EQ(ids.size(), lines) << "no record twice";
  EXPECT_EQ(lines + dropped + filtered, decisions);
  if (dropped == 0) {
    EXPECT_EQ(denies, uint64_t{kThreads} * ((kDecisionsEach + 2) / 3));
  }
}

}  // namespace
}  // namespace stepup::engine_test
