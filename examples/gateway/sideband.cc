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

// Checks `headers`, a list of single-member objects with string values, as
// PingAuthorize sends them.
void check_header_list(const JsonValue& headers, std::string_view path, FieldReader& fields) {
  for (std::size_t i = 0; i < headers.items().size(); ++i) {
    const JsonValue& entry = headers.items()[i];
    if (!entry.is_object() || entry.members().size() != 1 ||
        !entry.members().front().value.is_string() || entry.members().front().name.empty()) {
      fields.fail("must be an object with one member, a header name and its string value",
                  item_path(path, i));
      return;
    }
  }
}

// The inbound request of a sideband call, read and checked.
struct SidebandRequest {
  const JsonValue* method = nullptr;
  const JsonValue* url = nullptr;
  const JsonValue* headers = nullptr;
  const JsonValue* body = nullptr;
  const JsonValue* source_ip = nullptr;
  std::string target;
};

std::optional<InputError> read_request(const JsonValue& root, SidebandRequest& out) {
  FieldReader fields;
  out.method = fields.required(root, "", "method", Kind::kString);
  out.url = fields.required(root, "", "url", Kind::kString);
  out.headers = fields.required(root, "", "headers", Kind::kArray);
  out.body = fields.optional(root, "", "body", Kind::kString);
  out.source_ip = fields.optional(root, "", "source_ip", Kind::kString);
  fields.optional(root, "", "http_version", Kind::kString);
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
    return InputError{"must be an absolute URL (https://host/path) or a path starting with '/'",
                      "url"};
  }
  out.target = *target;
  check_header_list(*out.headers, "headers", fields);
  return fields.error();
}

std::string forward_request(const SidebandRequest& request) {
  JsonWriter json;
  json.begin_object();
  json.key("method").string(request.method->as_string());
  json.key("url").string(request.url->as_string());
  json.key("headers").value(*request.headers);
  if (request.body != nullptr) json.key("body").string(request.body->as_string());
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
  json.begin_object().key("Content-Type").string("application/json").end_object();
  json.end_array();
  json.key("body").string(error_body.text());
  json.end_object().end_object();
  return json.text();
}

}  // namespace

void handle_sideband_request(const Engine& engine, std::string_view body,
                             httplib::Response& response) {
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
  headers.reserve(request.headers->items().size());
  for (const JsonValue& entry : request.headers->items()) {
    const JsonMember& header = entry.members().front();
    if (ascii_lower(header.name) == "authorization") {
      // Repeated fields combine as HTTP does (RFC 9110 §5.3); two credentials
      // then make one malformed value, a 400 invalid_request.
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

  Request decide_request;
  decide_request.method = request.method->as_string();
  decide_request.path = request.target;
  if (authorization) decide_request.authorization = *authorization;
  decide_request.headers = headers;
  if (request.source_ip != nullptr) decide_request.client_ip = request.source_ip->as_string();
  const Decision decision = engine.decide(decide_request);

  reply_json(response, 200,
             decision.authorized ? forward_request(request) : replacement_response(decision));
}

void handle_sideband_response(std::string_view body, httplib::Response& response) {
  JsonValue root;
  if (const std::optional<InputError> error = parse_body(body, root)) {
    reply_input_error(response, *error);
    return;
  }
  FieldReader fields;
  fields.required(root, "", "request", Kind::kObject);
  const JsonValue* upstream = fields.required(root, "", "response", Kind::kObject);
  if (upstream != nullptr) {
    fields.optional(*upstream, "response", "response_code", Kind::kString);
    fields.optional(*upstream, "response", "response_status", Kind::kString);
    fields.optional(*upstream, "response", "body", Kind::kString);
    if (const JsonValue* headers =
            fields.optional(*upstream, "response", "headers", Kind::kArray)) {
      check_header_list(*headers, "response.headers", fields);
    }
  }
  if (fields.error()) {
    reply_input_error(response, *fields.error());
    return;
  }
  JsonWriter json;
  json.value(*upstream);
  reply_json(response, 200, json.text());
}

}  // namespace stepup::gateway
