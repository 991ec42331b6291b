// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/sideband.h"

#include <optional>
#include <string>
#include <vector>

#include "gateway/decision_view.h"
#include "gateway/http_text.h"
#include "gateway/json_input.h"
#include "gateway/json_writer.h"
#include "gateway/replies.h"
#include "stepup/request.h"

namespace stepup::gateway {
namespace {

using Kind = JsonValue::Kind;

// The header list at `name` of `object`: a list of single-member objects
// with string values, as Ping's clients send them. An empty object (what a
// Lua JSON encoder makes of an empty list) is an empty list. nullptr when
// absent; an error when malformed.
const JsonValue* read_header_list(const JsonValue& object, std::string_view base,
                                  std::string_view name, bool required, FieldReader& fields) {
  const JsonValue* headers = object.find(name);
  const std::string path = member_path(base, name);
  if (headers == nullptr || headers->is_null()) {
    if (required) fields.fail("missing (must be a list of headers)", path);
    return nullptr;
  }
  if (headers->is_object() && headers->members().empty()) return headers;
  if (!headers->is_array()) {
    fields.fail("must be a list of single-member objects, such as [{\"accept\": \"*/*\"}]", path);
    return nullptr;
  }
  for (std::size_t i = 0; i < headers->items().size(); ++i) {
    const JsonValue& entry = headers->items()[i];
    if (!entry.is_object() || entry.members().size() != 1 ||
        !entry.members().front().value.is_string() || entry.members().front().name.empty()) {
      fields.fail("must be an object with one member, a header name and its string value",
                  item_path(path, i));
      return nullptr;
    }
  }
  return headers;
}

// Writes a header list read by read_header_list (nullptr: an empty one).
void write_header_list(JsonWriter& json, const JsonValue* headers) {
  json.begin_array();
  if (headers != nullptr && headers->is_array()) {
    for (const JsonValue& entry : headers->items())
      json.value(entry);
  }
  json.end_array();
}

// The inbound request of a sideband call, read and checked.
struct SidebandRequest {
  const JsonValue* method = nullptr;
  const JsonValue* url = nullptr;
  const JsonValue* headers = nullptr;
  const JsonValue* source_ip = nullptr;
  std::string target;
};

std::optional<InputError> read_request(const JsonValue& root, SidebandRequest& out) {
  FieldReader fields;
  out.method = fields.required(root, "", "method", Kind::kString);
  out.url = fields.required(root, "", "url", Kind::kString);
  out.headers = read_header_list(root, "", "headers", /*required=*/true, fields);
  fields.optional(root, "", "body", Kind::kString);
  out.source_ip = fields.optional(root, "", "source_ip", Kind::kString);
  fields.optional(root, "", "http_version", Kind::kString);
  fields.optional(root, "", "client_certificate", Kind::kObject);
  if (const JsonValue* port = root.find("source_port");
      port != nullptr && !port->is_null() && !port->is_string() && !port->is_integer()) {
    fields.fail("must be a string or an integer", "source_port");
  }
  if (fields.error()) return fields.error();
  if (!is_http_token(out.method->as_string())) {
    return InputError{"must be an HTTP method (an RFC 9110 token)", "method"};
  }
  const std::optional<std::string> target = request_target(out.url->as_string());
  if (!target) {
    return InputError{
        "must be an absolute URL (https://host/path) or a path starting with '/', without a "
        "fragment",
        "url"};
  }
  out.target = *target;
  return std::nullopt;
}

// Every member of the request as received, but "state" and "response",
// which would change the meaning of the answer, and a new "state".
std::string forward_request(const JsonValue& root, const std::string& state) {
  JsonWriter json;
  json.begin_object();
  for (const JsonMember& member : root.members()) {
    if (member.name == "state" || member.name == "response") continue;
    json.key(member.name).value(member.value);
  }
  if (!state.empty()) json.key("state").string(state);
  json.end_object();
  return json.text();
}

std::string replacement_response(const Decision& decision) {
  const DecisionView view = view_decision(decision);
  JsonWriter error_body;
  error_body.begin_object();
  error_body.key("error").string(view.error);
  error_body.key("error_description").string(view.error_description);
  error_body.end_object();

  JsonWriter json;
  json.begin_object().key("response").begin_object();
  json.key("response_code").string(std::to_string(decision.status));
  json.key("response_status").string(reason_phrase(decision.status));
  json.key("headers").begin_array();
  if (!decision.www_authenticate.empty()) {
    json.begin_object().key("WWW-Authenticate").string(decision.www_authenticate).end_object();
  }
  if (decision.retry_after_seconds > 0) {
    json.begin_object()
        .key("Retry-After")
        .string(std::to_string(decision.retry_after_seconds))
        .end_object();
  }
  json.begin_object().key("Content-Type").string("application/json").end_object();
  json.begin_object().key("Cache-Control").string("no-store").end_object();
  json.end_array();
  json.key("body").string(error_body.text());
  json.end_object().end_object();
  return json.text();
}

// The status code of a response call: a string of three digits or an
// integer, from 100 to 599.
std::optional<int> read_status_code(const JsonValue& value) {
  if (value.is_integer()) {
    const int64_t code = value.as_integer();
    if (code >= 100 && code <= 599) return static_cast<int>(code);
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string_view text = value.as_string();
  if (text.size() != 3) return std::nullopt;
  int code = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    code = code * 10 + (c - '0');
  }
  if (code < 100) return std::nullopt;
  return code;
}

// The upstream response of a response call, found at `base` of `object`,
// written back as the answer.
std::optional<InputError> answer_upstream(const JsonValue& object, std::string_view base,
                                          std::string& answer) {
  FieldReader fields;
  const JsonValue* code = object.find("response_code");
  const std::string code_path = member_path(base, "response_code");
  if (code == nullptr || code->is_null()) {
    return InputError{"missing (must be a status code such as \"200\")", code_path};
  }
  const std::optional<int> status = read_status_code(*code);
  if (!status) {
    return InputError{"must be a status code from 100 to 599, as a string or an integer",
                      code_path};
  }
  const JsonValue* reason = fields.optional(object, base, "response_status", Kind::kString);
  const JsonValue* body = fields.optional(object, base, "body", Kind::kString);
  const JsonValue* headers = read_header_list(object, base, "headers", /*required=*/false, fields);
  if (fields.error()) return fields.error();

  JsonWriter json;
  json.begin_object();
  json.key("response_code").string(std::to_string(*status));
  json.key("response_status")
      .string(reason != nullptr ? reason->as_string() : reason_phrase(*status));
  json.key("headers");
  write_header_list(json, headers);
  if (body != nullptr) json.key("body").string(body->as_string());
  json.end_object();
  answer = json.text();
  return std::nullopt;
}

std::optional<InputError> read_response_call(const SidebandStateSigner& signer, int64_t now,
                                             const JsonValue& root, std::string& answer) {
  // The older nested form.
  if (root.find("response_code") == nullptr) {
    if (const JsonValue* nested = root.find("response"); nested != nullptr && nested->is_object()) {
      FieldReader fields;
      fields.required(root, "", "request", Kind::kObject);
      if (fields.error()) return fields.error();
      return answer_upstream(*nested, "response", answer);
    }
  }
  FieldReader fields;
  const JsonValue* method = fields.optional(root, "", "method", Kind::kString);
  const JsonValue* url = fields.optional(root, "", "url", Kind::kString);
  fields.optional(root, "", "http_version", Kind::kString);
  const JsonValue* state = fields.optional(root, "", "state", Kind::kString);
  const JsonValue* request = fields.optional(root, "", "request", Kind::kObject);
  if (fields.error()) return fields.error();
  if (state == nullptr && request == nullptr) {
    return InputError{
        "missing: the call needs \"state\" (from the request call's answer) or "
        "\"request\" (the original request)",
        "state"};
  }
  if (state != nullptr) {
    const StateError error = signer.check(
        state->as_string(),
        method != nullptr ? std::optional<std::string_view>(method->as_string()) : std::nullopt,
        url != nullptr ? std::optional<std::string_view>(url->as_string()) : std::nullopt, now);
    if (error != StateError::kOk)
      return InputError{std::string(state_error_message(error)), "state"};
  }
  return answer_upstream(root, "", answer);
}

}  // namespace

void handle_sideband_request(const Engine& engine, const SidebandStateSigner& signer, int64_t now,
                             std::string_view body, HttpResponse& response) {
  JsonValue root;
  if (const std::optional<InputError> error = parse_body(body, root)) {
    reply_input_error(response, *error);
    return;
  }
  SidebandRequest request;
  if (const std::optional<InputError> error = read_request(root, request)) {
    reply_input_error(response, *error);
    return;
  }

  std::optional<std::string> authorization;
  std::vector<Header> headers;
  if (request.headers->is_array()) {
    headers.reserve(request.headers->items().size());
    for (const JsonValue& entry : request.headers->items()) {
      const JsonMember& header = entry.members().front();
      if (equals_ignoring_case(header.name, "authorization")) {
        // Repeated fields combine as HTTP does (RFC 9110 §5.3); two
        // credentials then make one malformed value, a 400 invalid_request.
        if (authorization) {
          *authorization += ", ";
          *authorization += header.value.as_string();
        } else {
          authorization = std::string(header.value.as_string());
        }
      } else {
        headers.push_back({header.name, header.value.as_string()});
      }
    }
  }

  Request decide_request;
  decide_request.method = request.method->as_string();
  decide_request.path = request.target;
  if (authorization) decide_request.authorization = *authorization;
  decide_request.headers = headers;
  if (request.source_ip != nullptr) decide_request.client_ip = request.source_ip->as_string();
  const Decision decision = engine.decide(decide_request);

  if (!decision.authorized) {
    reply_json(response, 200, replacement_response(decision));
    return;
  }
  const std::string state =
      signer.issue(request.method->as_string(), request.url->as_string(), now);
  reply_json(response, 200, forward_request(root, state));
}

void handle_sideband_response(const SidebandStateSigner& signer, int64_t now, std::string_view body,
                              HttpResponse& response) {
  JsonValue root;
  if (const std::optional<InputError> error = parse_body(body, root)) {
    reply_input_error(response, *error);
    return;
  }
  std::string answer;
  if (const std::optional<InputError> error = read_response_call(signer, now, root, answer)) {
    reply_input_error(response, *error);
    return;
  }
  reply_json(response, 200, std::move(answer));
}

}  // namespace stepup::gateway
