// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/decision_record.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <functional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/ascii.h"
#include "json/json_text.h"

namespace stepup::decisionlog {
namespace {

constexpr std::size_t kMinHashKeyBytes = 32;
// Headers that carry credentials: never logged, whatever the allow-list.
constexpr std::array<std::string_view, 4> kCredentialHeaders = {
    "authorization", "proxy-authorization", "cookie", "dpop"};
// The fields the token gives every record.
constexpr std::array<std::string_view, 5> kTokenFields = {"iss", "client_id", "acr", "auth_time",
                                                          "sub"};
constexpr std::array<std::string_view, 3> kRequestFields = {"path", "client_ip", "reason"};
constexpr std::string_view kTokenStandIn = "(token)";

bool is_token_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), common::is_tchar);
}

absl::Status check_mask_field(const DecisionLogOptions& options, std::size_t i,
                              std::string_view field) {
  const auto listed = [](const std::vector<std::string>& names, std::string_view name,
                         bool ignore_case) {
    for (const std::string& listed_name : names) {
      if (ignore_case ? common::equals_ignoring_ascii_case(listed_name, name) : listed_name == name)
        return true;
    }
    return false;
  };
  const std::string where = absl::StrCat("decision_log.masks[", i, "]");
  if (std::find(kTokenFields.begin(), kTokenFields.end(), field) != kTokenFields.end() ||
      std::find(kRequestFields.begin(), kRequestFields.end(), field) != kRequestFields.end()) {
    return absl::OkStatus();
  }
  if (field.starts_with("claims.")) {
    if (listed(options.claims, field.substr(7), false)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(where, ": \"", std::string(field),
                                                   "\" is not logged (add the claim to claims)"));
  }
  if (field.starts_with("headers.")) {
    if (listed(options.headers, field.substr(8), true)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(where, ": \"", std::string(field),
                                                   "\" is not logged (add the header to headers)"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": unknown field \"", std::string(field),
                   "\" (path, client_ip, reason, iss, client_id, acr, auth_time, sub, claims.NAME, "
                   "headers.NAME)"));
}

// Random bytes for decision ids, drawn from OpenSSL a block at a time.
void append_random_id(std::string& out) {
  constexpr std::size_t kIdBytes = 16;
  thread_local std::array<unsigned char, 64 * kIdBytes> pool;
  thread_local std::size_t used = pool.size();
  if (used == pool.size()) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) {
      ERR_clear_error();
      // Without randomness the id still tells records apart: this
      // thread, the time, and a count.
      thread_local uint64_t fallback = 0;
      const uint64_t thread = std::hash<std::thread::id>{}(std::this_thread::get_id());
      const uint64_t time =
          static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
      for (std::size_t i = 0; i < pool.size(); i += kIdBytes) {
        const uint64_t count = ++fallback ^ time;
        std::memcpy(pool.data() + i, &thread, sizeof thread);
        std::memcpy(pool.data() + i + sizeof thread, &count, sizeof count);
      }
    }
    used = 0;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < kIdBytes; ++i) {
    out += kHex[pool[used + i] >> 4];
    out += kHex[pool[used + i] & 15];
  }
  used += kIdBytes;
}

// The wall-clock time, RFC 3339 in UTC with milliseconds. Each thread keeps
// the text of the last second it formatted.
void append_time(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  thread_local std::time_t cached_second = -1;
  thread_local char cached_text[64];
  if (seconds != cached_second) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::snprintf(cached_text, sizeof cached_text, "\"%04d-%02d-%02dT%02d:%02d:%02d.",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec);
    cached_second = seconds;
  }
  out += cached_text;
  const int fraction = static_cast<int>(millis % 1000);
  out += static_cast<char>('0' + fraction / 100);
  out += static_cast<char>('0' + fraction / 10 % 10);
  out += static_cast<char>('0' + fraction % 10);
  out += "Z\"";
}

void append_names(std::string& out, const std::vector<std::string>& names) {
  out += '[';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    json_internal::append_json_quoted(out, names[i]);
  }
  out += ']';
}

