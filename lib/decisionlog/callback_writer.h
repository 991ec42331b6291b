// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_CALLBACK_WRITER_H_
#define STEPUP_LIB_DECISIONLOG_CALLBACK_WRITER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "decisionlog/record_queue.h"
#include "decisionlog/record_writer.h"
#include "stepup/decision_log.h"

namespace stepup::decisionlog {

// Hands each record to a host's DecisionLogSink from a thread of its own,
// one at a time. A sink that takes long only fills the queue (then records
// are dropped); close() waits for the record in hand and the queue.
class CallbackWriter final : public RecordWriter {
 public:
  CallbackWriter(std::shared_ptr<DecisionLogSink> sink, std::size_t queue_capacity);
  ~CallbackWriter() override;
  CallbackWriter(const CallbackWriter&) = delete;
  CallbackWriter& operator=(const CallbackWriter&) = delete;

  bool submit(std::string& record) noexcept override;
  void close() noexcept override;
  RecordWriterCounts counts() const noexcept override;

 private:
  void run();

  std::shared_ptr<DecisionLogSink> sink_;
  RecordQueue queue_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> lost_{0};
  std::thread thread_;
  bool closed_ = false;
};

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_CALLBACK_WRITER_H_
