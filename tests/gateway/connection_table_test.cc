// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Which connection makes room for a new one at the limit.
#include "gateway/connection_table.h"

#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace stepup::gateway {
namespace {

using Phase = ConnectionTable::Phase;
using std::chrono::seconds;

class ConnectionTableTest : public ::testing::Test {
 protected:
  ConnectionTable::Id add(const std::string& name, Phase phase, int at, bool has_input = false) {
    const ConnectionTable::Id id =
        table_.add([this, name] { closed_.push_back(name); }, [has_input] { return has_input; },
                   start_ + seconds(at));
    table_.set_phase(id, phase, start_ + seconds(at));
    return id;
  }
  // Evicts for a new connection at `limit`; the name closed, or "" if none.
  std::string evict(std::size_t limit) {
    const std::size_t before = closed_.size();
    if (auto close = table_.evict_for_new(limit)) close();
    return closed_.size() > before ? closed_.back() : "";
  }

  ConnectionTable table_;
  std::vector<std::string> closed_;
  const ConnectionTable::Clock::time_point start_ = ConnectionTable::Clock::now();
};

TEST_F(ConnectionTableTest, BelowTheLimitNothingIsClosed) {
  add("a", Phase::kNew, 0);
  EXPECT_EQ(evict(2), "");
  EXPECT_EQ(table_.size(), 1u);
}

TEST_F(ConnectionTableTest, ClosingThenSilentThenSlowThenLongestIdle) {
  add("closing", Phase::kClosing, 6);
  add("idle-old", Phase::kIdle, 0);
  add("idle-new", Phase::kIdle, 5);
  add("slow-new", Phase::kReceiving, 4);
  add("slow-old", Phase::kReceiving, 1);
  add("silent-new", Phase::kNew, 3);
  add("silent-old", Phase::kNew, 2);
  add("busy", Phase::kBusy, 0);
  const std::vector<std::string> order = {"closing",  "silent-old", "silent-new", "slow-old",
                                          "slow-new", "idle-old",   "idle-new"};
  for (const std::string& expected : order)
    EXPECT_EQ(evict(1), expected);
  // Only the busy one is left: nothing can make room.
  EXPECT_EQ(evict(1), "");
  EXPECT_EQ(table_.size(), 1u);
}

// A new connection whose request waits unread is not silent: it ranks with
// the receivers, from when it connected, so an older slow client goes first.
TEST_F(ConnectionTableTest, NewConnectionWithUnreadInputRanksAsReceiving) {
  add("waiting-request", Phase::kNew, 3, /*has_input=*/true);
  add("slow-old", Phase::kReceiving, 1);
  add("slow-new", Phase::kReceiving, 5);
  add("silent", Phase::kNew, 4);
  add("idle", Phase::kIdle, 0);
  const std::vector<std::string> order = {"silent", "slow-old", "waiting-request", "slow-new",
                                          "idle"};
  for (const std::string& expected : order)
    EXPECT_EQ(evict(1), expected);
}

TEST_F(ConnectionTableTest, RemovedConnectionsAreNotChosen) {
  const ConnectionTable::Id a = add("a", Phase::kNew, 0);
  add("b", Phase::kNew, 1);
  table_.remove(a);
  EXPECT_EQ(evict(1), "b");
  EXPECT_EQ(table_.size(), 0u);
}

}  // namespace
}  // namespace stepup::gateway
