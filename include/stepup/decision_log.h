// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_DECISION_LOG_H_
#define STEPUP_DECISION_LOG_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/export.h"

namespace stepup {

// A host's own destination for decision records (docs/spec.md §11).
class STEPUP_EXPORT DecisionLogSink {
 public:
  virtual ~DecisionLogSink();
  // One record: a JSON object as compact text, without a newline. Called on
  // the log's own thread, one record at a time, never from decide(); an
  // exception counts the record as lost.
  virtual void write(std::string_view record) = 0;
};

// What the log does with one field of a record.
enum class LogFieldAction {
  kKeep,  // As it is.
  kDrop,  // Left out.
  kHash,  // Replaced by "hmac-sha256:" and the hex HMAC-SHA-256 of its text.
};

// A masking rule. `field` is one of "path", "client_ip", "reason", "iss",
// "client_id", "acr", "auth_time", "sub", "claims.NAME" or "headers.NAME".
struct LogMask {
  std::string field;
  LogFieldAction action = LogFieldAction::kDrop;
};

// One structured record per decision, written from a thread of the log's
// own (docs/spec.md §11). Never the token, its signature or a secret.
struct DecisionLogOptions {
  // Where records go: a JSON-lines file (appended, created with mode 0640,
  // reopened by Engine::reopen_decision_log()) or the host's sink; exactly
  // one of the two.
  std::string file = {};
  std::shared_ptr<DecisionLogSink> sink = {};
  // Records waiting for the writer; more are dropped (and counted), so that
  // decide() never waits. Default: 8192.
  std::size_t queue_capacity = 8192;
  // The share of permits logged, from 0 (only what is not a permit) to 1
  // (every decision; the default). Every other decision is always logged,
  // and so is a permit the shadow policy disagrees with.
  double permit_sample_rate = 1.0;
  // Top-level token claims logged besides iss, client_id, acr, auth_time
  // and sub, under "claims". Default: none.
  std::vector<std::string> claims = {};
  // Request headers logged, by name (case-insensitive), under "headers".
  // Authorization, Proxy-Authorization, Cookie and DPoP are refused. A
  // value that holds the request's token is replaced by "(token)".
  std::vector<std::string> headers = {};
  // Log the path's query too (an `access_token` parameter's value is
  // replaced by "(token)"). Default: the path alone.
  bool query = false;
  // Applied in order after the default, which hashes `sub`; a later rule
  // for the same field wins.
  std::vector<LogMask> masks = {};
  // The HMAC key of hashed fields (at least 32 bytes). Default: random per
  // engine, so that hashes correlate within one process only.
  std::string hash_key = {};
};

}  // namespace stepup

#endif  // STEPUP_DECISION_LOG_H_
