// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_JSON_LINES_WRITER_H_
#define STEPUP_LIB_DECISIONLOG_JSON_LINES_WRITER_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "decisionlog/record_queue.h"
#include "decisionlog/record_writer.h"
#include "stepup/status.h"

namespace stepup::decisionlog {

struct JsonLinesWriterOptions {
  // The file records are appended to (created with mode 0640).
  std::string path;
  // Records waiting for the writer; more are dropped. Default: 8192.
  std::size_t queue_capacity = 8192;
  // How long the destructor keeps trying to write what is queued to a file
  // that does not take it (a pipe nobody reads); then the rest is counted
  // as lost. Default: 1 s.
  std::chrono::milliseconds close_timeout{1000};
};

// The counts of a JsonLinesWriter: `written` are whole lines in the file.
using JsonLinesWriterCounts = RecordWriterCounts;

// Appends one record per line to a file from a thread of its own. submit()
// never waits: it queues the record or counts it as dropped. Each record
// counted as written is a whole line in the file it went to; every other
// record is counted as dropped or lost (logrotate's rename, then
// request_reopen(), loses none). The file is opened non-blocking, so a pipe
// that stops reading delays nothing but the writer; a pipe whose reader
// closed loses records, never the process (SIGPIPE is blocked in the
// writer's thread).
class JsonLinesWriter final : public RecordWriter {
 public:
  // Opens the file (an error names the path and why) and starts the thread.
  static absl::StatusOr<std::unique_ptr<JsonLinesWriter>> open(JsonLinesWriterOptions options);
  // close(), when not done yet.
  ~JsonLinesWriter() override;
  JsonLinesWriter(const JsonLinesWriter&) = delete;
  JsonLinesWriter& operator=(const JsonLinesWriter&) = delete;

  // Queues `record` (one JSON text without its newline); moves from it when
  // it is queued. Returns false when it was dropped.
  bool submit(std::string& record) noexcept override;
  // Opens the path again before the next write (after logrotate renamed the
  // file). Async-signal-safe: a signal handler may call it.
  void request_reopen() noexcept override {
    reopen_requested_.store(true, std::memory_order_relaxed);
  }

  // Writes what is queued (within close_timeout), stops the thread and
  // closes the file; counts() stays readable. Call it once no thread submits
  // any more; later calls do nothing.
  void close() noexcept override;

  RecordWriterCounts counts() const noexcept override;

 private:
  JsonLinesWriter(JsonLinesWriterOptions options, int fd);
  void run();
  void reopen_if_requested();
  // Writes `batch` (whole lines); counts its lines as written or lost.
  void write_batch(std::string_view batch);
  // Writes `bytes` until done, until the file fails, or (a full pipe) once
  // stopping and past the deadline; returns how many were written.
  std::size_t write_all(std::string_view bytes);
  // Counts a record that missed only its newline as lost, and forgets the
  // cut line: the writer stops, or reopened onto another file.
  void give_up_cut_line();

  JsonLinesWriterOptions options_;
  int fd_;
  // The last write ended inside a line (the writer thread's own).
  bool cut_line_ = false;
  // The cut line is a whole record but for its newline: counted neither
  // written nor lost until that newline is written (then written), or the
  // file is reopened or the writer stops (then lost), so that no count
  // ever goes down.
  bool cut_before_newline_ = false;
  RecordQueue queue_;
  std::atomic<bool> reopen_requested_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::chrono::steady_clock::rep> stop_deadline_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> lost_{0};
  std::atomic<uint64_t> reopens_{0};
  std::atomic<uint64_t> reopen_failures_{0};
  std::thread thread_;
  bool closed_ = false;
};

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_JSON_LINES_WRITER_H_
