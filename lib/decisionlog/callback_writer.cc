// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/callback_writer.h"

#include <chrono>
#include <utility>

namespace stepup {

DecisionLogSink::~DecisionLogSink() = default;

namespace decisionlog {
namespace {

// How long the thread sleeps when the queue is empty.
constexpr auto kIdleSleep = std::chrono::milliseconds(5);

}  // namespace

CallbackWriter::CallbackWriter(std::shared_ptr<DecisionLogSink> sink, std::size_t queue_capacity)
    : sink_(std::move(sink)), queue_(queue_capacity) {
  thread_ = std::thread([this] { run(); });
}

CallbackWriter::~CallbackWriter() {
  close();
}

bool CallbackWriter::submit(std::string& record) noexcept {
  if (queue_.try_push(record)) return true;
  dropped_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void CallbackWriter::close() noexcept {
  if (closed_) return;
  closed_ = true;
  stopping_.store(true, std::memory_order_release);
  thread_.join();
}

RecordWriterCounts CallbackWriter::counts() const noexcept {
  return {.written = written_.load(std::memory_order_relaxed),
          .dropped = dropped_.load(std::memory_order_relaxed),
          .lost = lost_.load(std::memory_order_relaxed)};
}

void CallbackWriter::run() {
  for (;;) {
    // Read the flag before draining: what was queued before close() is
    // handed over in this round.
    const bool stopping = stopping_.load(std::memory_order_acquire);
    bool took = false;
    while (std::optional<std::string> record = queue_.try_pop()) {
      took = true;
      try {
        sink_->write(*record);
        written_.fetch_add(1, std::memory_order_relaxed);
      } catch (...) {
        lost_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    if (took) continue;
    if (stopping) return;
    std::this_thread::sleep_for(kIdleSleep);
  }
}

}  // namespace decisionlog
}  // namespace stepup
