// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_RECORD_WRITER_H_
#define STEPUP_LIB_DECISIONLOG_RECORD_WRITER_H_

#include <cstdint>
#include <string>

namespace stepup::decisionlog {

// What a writer has done with the records it was given.
struct RecordWriterCounts {
  uint64_t written = 0;  // Handed to the destination whole.
  uint64_t dropped = 0;  // Refused because the queue was full.
  uint64_t lost = 0;     // Queued, but the destination failed or closed first.
  uint64_t reopens = 0;  // Files opened again after request_reopen().
  uint64_t reopen_failures = 0;
};

// Takes decision records from deciding threads and hands them to a
// destination from a thread of its own. submit() never waits.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Queues `record` (one JSON text without its newline); moves from it when
  // it is queued. Returns false when it was dropped.
  virtual bool submit(std::string& record) noexcept = 0;
  // Opens the destination again before the next write, where that means
  // something (a file). Async-signal-safe.
  virtual void request_reopen() noexcept {}
  // Hands over what is queued, stops the thread; counts() stays readable.
  // Call it once no thread submits any more; later calls do nothing.
  virtual void close() noexcept = 0;
  virtual RecordWriterCounts counts() const noexcept = 0;
};

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_RECORD_WRITER_H_