// Parts of the Authorization header that no logged value may hold: every
// credential after its scheme (split at spaces and commas, 8 characters or
// more), and the last dot-separated segment of each (a signature alone).
std::vector<std::string_view> secret_pieces(std::optional<std::string_view> authorization) {
  std::vector<std::string_view> pieces;
  if (!authorization) return pieces;
  std::string_view rest = *authorization;
  while (!rest.empty()) {
    const std::size_t start = rest.find_first_not_of(" \t,");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const std::size_t end = std::min(rest.find_first_of(" \t,"), rest.size());
    const std::string_view piece = rest.substr(0, end);
    rest.remove_prefix(end);
    if (piece.size() < 8) continue;
    pieces.push_back(piece);
    const std::size_t dot = piece.rfind('.');
    if (dot != std::string_view::npos && piece.size() - dot - 1 >= 16)
      pieces.push_back(piece.substr(dot + 1));
  }
  return pieces;
}

bool holds_secret(std::string_view value, const std::vector<std::string_view>& pieces) {
  for (std::string_view piece : pieces) {
    if (value.find(piece) != std::string_view::npos) return true;
  }
  return false;
}

// A query parameter's name, percent-decoded and in lower case.
std::string parameter_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%' && i + 2 < name.size() && common::hex_digit_value(name[i + 1]) >= 0 &&
        common::hex_digit_value(name[i + 2]) >= 0) {
      out += common::ascii_lower(static_cast<char>(common::hex_digit_value(name[i + 1]) * 16 +
                                                   common::hex_digit_value(name[i + 2])));
      i += 2;
    } else {
      out += common::ascii_lower(name[i]);
    }
  }
  return out;
}

// The path, without its query unless asked; an access_token parameter's
// value, and any value holding a piece of the credentials, is "(token)".
std::string logged_path(std::string_view path, bool query,
                        const std::vector<std::string_view>& secrets) {
  const std::size_t mark = path.find('?');
  if (mark == std::string_view::npos) return std::string(path);
  if (!query) return std::string(path.substr(0, mark));
  std::string out(path.substr(0, mark + 1));
  std::string_view rest = path.substr(mark + 1);
  bool first = true;
  while (true) {
    const std::size_t separator = std::min(rest.find_first_of("&;"), rest.size());
    const std::string_view parameter = rest.substr(0, separator);
    if (!first) out += rest.data()[-1];  // The separator before this parameter.
    first = false;
    const std::size_t equals = parameter.find('=');
    const std::string_view name = parameter.substr(0, equals);
    if (equals != std::string_view::npos &&
        (parameter_name(name) == "access_token" || holds_secret(parameter, secrets))) {
      out += name;
      out += '=';
      out += kTokenStandIn;
    } else if (holds_secret(parameter, secrets)) {
      out += kTokenStandIn;
    } else {
      out += parameter;
    }
    if (separator == rest.size()) break;
    rest = rest.substr(separator + 1);
  }
  return out;
}

// Appends `,"name":value` by the field's rule: `text` is a string's value
// (`is_string`) or another value's JSON, and what a hash covers.
void append_field(std::string& out, const RecordSettings& settings, std::string_view field,
                  std::string_view name, std::string_view text, bool is_string) {
  const LogFieldAction action = settings.action(field);
  if (action == LogFieldAction::kDrop) return;
  out += ',';
  json_internal::append_json_quoted(out, name);
  out += ':';
  if (action == LogFieldAction::kHash) {
    json_internal::append_json_quoted(out, settings.hasher->hash(text));
  } else if (is_string) {
    json_internal::append_json_quoted(out, text);
  } else {
    out += text;
  }
}

void append_string_field(std::string& out, const RecordSettings& settings, std::string_view field,
                         std::string_view name, std::string_view value) {
  append_field(out, settings, field, name, value, /*is_string=*/true);
}

