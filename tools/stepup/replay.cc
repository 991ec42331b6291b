// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "replay.h"

#include <memory>
#include <string_view>
#include <vector>

#include "request_file.h"
#include "stepup/json_value.h"

namespace stepup::cli {
namespace {

constexpr int kMaxRecordDepth = 64;
// The token's fields a record carries at its top level.
constexpr std::string_view kTokenFields[] = {"iss", "client_id", "acr", "auth_time", "sub"};

std::string joined(const JsonValue& names) {
  std::string out;
  for (const JsonValue& name : names.items()) {
    if (!out.empty()) out += " / ";
    out += name.as_string();
  }
  return out.empty() ? "(no rule)" : out;
}

// The request a record describes, in the JSON of `stepup decide` (claims as
// validated claims); nullopt when it cannot be rebuilt.
std::optional<JsonValue> request_of(const JsonValue& record) {
  const JsonValue* path = record.find("path");
  if (path == nullptr || !path->is_string() || !path->as_string().starts_with("/")) {
    return std::nullopt;  // Hashed or dropped.
  }
  std::vector<JsonMember> members;
  for (std::string_view name : {"method", "path", "client_ip", "headers"}) {
    if (const JsonValue* value = record.find(name)) members.push_back({std::string(name), *value});
  }
  const JsonValue* credentials = record.find("credentials");
  if (credentials != nullptr && credentials->as_string() != "none") {
    std::vector<JsonMember> claims;
    for (std::string_view name : kTokenFields) {
      if (const JsonValue* value = record.find(name)) claims.push_back({std::string(name), *value});
    }
    if (const JsonValue* more = record.find("claims"); more != nullptr && more->is_object()) {
      for (const JsonMember& member : more->members())
        claims.push_back(member);
    }
    members.push_back({"claims", JsonValue::object(std::move(claims))});
  }
  return JsonValue::object(std::move(members));
}

// Whether a value the candidate sees is a masked field's hash.
bool holds_hash(const JsonValue& value) {
  if (value.is_string()) return value.as_string().starts_with("hmac-sha256:");
  for (const JsonValue& item : value.items()) {
    if (holds_hash(item)) return true;
  }
  for (const JsonMember& member : value.members()) {
    if (holds_hash(member.value)) return true;
  }
  return false;
}

// Whether a rebuilt request holds a hash other than the `sub` claim's
// (hashed by default, and rarely read by a condition).
bool holds_hashed_field(const JsonValue& request) {
  for (const JsonMember& member : request.members()) {
    if (member.name != "claims") {
      if (holds_hash(member.value)) return true;
      continue;
    }
    for (const JsonMember& claim : member.value.members()) {
      if (claim.name != "sub" && holds_hash(claim.value)) return true;
    }
  }
  return false;
}

absl::Status line_error(const std::string& log_name, uint64_t line, const std::string& why) {
  return absl::InvalidArgumentError(log_name + ":" + std::to_string(line) + ": " + why);
}

}  // namespace

absl::StatusOr<ReplaySummary> replay_log(const Engine& candidate, std::istream& log,
                                         const std::string& log_name) {
  ReplaySummary summary;
  uint64_t line_number = 0;
  for (std::string line; std::getline(log, line);) {
    ++line_number;
    if (line.empty()) continue;
    JsonParseError parse_error;
    const std::optional<JsonValue> record =
        JsonValue::parse_object(line, kMaxRecordDepth, &parse_error);
    if (!record) {
      return line_error(log_name, line_number,
                        "not a JSON object (" + parse_error.message(kMaxRecordDepth) + ")");
    }
    const JsonValue* result = record->find("result");
    const JsonValue* status = record->find("status");
    const JsonValue* decided_at = record->find("decided_at");
    const JsonValue* rule = record->find("rule");
    if (result == nullptr || !result->is_string() || status == nullptr || !status->is_integer() ||
        decided_at == nullptr || !decided_at->is_integer() || rule == nullptr ||
        !rule->is_array()) {
      return line_error(log_name, line_number,
                        "not a decision record (needs result, status, decided_at and rule)");
    }
    ++summary.records;
    // A refused token, or a decision that failed closed (500: memory ran
    // out), says nothing of what the policy would answer.
    if (record->find("token_error") != nullptr || status->as_integer() == 500) {
      ++summary.not_replayable;
      continue;
    }
    const std::optional<JsonValue> request_json = request_of(*record);
    absl::StatusOr<std::unique_ptr<OwnedRequest>> request =
        request_json ? OwnedRequest::from_json(*request_json, log_name)
                     : absl::InvalidArgumentError("path masked");
    if (!request.ok()) {
      ++summary.not_replayable;
      continue;
    }
    if (holds_hashed_field(*request_json)) ++summary.with_hashed_fields;
    DecideOptions options;
    options.now = decided_at->as_integer();
    const Decision decision = candidate.decide((*request)->view(), options);
    ++summary.replayed;
    const std::string_view new_result = policy_result_name(decision.result);
    const int old_status = static_cast<int>(status->as_integer());
    if (new_result == result->as_string() && decision.status == old_status) continue;
    ++summary.changed;
    ++summary.changed_by_rule[joined(*rule)];
    ++summary.changed_by_status[{old_status, decision.status}];
    ++summary.changed_by_result[{std::string(result->as_string()), std::string(new_result)}];
  }
  if (log.bad()) return absl::InvalidArgumentError(log_name + ": read error");
  return summary;
}

void print_replay_summary(const ReplaySummary& summary, std::ostream& out) {
  out << summary.records << " decisions, " << summary.replayed << " replayed, "
      << summary.not_replayable << " not replayable (refused token, failed decision or masked "
      << "path)\n";
  if (summary.with_hashed_fields > 0) {
    out << summary.with_hashed_fields
        << " replayed with hashed fields (the candidate saw their hashes)\n";
  }
  out << summary.changed << " would change\n";
  if (summary.changed == 0) return;
  out << "by rule (as logged):\n";
  for (const auto& [rule, count] : summary.changed_by_rule)
    out << "  " << rule << ": " << count << "\n";
  out << "by status:\n";
  for (const auto& [statuses, count] : summary.changed_by_status)
    out << "  " << statuses.first << " -> " << statuses.second << ": " << count << "\n";
  out << "by result:\n";
  for (const auto& [results, count] : summary.changed_by_result)
    out << "  " << results.first << " -> " << results.second << ": " << count << "\n";
}

}  // namespace stepup::cli
