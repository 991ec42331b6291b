// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/policy_watcher.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "stepup/json_value.h"

namespace stepup::gateway {
namespace {

constexpr int kMaxPolicyDepth = 64;

int64_t nanoseconds(const timespec& time) {
  return static_cast<int64_t>(time.tv_sec) * 1000000000 + time.tv_nsec;
}

}  // namespace

std::vector<std::string> policy_files(const std::string& policy_file) {
  std::vector<std::string> files = {policy_file};
  std::ifstream in(policy_file, std::ios::binary);
  if (!in) return files;
  std::ostringstream text;
  text << in.rdbuf();
  const std::optional<JsonValue> document = JsonValue::parse_object(text.str(), kMaxPolicyDepth);
  if (!document) return files;
  const JsonValue* validators = document->find("validators");
  if (validators == nullptr) return files;
  const std::filesystem::path folder = std::filesystem::path(policy_file).parent_path();
  for (const JsonValue& validator : validators->items()) {
    const JsonValue* jwks_file = validator.find("jwks_file");
    if (jwks_file == nullptr || !jwks_file->is_string()) continue;
    const std::filesystem::path path(jwks_file->as_string());
    files.push_back(path.is_absolute() ? path.string() : (folder / path).string());
  }
  return files;
}

PolicyWatcher::PolicyWatcher(std::string policy_file, std::chrono::milliseconds interval,
                             std::function<void()> on_change)
    : policy_file_(std::move(policy_file)), interval_(interval), on_change_(std::move(on_change)) {
  watch(policy_files(policy_file_));
}

PolicyWatcher::~PolicyWatcher() {
  stop();
}

PolicyWatcher::Stamp PolicyWatcher::stamp_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Stamp{};
  return Stamp{.exists = true,
               .device = static_cast<uint64_t>(info.st_dev),
               .inode = static_cast<uint64_t>(info.st_ino),
               .size = static_cast<int64_t>(info.st_size),
               .modified_ns = nanoseconds(info.st_mtim),
               .changed_ns = nanoseconds(info.st_ctim)};
}

void PolicyWatcher::watch(const std::vector<std::string>& files) {
  std::map<std::string, Stamp> stamps;
  for (const std::string& file : files) {
    const auto known = stamps_.find(file);
    stamps[file] = known != stamps_.end() ? known->second : stamp_of(file);
  }
  stamps_ = std::move(stamps);
}

bool PolicyWatcher::poll() {
  std::lock_guard<std::mutex> lock(poll_mutex_);
  bool changed = false;
  for (auto& [file, stamp] : stamps_) {
    const Stamp now = stamp_of(file);
    if (now != stamp) {
      stamp = now;
      changed = true;
    }
  }
  if (!changed) return false;
  on_change_();
  // The new document may name other key files. Those already watched keep
  // the stamps taken before the reload, so a change during it is not missed.
  watch(policy_files(policy_file_));
  return true;
}

std::vector<std::string> PolicyWatcher::watched_files() const {
  std::lock_guard<std::mutex> lock(poll_mutex_);
  std::vector<std::string> files;
  for (const auto& [file, stamp] : stamps_)
    files.push_back(file);
  return files;
}

void PolicyWatcher::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(stop_mutex_);
    while (!stop_signal_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      poll();
      lock.lock();
    }
  });
}

void PolicyWatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace stepup::gateway