void append_claim(std::string& out, const RecordSettings& settings, std::string_view field,
                  std::string_view name, json_internal::JsonRef value) {
  if (!value) return;
  if (value.is_string()) {
    append_string_field(out, settings, field, name, value.as_string());
  } else if (value.is_integer()) {
    append_field(out, settings, field, name, std::to_string(value.as_integer()), false);
  } else {
    append_field(out, settings, field, name, json_internal::to_json_text(value), false);
  }
}

// The first header of this name (case-insensitive), or nullopt.
std::optional<std::string_view> find_header(const Request& request, std::string_view name) {
  for (const Header& header : request.headers) {
    if (common::equals_ignoring_ascii_case(header.name, name)) return header.value;
  }
  return std::nullopt;
}

std::string_view credentials_name(Credentials credentials) {
  switch (credentials) {
    case Credentials::kBearer:
      return "bearer";
    case Credentials::kDpop:
      return "dpop";
    case Credentials::kValidatedClaims:
      return "validated_claims";
    case Credentials::kNone:
      break;
  }
  return "none";
}

}  // namespace

absl::StatusOr<RecordSettings> RecordSettings::compile(const DecisionLogOptions& options) {
  RecordSettings settings;
  if (!(options.permit_sample_rate >= 0.0 && options.permit_sample_rate <= 1.0)) {
    return absl::InvalidArgumentError("decision_log.permit_sample_rate: must be from 0 to 1");
  }
  if (options.queue_capacity == 0 || options.queue_capacity > (std::size_t{1} << 24)) {
    return absl::InvalidArgumentError("decision_log.queue_capacity: must be from 1 to 16777216");
  }
  settings.permit_sample_rate = options.permit_sample_rate;
  settings.query = options.query;
  for (std::size_t i = 0; i < options.claims.size(); ++i) {
    const std::string& name = options.claims[i];
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("decision_log.claims[", i, "]: empty"));
    }
    if (std::find(kTokenFields.begin(), kTokenFields.end(), name) != kTokenFields.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("decision_log.claims[", i, "]: \"", name, "\" is logged already"));
    }
    if (std::find(settings.claims.begin(), settings.claims.end(), name) != settings.claims.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("decision_log.claims[", i, "]: \"", name, "\" is listed twice"));
    }
    settings.claims.push_back(name);
  }
  for (std::size_t i = 0; i < options.headers.size(); ++i) {
    const std::string name = common::to_ascii_lower(options.headers[i]);
    const std::string where = absl::StrCat("decision_log.headers[", i, "]");
    if (!is_token_name(name)) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": not a header name"));
    }
    if (std::find(kCredentialHeaders.begin(), kCredentialHeaders.end(), name) !=
        kCredentialHeaders.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": \"", name, "\" carries credentials and is never logged"));
    }
    if (std::find(settings.headers.begin(), settings.headers.end(), name) !=
        settings.headers.end()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": \"", name, "\" is listed twice"));
    }
    settings.headers.push_back(name);
  }
  settings.actions["sub"] = LogFieldAction::kHash;
  for (std::size_t i = 0; i < options.masks.size(); ++i) {
    const LogMask& mask = options.masks[i];
    if (absl::Status checked = check_mask_field(options, i, mask.field); !checked.ok()) {
      return checked;
    }
    std::string field = mask.field;
    if (field.starts_with("headers.")) field = "headers." + common::to_ascii_lower(field.substr(8));
    settings.actions[field] = mask.action;
  }
  if (!options.hash_key.empty()) {
    if (options.hash_key.size() < kMinHashKeyBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("decision_log.hash_key: shorter than ", kMinHashKeyBytes, " bytes"));
    }
  }
  std::string key = options.hash_key;
  if (key.empty()) {
    key.resize(kMinHashKeyBytes);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) !=
        1) {
      ERR_clear_error();
      return absl::InternalError("decision_log.hash_key: no random bytes for a key");
    }
  }
  absl::StatusOr<std::shared_ptr<const FieldHasher>> hasher = FieldHasher::create(key);
  OPENSSL_cleanse(key.data(), key.size());
  if (!hasher.ok()) return hasher.status();
  settings.hasher = *std::move(hasher);
  return settings;
}

