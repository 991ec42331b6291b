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
// connection over the limit can take the place of the one least likely to
// be an honest client's: first one already answered and closing, then one
// that has not sent a byte (the oldest), then the one that has been
// receiving its request the longest (a slow client; a new connection whose
// first bytes wait unread counts as receiving since it connected), then the
// kept-alive one idle the longest (a proxy's pool keeps these, so they go
// last). A connection whose request is being answered is never chosen.
// Thread-safe.
class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  // In the order connections are chosen to make room.
  enum class Phase {
    kClosing,    // Answered for the last time; draining what the client still sends.
    kNew,        // Connected, waiting for the first byte of its first request.
    kReceiving,  // Reading a request's header or body.
    kIdle,       // Kept alive after a response, waiting for the next request.
    kBusy,       // Handling a request or writing its response.
  };

  // Registers a connection in phase kNew; `close` closes it (from any
  // thread, at most once). `has_input`, when given, tells whether bytes the
  // server has not read yet wait on the connection; it is called from any
  // thread, under the table's lock, while the entry is registered.
  Id add(std::function<void()> close, std::function<bool()> has_input = {},
         Clock::time_point now = Clock::now());
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
    std::function<bool()> has_input;
    Phase phase = Phase::kNew;
    Clock::time_point since;
  };

  // The phase an entry is ranked in: a new connection with unread input is
  // receiving.
  static Phase rank_of(const Entry& entry);

  mutable std::mutex mutex_;
  std::unordered_map<Id, Entry> entries_;
  Id next_id_ = 1;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_CONNECTION_TABLE_H_
