// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_CONNECTION_TABLE_H_
#define STEPUP_TOOLS_GATEWAY_CONNECTION_TABLE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace stepup::gateway {

// The open connections of a server and what each is doing, so that a new
// connection over the limit can take the place of the one that serves
// nobody: the longest idle, else the one that has been receiving its request
// the longest (a slow client). A connection whose request is being answered
// is never chosen. Thread-safe.
class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  enum class Phase {
    kIdle,       // Waiting for the first byte of a request.
    kReceiving,  // Reading a request's header or body.
    kBusy,       // Handling a request or writing its response.
  };

  // Registers a connection in phase kIdle; `close` closes it (from any
  // thread, at most once).
  Id add(std::function<void()> close, Clock::time_point now = Clock::now());
  void set_phase(Id id, Phase phase, Clock::time_point now = Clock::now());
  void remove(Id id);

  // When `limit` or more connections are open, removes the one to close
  // first and returns its close function (the caller calls it); an empty
  // function when every open connection is busy. Below the limit: an empty
  // function, nothing removed.
  std::function<void()> evict_for_new(std::size_t limit);

  std::size_t size() const;

 private:
  struct Entry {
    std::function<void()> close;
    Phase phase = Phase::kIdle;
    Clock::time_point since;
  };

  mutable std::mutex mutex_;
  std::unordered_map<Id, Entry> entries_;
  Id next_id_ = 1;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_CONNECTION_TABLE_H_