LogFieldAction RecordSettings::action(std::string_view field) const {
  const auto found = actions.find(field);
  return found == actions.end() ? LogFieldAction::kKeep : found->second;
}

std::string format_record(const RecordSettings& settings, const Decision& decision,
                          const RecordContext& context) {
  const Request& request = *context.request;
  std::string out;
  out.reserve(512);
  out += "{\"time\":";
  append_time(out);
  out += ",\"decision_id\":\"";
  append_random_id(out);
  out += "\",\"decided_at\":";
  out += std::to_string(context.decided_at);
  out += ",\"method\":";
  json_internal::append_json_quoted(out, request.method);
  const std::vector<std::string_view> secrets = settings.query || !settings.headers.empty()
                                                    ? secret_pieces(request.authorization)
                                                    : std::vector<std::string_view>{};
  append_string_field(out, settings, "path", "path",
                      logged_path(request.path, settings.query, secrets));
  if (!request.client_ip.empty())
    append_string_field(out, settings, "client_ip", "client_ip", request.client_ip);
  out += ",\"credentials\":\"";
  out += credentials_name(context.credentials);
  out += "\",\"result\":";
  json_internal::append_json_quoted(out, policy_result_name(decision.result));
  out += ",\"status\":";
  out += std::to_string(decision.status);
  out += ",\"error\":";
  json_internal::append_json_quoted(out, decision.error);
  if (decision.token_error != TokenError::kOk) {
    out += ",\"token_error\":";
    json_internal::append_json_quoted(out, token_error_name(decision.token_error));
  }
  append_string_field(out, settings, "reason", "reason", decision.reason);
  out += ",\"rule\":";
  append_names(out, decision.determining_rule);
  if (decision.step_up) {
    out += ",\"step_up\":{\"acr_values\":";
    append_names(out, decision.step_up->acr_values);
    if (decision.step_up->max_age) {
      out += ",\"max_age\":";
      out += std::to_string(*decision.step_up->max_age);
    }
    out += '}';
  }
  out += ",\"generation\":";
  out += std::to_string(context.generation);
  if (context.claims) {
    for (std::string_view name : kTokenFields)
      append_claim(out, settings, name, name, context.claims.find(name));
    const json_internal::JsonRef auth_time = context.claims.find("auth_time");
    int64_t age = 0;
    if (auth_time.is_integer() && settings.action("auth_time") == LogFieldAction::kKeep &&
        !__builtin_sub_overflow(context.decided_at, auth_time.as_integer(), &age)) {
      out += ",\"age\":";
      out += std::to_string(age);
    }
    bool opened = false;
    for (const std::string& name : settings.claims) {
      const json_internal::JsonRef value = context.claims.find(name);
      if (!value) continue;
      const std::string field = "claims." + name;
      if (settings.action(field) == LogFieldAction::kDrop) continue;
      out += opened ? "" : ",\"claims\":{";
      opened = true;
      const std::size_t before = out.size();
      append_claim(out, settings, field, name, value);
      if (out[before] == ',' && out[before - 1] == '{') out.erase(before, 1);
    }
    if (opened) out += '}';
  }
  bool opened = false;
  for (const std::string& name : settings.headers) {
    const std::optional<std::string_view> value = find_header(request, name);
    const std::string field = "headers." + name;
    if (!value || settings.action(field) == LogFieldAction::kDrop) continue;
    out += opened ? "" : ",\"headers\":{";
    opened = true;
    const std::size_t before = out.size();
    append_string_field(out, settings, field, name,
                        holds_secret(*value, secrets) ? kTokenStandIn : *value);
    if (out[before] == ',' && out[before - 1] == '{') out.erase(before, 1);
  }
  if (opened) out += '}';
  if (context.shadow != nullptr) {
    out += ",\"shadow\":{\"result\":";
    json_internal::append_json_quoted(out, policy_result_name(context.shadow->result));
    out += ",\"status\":";
    out += std::to_string(context.shadow->status);
    out += ",\"rule\":";
    append_names(out, context.shadow->determining_rule);
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace stepup::decisionlog
