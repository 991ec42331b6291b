// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/authzen.h"

#include <array>
#include <optional>
#include <string>
#include <utility>
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

// One member of the 4-tuple and the JSON path it was found at.
struct Part {
  const JsonValue* value = nullptr;
  std::string path;
};

// subject, action, resource, context.
constexpr std::array<std::string_view, 4> kPartNames = {"subject", "action", "resource", "context"};
using Tuple = std::array<Part, 4>;

// What one evaluation asks, as a stepup request.
struct AccessRequest {
  std::string method;
  std::string path;
  std::optional<std::string> authorization;
  std::string client_ip;
};

Tuple tuple_of(const JsonValue& object, std::string_view path) {
  Tuple tuple;
  for (std::size_t i = 0; i < kPartNames.size(); ++i) {
    const JsonValue* value = object.find(kPartNames[i]);
    if (value != nullptr && !value->is_null()) {
      tuple[i] = {value, member_path(path, kPartNames[i])};
    }
  }
  return tuple;
}

std::optional<InputError> read_tuple(const Tuple& tuple, AccessRequest& out) {
  FieldReader fields;
  for (std::size_t i = 0; i < 3; ++i) {
    if (tuple[i].value == nullptr) {
      return InputError{"missing (must be an object)",
                        tuple[i].path.empty() ? std::string(kPartNames[i]) : tuple[i].path};
    }
    if (!tuple[i].value->is_object()) return InputError{"must be an object", tuple[i].path};
  }
  const auto& [subject, action, resource, context] = tuple;

  fields.required(*subject.value, subject.path, "type", Kind::kString);
  fields.required(*subject.value, subject.path, "id", Kind::kString);
  const std::string subject_properties_path = member_path(subject.path, "properties");
  const JsonValue* token = nullptr;
  const JsonValue* ip_address = nullptr;
  if (const JsonValue* properties =
          fields.optional(*subject.value, subject.path, "properties", Kind::kObject)) {
    token = fields.optional(*properties, subject_properties_path, "token", Kind::kString);
    ip_address = fields.optional(*properties, subject_properties_path, "ip_address", Kind::kString);
  }

  const JsonValue* name = fields.required(*action.value, action.path, "name", Kind::kString);

  fields.required(*resource.value, resource.path, "type", Kind::kString);
  const JsonValue* id = fields.required(*resource.value, resource.path, "id", Kind::kString);
  const std::string resource_properties_path = member_path(resource.path, "properties");
  const JsonValue* path = nullptr;
  if (const JsonValue* properties =
          fields.optional(*resource.value, resource.path, "properties", Kind::kObject)) {
    path = fields.optional(*properties, resource_properties_path, "path", Kind::kString);
  }

  const JsonValue* client_ip = nullptr;
  if (context.value != nullptr) {
    if (!context.value->is_object()) return InputError{"must be an object", context.path};
    client_ip = fields.optional(*context.value, context.path, "client_ip", Kind::kString);
  }
  if (fields.error()) return fields.error();

  if (!is_http_token(name->as_string())) {
    return InputError{"must be an HTTP method (an RFC 9110 token)",
                      member_path(action.path, "name")};
  }
  const std::optional<std::string> target =
      request_target(path != nullptr ? path->as_string() : id->as_string());
  if (!target) {
    return InputError{"must be an absolute URL (https://host/path) or a path starting with '/'",
                      path != nullptr ? member_path(resource_properties_path, "path")
                                      : member_path(resource.path, "id")};
  }

  out.method = std::string(name->as_string());
  out.path = *target;
  if (token != nullptr) out.authorization = "Bearer " + std::string(token->as_string());
  if (client_ip != nullptr) {
    out.client_ip = std::string(client_ip->as_string());
  } else if (ip_address != nullptr) {
    out.client_ip = std::string(ip_address->as_string());
  }
  return std::nullopt;
}

Decision evaluate(const Engine& engine, const AccessRequest& access) {
  Request request;
  request.method = access.method;
  request.path = access.path;
  if (access.authorization) request.authorization = *access.authorization;
  request.client_ip = access.client_ip;
  return engine.decide(request);
}

