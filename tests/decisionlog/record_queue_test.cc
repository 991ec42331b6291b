// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/record_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace stepup::decisionlog {
namespace {

TEST(RecordQueueTest, CapacityIsAPowerOfTwoOfAtLeastTwo) {
  EXPECT_EQ(RecordQueue(0).capacity(), 2u);
  EXPECT_EQ(RecordQueue(5).capacity(), 8u);
  EXPECT_EQ(RecordQueue(8).capacity(), 8u);
}

TEST(RecordQueueTest, FirstInFirstOutAndFullRefusesWithoutTakingTheRecord) {
  RecordQueue queue(4);
  EXPECT_FALSE(queue.try_pop().has_value());
  for (int i = 0; i < 4; ++i) {
    std::string record = absl::StrCat("record ", i, std::string(40, 'x'));
    ASSERT_TRUE(queue.try_push(record));
  }
  std::string extra = "the fifth";
  EXPECT_FALSE(queue.try_push(extra));
  EXPECT_EQ(extra, "the fifth");
  for (int lap = 0; lap < 3; ++lap) {  // Slots are reused lap after lap.
    for (int i = 0; i < 4; ++i) {
      std::optional<std::string> record = queue.try_pop();
      ASSERT_TRUE(record.has_value());
      EXPECT_EQ(*record, absl::StrCat("record ", i, std::string(40, 'x')));
      std::string again = *record;
      ASSERT_TRUE(queue.try_push(again));
    }
  }
}

// Four producers and two consumers: every record arrives exactly once, and
// each producer's records in the order it pushed them.
TEST(RecordQueueTest, ManyProducersAndConsumersLoseAndDuplicateNothing) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 20000;
  RecordQueue queue(64);
  std::atomic<int> producers_left{kProducers};
  std::vector<std::vector<int>> seen(2 * kProducers);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        std::string record = absl::StrCat(p, ":", i);
        while (!queue.try_push(record))
          std::this_thread::yield();
      }
      producers_left.fetch_sub(1);
    });
  }
  for (int c = 0; c < 2; ++c) {
    threads.emplace_back([&, c] {
      for (;;) {
        const bool done = producers_left.load() == 0;
        std::optional<std::string> record = queue.try_pop();
        if (!record) {
          if (done) return;
          std::this_thread::yield();
          continue;
        }
        std::vector<std::string> parts = absl::StrSplit(*record, ':');
        int producer = 0;
        int index = 0;
        ASSERT_TRUE(absl::SimpleAtoi(parts.at(0), &producer));
        ASSERT_TRUE(absl::SimpleAtoi(parts.at(1), &index));
        seen[static_cast<std::size_t>(c * kProducers + producer)].push_back(index);
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  for (int p = 0; p < kProducers; ++p) {
    std::vector<bool> arrived(kPerProducer, false);
    for (int c = 0; c < 2; ++c) {
      const std::vector<int>& indexes = seen[static_cast<std::size_t>(c * kProducers + p)];
      for (std::size_t k = 0; k < indexes.size(); ++k) {
        if (k > 0) {
          EXPECT_LT(indexes[k - 1], indexes[k]) << "producer " << p;
        }
        ASSERT_FALSE(arrived[static_cast<std::size_t>(indexes[k])]) << "twice: " << indexes[k];
        arrived[static_cast<std::size_t>(indexes[k])] = true;
      }
    }
    EXPECT_EQ(std::count(arrived.begin(), arrived.end(), true), kPerProducer) << "producer " << p;
  }
}

}  // namespace
}  // namespace stepup::decisionlog
