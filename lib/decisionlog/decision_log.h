// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_DECISION_LOG_H_
#define STEPUP_LIB_DECISIONLOG_DECISION_LOG_H_

#include <memory>
#include <string>

#include "decisionlog/decision_record.h"
#include "decisionlog/record_writer.h"
#include "stepup/decision.h"
#include "stepup/decision_log.h"
#include "stepup/status.h"

namespace stepup::decisionlog {

// An engine's decision log: the drop rules, the record's settings and the
// writer the records go to.
class DecisionLog {
 public:
  // Checks the options and opens the file (or takes the sink); an error
  // names the option.
  static absl::StatusOr<std::unique_ptr<DecisionLog>> open(const DecisionLogOptions& options);

  // Whether the drop rules keep this decision: everything but a permit,
  // a permit the shadow policy disagreed with, and a sample of permits.
  bool keeps(const Decision& decision, bool shadow_disagreed) const;
  // Formats the record and queues it (dropped, and counted, when the queue
  // is full). Never waits.
  void submit(const Decision& decision, const RecordContext& context);
  // Async-signal-safe.
  void request_reopen() noexcept { writer_->request_reopen(); }
  RecordWriterCounts counts() const noexcept { return writer_->counts(); }

 private:
  DecisionLog(RecordSettings settings, std::unique_ptr<RecordWriter> writer);

  RecordSettings settings_;
  // Permits whose random draw falls below it are kept (2^64 scale).
  uint64_t permit_threshold_ = 0;
  bool keeps_every_permit_ = true;
  std::unique_ptr<RecordWriter> writer_;
};

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_DECISION_LOG_H_