void write_result(JsonWriter& json, const Decision& decision) {
  json.begin_object().key("decision").boolean(decision.authorized);
  if (!decision.authorized) {
    const DecisionView view = view_decision(decision);
    json.key("context").begin_object();
    json.key("status").integer(decision.status);
    if (!decision.error.empty()) json.key("error").string(decision.error);
    if (!view.acr_values.empty()) {
      json.key("acr_values").begin_array();
      for (const std::string& acr : view.acr_values)
        json.string(acr);
      json.end_array();
    }
    if (view.max_age) json.key("max_age").integer(*view.max_age);
    if (view.scope) json.key("scope").string(*view.scope);
    if (!decision.www_authenticate.empty()) {
      json.key("www_authenticate").string(decision.www_authenticate);
    }
    json.key("reason_user").begin_object().key("en").string(view.error_description).end_object();
    json.end_object();
  }
  json.end_object();
}

enum class Semantic { kExecuteAll, kDenyOnFirstDeny, kPermitOnFirstPermit };

std::optional<InputError> read_semantic(const JsonValue& root, Semantic& out) {
  FieldReader fields;
  out = Semantic::kExecuteAll;
  const JsonValue* options = fields.optional(root, "", "options", Kind::kObject);
  const JsonValue* semantic =
      options == nullptr
          ? nullptr
          : fields.optional(*options, "options", "evaluations_semantic", Kind::kString);
  if (fields.error()) return fields.error();
  if (semantic == nullptr) return std::nullopt;
  if (semantic->as_string() == "execute_all") return std::nullopt;
  if (semantic->as_string() == "deny_on_first_deny") {
    out = Semantic::kDenyOnFirstDeny;
  } else if (semantic->as_string() == "permit_on_first_permit") {
    out = Semantic::kPermitOnFirstPermit;
  } else {
    return InputError{"must be execute_all, deny_on_first_deny or permit_on_first_permit",
                      "options.evaluations_semantic"};
  }
  return std::nullopt;
}

void answer_single(const Engine& engine, const JsonValue& root, httplib::Response& response) {
  AccessRequest access;
  if (const std::optional<InputError> error = read_tuple(tuple_of(root, ""), access)) {
    reply_input_error(response, *error);
    return;
  }
  JsonWriter json;
  write_result(json, evaluate(engine, access));
  reply_json(response, 200, json.text());
}

}  // namespace

void handle_authzen_evaluation(const Engine& engine, std::string_view body,
                               httplib::Response& response) {
  JsonValue root;
  if (const std::optional<InputError> error = parse_body(body, root)) {
    reply_input_error(response, *error);
    return;
  }
  answer_single(engine, root, response);
}

void handle_authzen_evaluations(const Engine& engine, std::string_view body,
                                httplib::Response& response) {
  JsonValue root;
  if (const std::optional<InputError> error = parse_body(body, root)) {
    reply_input_error(response, *error);
    return;
  }
  FieldReader fields;
  const JsonValue* evaluations = fields.optional(root, "", "evaluations", Kind::kArray);
  Semantic semantic = Semantic::kExecuteAll;
  std::optional<InputError> error = fields.error();
  if (!error) error = read_semantic(root, semantic);
  if (error) {
    reply_input_error(response, *error);
    return;
  }
  if (evaluations == nullptr) {
    answer_single(engine, root, response);
    return;
  }

  const Tuple defaults = tuple_of(root, "");
  std::vector<AccessRequest> requests(evaluations->items().size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const JsonValue& item = evaluations->items()[i];
    const std::string path = item_path("evaluations", i);
    if (!item.is_object()) {
      reply_input_error(response, {"must be an object", path});
      return;
    }
    Tuple tuple = tuple_of(item, path);
    for (std::size_t part = 0; part < tuple.size(); ++part) {
      if (tuple[part].value == nullptr) tuple[part] = defaults[part];
      if (tuple[part].value == nullptr) tuple[part].path = member_path(path, kPartNames[part]);
    }
    if (const std::optional<InputError> item_error = read_tuple(tuple, requests[i])) {
      reply_input_error(response, *item_error);
      return;
    }
  }

  JsonWriter json;
  json.begin_object().key("evaluations").begin_array();
  for (const AccessRequest& access : requests) {
    const Decision decision = evaluate(engine, access);
    write_result(json, decision);
    if (semantic == Semantic::kDenyOnFirstDeny && !decision.authorized) break;
    if (semantic == Semantic::kPermitOnFirstPermit && decision.authorized) break;
  }
  json.end_array().end_object();
  reply_json(response, 200, json.text());
}

}  // namespace stepup::gateway
