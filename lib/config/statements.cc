// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/statements.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/ascii.h"
#include "config/json_fields.h"

namespace stepup::config {
namespace {

// An optional header-safe text member (it goes into a challenge parameter).
absl::StatusOr<std::optional<std::string>> read_header_text(const JsonValue& payload,
                                                            std::string_view key,
                                                            const std::string& path) {
  const JsonValue* text = payload.find(key);
  if (text == nullptr) return std::nullopt;
  if (!text->is_string() || !is_header_safe(text->as_string())) {
    return error_at(member_path(path, key),
                    "must be printable ASCII without '\"' or '\\' (it goes into a header)");
  }
  return std::string(text->as_string());
}

absl::StatusOr<challenge::StepUpDemand> compile_auth_challenge(
    const JsonValue& payload, const std::string& path, const std::vector<std::string>& acr_levels) {
  if (absl::Status s =
          check_members(payload, path, {"min_acr", "acr_values", "max_age", "error_description"});
      !s.ok()) {
    return s;
  }
  const JsonValue* min_acr = payload.find("min_acr");
  const JsonValue* acr_values = payload.find("acr_values");
  const JsonValue* max_age = payload.find("max_age");
  if (min_acr == nullptr && acr_values == nullptr && max_age == nullptr) {
    return error_at(path, "an auth-challenge needs min_acr, acr_values or max_age");
  }
  if (min_acr != nullptr && acr_values != nullptr) {
    return error_at(path, "give min_acr or acr_values, not both");
  }
  challenge::StepUpDemand demand;
  if (min_acr != nullptr) {
    if (!min_acr->is_string()) return error_at(member_path(path, "min_acr"), "must be a string");
    if (acr_levels.empty()) {
      return error_at(member_path(path, "min_acr"), "needs the document's acr_levels");
    }
    const auto from = std::find(acr_levels.begin(), acr_levels.end(), min_acr->as_string());
    if (from == acr_levels.end()) {
      return error_at(member_path(path, "min_acr"),
                      "\"" + std::string(min_acr->as_string()) + "\" is not one of acr_levels");
    }
    demand.acr_values.assign(from, acr_levels.end());
  }
  if (acr_values != nullptr) {
    if (!acr_values->is_array() || acr_values->items().empty()) {
      return error_at(member_path(path, "acr_values"), "must be a non-empty list of strings");
    }
    for (std::size_t i = 0; i < acr_values->items().size(); ++i) {
      const JsonValue& item = acr_values->items()[i];
      if (!item.is_string() || !is_space_free_header_safe(item.as_string())) {
        return error_at(index_path(member_path(path, "acr_values"), i),
                        "must be printable ASCII without spaces, '\"' or '\\'");
      }
      demand.acr_values.emplace_back(item.as_string());
    }
  }
  if (max_age != nullptr) {
    if (!max_age->is_integer() || max_age->as_integer() < 0) {
      return error_at(member_path(path, "max_age"), "must be a non-negative integer");
    }
    demand.max_age = max_age->as_integer();
  }
  absl::StatusOr<std::optional<std::string>> description =
      read_header_text(payload, "error_description", path);
  if (!description.ok()) return description.status();
  demand.error_description = *std::move(description);
  return demand;
}

absl::StatusOr<policy::DeniedReason> compile_denied_reason(const JsonValue& payload,
                                                           const std::string& path) {
  if (absl::Status s =
          check_members(payload, path, {"status", "message", "detail", "error", "scope"});
      !s.ok()) {
    return s;
  }
  policy::DeniedReason denied;
  if (const JsonValue* status = payload.find("status")) {
    if (!status->is_integer() || status->as_integer() < 400 || status->as_integer() > 599) {
      return error_at(member_path(path, "status"), "must be an HTTP status from 400 to 599");
    }
    denied.status = static_cast<int>(status->as_integer());
  }
  if (const JsonValue* detail = payload.find("detail")) {
    // The detail goes into Decision::reason, which hosts log: no line breaks.
    if (!detail->is_string() || common::has_ctl(detail->as_string())) {
      return error_at(member_path(path, "detail"), "must be a string without control characters");
    }
    denied.detail = std::string(detail->as_string());
  }
  absl::StatusOr<std::optional<std::string>> message = read_header_text(payload, "message", path);
  if (!message.ok()) return message.status();
  denied.message = *std::move(message);
  if (const JsonValue* error = payload.find("error")) {
    if (!error->is_string() || !is_space_free_header_safe(error->as_string())) {
      return error_at(member_path(path, "error"),
                      "must be an error code (printable ASCII, no spaces)");
    }
    denied.error = std::string(error->as_string());
  }
  if (const JsonValue* scope = payload.find("scope")) {
    if (!scope->is_string() || scope->as_string().empty() || !is_header_safe(scope->as_string())) {
      return error_at(member_path(path, "scope"), "must be space-separated scope tokens");
    }
    if (!denied.error) {
      return error_at(member_path(path, "scope"), "needs \"error\" (such as insufficient_scope)");
    }
    denied.scope = std::string(scope->as_string());
  }
  return denied;
}

absl::StatusOr<policy::PolicyStatement> load_statement(const JsonValue& value,
                                                       const std::string& path,
                                                       const std::vector<std::string>& acr_levels) {
  if (!value.is_object()) return error_at(path, "must be an object");
  if (absl::Status s =
          check_members(value, path, {"code", "name", "applies_to", "obligatory", "payload"});
      !s.ok()) {
    return s;
  }
  policy::PolicyStatement compiled;
  Statement& statement = compiled.reported;
  absl::StatusOr<std::string> code = read_string(value, "code", path, true);
  absl::StatusOr<std::string> name = read_string(value, "name", path, false);
  absl::StatusOr<bool> obligatory = read_bool(value, "obligatory", path);
  if (!code.ok()) return code.status();
  if (!name.ok()) return name.status();
  if (!obligatory.ok()) return obligatory.status();
  if (code->empty()) return error_at(member_path(path, "code"), "must not be empty");
  statement.code = *code;
  statement.name = *name;
  statement.obligatory = *obligatory;
  const bool is_challenge = statement.code == "auth-challenge";
  const bool is_denied = statement.code == "denied-reason";
  if (const JsonValue* applies = value.find("applies_to")) {
    const std::string_view text = applies->as_string();
    if (applies->is_string() && text == "permit") {
      statement.applies_to = AppliesTo::kPermit;
    } else if (applies->is_string() && text == "deny") {
      statement.applies_to = AppliesTo::kDeny;
    } else if (applies->is_string() && text == "permit-or-deny") {
      statement.applies_to = AppliesTo::kPermitOrDeny;
    } else {
      return error_at(member_path(path, "applies_to"),
                      "must be \"permit\", \"deny\" or \"permit-or-deny\"");
    }
  } else if (!is_challenge && !is_denied) {
    return error_at(path,
                    "missing required key \"applies_to\" (only auth-challenge and "
                    "denied-reason default to \"deny\")");
  }
  if (const JsonValue* payload = value.find("payload")) {
    if (!payload->is_object()) return error_at(member_path(path, "payload"), "must be an object");
    statement.payload = *payload;
  } else {
    statement.payload = JsonValue::object({});
  }
  const std::string payload_path = member_path(path, "payload");
  if (is_challenge) {
    absl::StatusOr<challenge::StepUpDemand> demand =
        compile_auth_challenge(statement.payload, payload_path, acr_levels);
    if (!demand.ok()) return demand.status();
    compiled.meaning = *std::move(demand);
  } else if (is_denied) {
    absl::StatusOr<policy::DeniedReason> reason =
        compile_denied_reason(statement.payload, payload_path);
    if (!reason.ok()) return reason.status();
    compiled.meaning = *std::move(reason);
  }
  return compiled;
}

}  // namespace

absl::Status load_statements(const JsonValue& node, const std::string& parent,
                             const std::vector<std::string>& acr_levels,
                             std::vector<policy::PolicyStatement>& out) {
  const JsonValue* list = node.find("statements");
  if (list == nullptr) return absl::OkStatus();
  const std::string path = member_path(parent, "statements");
  if (!list->is_array()) return error_at(path, "must be a list");
  for (std::size_t i = 0; i < list->items().size(); ++i) {
    absl::StatusOr<policy::PolicyStatement> statement =
        load_statement(list->items()[i], index_path(path, i), acr_levels);
    if (!statement.ok()) return statement.status();
    out.push_back(*std::move(statement));
  }
  return absl::OkStatus();
}

}  // namespace stepup::config
