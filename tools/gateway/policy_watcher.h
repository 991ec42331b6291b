// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_POLICY_WATCHER_H_
#define STEPUP_TOOLS_GATEWAY_POLICY_WATCHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stepup::gateway {

// The files a policy document loads: the document itself and the `jwks_file`
// of each validator (relative paths resolved against the document's folder).
// Just the document when it cannot be read or parsed.
std::vector<std::string> policy_files(const std::string& policy_file);

// Watches the policy document and its key files by polling their device,
// inode, size, modification and change times, and calls `on_change` once per
// change it sees. Replace files atomically (write a new file, then rename it
// over the old one): a reload that reads a half-written file fails and keeps
// the last good state, and the next poll tries again once the file changes.
class PolicyWatcher {
 public:
  // Takes the files' current state as the baseline. `on_change` runs on the
  // watcher's thread (or on the caller's, in poll()).
  PolicyWatcher(std::string policy_file, std::chrono::milliseconds interval,
                std::function<void()> on_change);
  ~PolicyWatcher();
  PolicyWatcher(const PolicyWatcher&) = delete;
  PolicyWatcher& operator=(const PolicyWatcher&) = delete;

  // Polls every `interval` on a thread of its own, until stop().
  void start();
  void stop();

  // Polls once: when any watched file changed since the last poll, calls
  // `on_change`, then watches the files the (new) document names, and
  // returns true.
  bool poll();

  std::vector<std::string> watched_files() const;

 private:
  struct Stamp {
    bool exists = false;
    uint64_t device = 0;
    uint64_t inode = 0;
    int64_t size = 0;
    int64_t modified_ns = 0;
    int64_t changed_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  static Stamp stamp_of(const std::string& path);
  void watch(const std::vector<std::string>& files);

  const std::string policy_file_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> on_change_;

  mutable std::mutex poll_mutex_;
  std::map<std::string, Stamp> stamps_;  // Guarded by poll_mutex_.

  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;  // Guarded by stop_mutex_.
  std::thread thread_;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_POLICY_WATCHER_H_
