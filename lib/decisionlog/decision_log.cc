// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/decision_log.h"

#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

#include "decisionlog/callback_writer.h"
#include "decisionlog/json_lines_writer.h"

namespace stepup::decisionlog {
namespace {

// A per-thread generator for permit sampling (xorshift64*): fast, and a
// sample needs no more than uniform draws.
uint64_t next_draw() {
  thread_local uint64_t state = [] {
    const uint64_t seed =
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
        std::hash<std::thread::id>{}(std::this_thread::get_id());
    return seed == 0 ? 0x9E3779B97F4A7C15ULL : seed;
  }();
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545F4914F6CDD1DULL;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DecisionLog>> DecisionLog::open(const DecisionLogOptions& options) {
  if (options.file.empty() == (options.sink == nullptr)) {
    return absl::InvalidArgumentError("decision_log: give exactly one of file and sink");
  }
  absl::StatusOr<RecordSettings> settings = RecordSettings::compile(options);
  if (!settings.ok()) return settings.status();
  std::unique_ptr<RecordWriter> writer;
  if (options.sink != nullptr) {
    writer = std::make_unique<CallbackWriter>(options.sink, options.queue_capacity);
  } else {
    absl::StatusOr<std::unique_ptr<JsonLinesWriter>> file =
        JsonLinesWriter::open({.path = options.file, .queue_capacity = options.queue_capacity});
    if (!file.ok()) return file.status();
    writer = *std::move(file);
  }
  return std::unique_ptr<DecisionLog>(new DecisionLog(*std::move(settings), std::move(writer)));
}

DecisionLog::DecisionLog(RecordSettings settings, std::unique_ptr<RecordWriter> writer)
    : settings_(std::move(settings)), writer_(std::move(writer)) {
  keeps_every_permit_ = settings_.permit_sample_rate >= 1.0;
  permit_threshold_ = static_cast<uint64_t>(std::ldexp(settings_.permit_sample_rate, 64));
}

bool DecisionLog::keeps(const Decision& decision, bool shadow_disagreed) const {
  if (decision.result != PolicyResult::kPermit || shadow_disagreed || keeps_every_permit_) {
    return true;
  }
  return permit_threshold_ != 0 && next_draw() < permit_threshold_;
}

void DecisionLog::submit(const Decision& decision, const RecordContext& context) {
  std::string record = format_record(settings_, decision, context);
  writer_->submit(record);
}

}  // namespace stepup::decisionlog
