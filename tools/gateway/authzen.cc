// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/authzen.h"

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <variant>
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

constexpr std::string_view kMetadataPath = "/.well-known/authzen-configuration";

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
  std::string subject_id;
};

// An evaluation that is well-formed but names no request stepup can decide:
// a deny with this error in its context.
struct Unmappable {
  int status = 400;
  std::string message;
};

using Mapping = std::variant<AccessRequest, Unmappable>;

// An HTTP method as a name: an RFC 9110 token without lower-case letters,
// so that "GET" and "M-SEARCH" are methods and "can_read" is not.
bool is_method_name(std::string_view name) {
  if (!is_http_token(name)) return false;
  for (const char c : name) {
    if (c >= 'a' && c <= 'z') return false;
  }
  return true;
}

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

// A member of `properties` (nullptr when either is absent).
const JsonValue* property(const JsonValue* properties, std::string_view name) {
  if (properties == nullptr) return nullptr;
  const JsonValue* value = properties->find(name);
  return value != nullptr && !value->is_null() ? value : nullptr;
}

// Checks the members AuthZEN requires (a 400 when one is missing or of the
// wrong type), then maps the evaluation onto a stepup request.
std::optional<InputError> read_tuple(const Tuple& tuple, Mapping& out) {
  for (std::size_t i = 0; i < 3; ++i) {
    if (tuple[i].value == nullptr) {
      return InputError{"missing (must be an object)",
                        tuple[i].path.empty() ? std::string(kPartNames[i]) : tuple[i].path};
    }
    if (!tuple[i].value->is_object()) return InputError{"must be an object", tuple[i].path};
  }
  const auto& [subject, action, resource, context] = tuple;
  if (context.value != nullptr && !context.value->is_object()) {
    return InputError{"must be an object", context.path};
  }
  FieldReader fields;
  fields.required(*subject.value, subject.path, "type", Kind::kString);
  const JsonValue* subject_id = fields.required(*subject.value, subject.path, "id", Kind::kString);
  const JsonValue* subject_properties =
      fields.optional(*subject.value, subject.path, "properties", Kind::kObject);
  const JsonValue* name = fields.required(*action.value, action.path, "name", Kind::kString);
  const JsonValue* action_properties =
      fields.optional(*action.value, action.path, "properties", Kind::kObject);
  fields.required(*resource.value, resource.path, "type", Kind::kString);
  const JsonValue* id = fields.required(*resource.value, resource.path, "id", Kind::kString);
  const JsonValue* resource_properties =
      fields.optional(*resource.value, resource.path, "properties", Kind::kObject);
  if (fields.error()) return fields.error();

  const std::string subject_properties_path = member_path(subject.path, "properties");
  const std::string action_properties_path = member_path(action.path, "properties");
  const std::string resource_properties_path = member_path(resource.path, "properties");
  AccessRequest access;
  access.subject_id = std::string(subject_id->as_string());

  if (const JsonValue* token = property(subject_properties, "token")) {
    if (!token->is_string()) {
      out = Unmappable{400, member_path(subject_properties_path, "token") +
                                " must be a string (an access token)"};
      return std::nullopt;
    }
    access.authorization = "Bearer " + std::string(token->as_string());
  }

  if (const JsonValue* method = property(action_properties, "method")) {
    if (!method->is_string() || !is_http_token(method->as_string())) {
      out = Unmappable{400, member_path(action_properties_path, "method") +
                                " must be an HTTP method (an RFC 9110 token)"};
      return std::nullopt;
    }
    access.method = std::string(method->as_string());
  } else if (is_method_name(name->as_string())) {
    access.method = std::string(name->as_string());
  } else {
    out = Unmappable{400, member_path(action.path, "name") +
                              " is not an HTTP method; give the method in " +
                              member_path(action_properties_path, "method")};
    return std::nullopt;
  }

  if (const JsonValue* path = property(resource_properties, "path")) {
    const std::optional<std::string> target =
        path->is_string() ? request_target(path->as_string()) : std::nullopt;
    if (!target) {
      out = Unmappable{400, member_path(resource_properties_path, "path") +
                                " must be a path starting with '/' or an absolute URL"};
      return std::nullopt;
    }
    access.path = *target;
  } else if (const std::optional<std::string> target = request_target(id->as_string())) {
    access.path = *target;
  } else {
    out = Unmappable{400, member_path(resource.path, "id") +
                              " is not a path or an absolute URL; give the request path in " +
                              member_path(resource_properties_path, "path")};
    return std::nullopt;
  }

  const JsonValue* client_ip =
      context.value != nullptr ? property(context.value, "client_ip") : nullptr;
  if (client_ip == nullptr || !client_ip->is_string()) {
    client_ip = property(subject_properties, "ip_address");
  }
  if (client_ip != nullptr && client_ip->is_string()) {
    access.client_ip = std::string(client_ip->as_string());
  }
  out = std::move(access);
  return std::nullopt;
}

void write_error_result(JsonWriter& json, const Unmappable& error) {
  json.begin_object().key("decision").boolean(false);
  json.key("context").begin_object().key("error").begin_object();
  json.key("status").integer(error.status).key("message").string(error.message);
  json.end_object().end_object().end_object();
}

void write_decision(JsonWriter& json, const Decision& decision) {
  json.begin_object().key("decision").boolean(decision.authorized);
  if (!decision.authorized) {
    const DecisionView view = view_decision(decision);
    json.key("context").begin_object();
    json.key("status").integer(decision.status);
    if (!decision.error.empty()) json.key("error").string(decision.error);
    if (decision.retry_after_seconds > 0)
      json.key("retry_after").integer(decision.retry_after_seconds);
    if (!view.acr_values.empty()) {
      std::string acr_values;
      for (const std::string& acr : view.acr_values) {
        if (!acr_values.empty()) acr_values += ' ';
        acr_values += acr;
      }
      json.key("acr_values").string(acr_values);
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

// Decides one mapped evaluation, writes its result, and returns its
// decision (false for an evaluation that could not be made).
bool evaluate(const Engine& engine, const Mapping& mapping, JsonWriter& json) {
  if (const auto* error = std::get_if<Unmappable>(&mapping)) {
    write_error_result(json, *error);
    return false;
  }
  const AccessRequest& access = std::get<AccessRequest>(mapping);
  Request request;
  request.method = access.method;
  request.path = access.path;
  if (access.authorization) request.authorization = *access.authorization;
  request.client_ip = access.client_ip;
  const Decision decision = engine.decide(request);
  // The token speaks for one subject: an evaluation about another is denied.
  if (!decision.subject.empty() && decision.subject != access.subject_id) {
    write_error_result(json, Unmappable{403, "subject.id is not the subject of the token"});
    return false;
  }
  write_decision(json, decision);
  return decision.authorized;
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

void answer_single(const Engine& engine, const JsonValue& root, HttpResponse& response) {
  Mapping mapping;
  if (const std::optional<InputError> error = read_tuple(tuple_of(root, ""), mapping)) {
    reply_input_error(response, *error);
    return;
  }
  JsonWriter json;
  evaluate(engine, mapping, json);
  reply_json(response, 200, json.text());
}

}  // namespace

std::optional<std::string> pdp_url_problem(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme)) return "must start with https://";
  const std::string_view rest = url.substr(kScheme.size());
  const std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty()) return "needs a host";
  if (host.find('@') != std::string_view::npos) return "must not hold userinfo";
  for (const char c : url) {
    if (c <= 0x20 || c >= 0x7f) return "must be printable ASCII without spaces";
    if (c == '?' || c == '#') return "must have no query or fragment";
  }
  if (url.back() == '/') return "must not end in '/'";
  return std::nullopt;
}

std::string authzen_metadata_path(std::string_view pdp_url) {
  const std::string_view rest = pdp_url.substr(std::min(pdp_url.size(), std::size_t{8}));
  const std::size_t slash = rest.find('/');
  return std::string(kMetadataPath) +
         std::string(slash == std::string_view::npos ? std::string_view() : rest.substr(slash));
}

void handle_authzen_evaluation(const Engine& engine, const AuthzenOptions&, std::string_view body,
                               HttpResponse& response) {
  JsonValue root;
  if (const std::optional<InputError> error = parse_body(body, root)) {
    reply_input_error(response, *error);
    return;
  }
  answer_single(engine, root, response);
}

void handle_authzen_evaluations(const Engine& engine, const AuthzenOptions& options,
                                std::string_view body, HttpResponse& response) {
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
  // AuthZEN 1.0: an absent or empty array is the single call.
  if (evaluations == nullptr || evaluations->items().empty()) {
    answer_single(engine, root, response);
    return;
  }
  const std::size_t count = evaluations->items().size();
  if (count > options.max_evaluations) {
    reply_input_error(response,
                      {"holds " + std::to_string(count) + " items; at most " +
                           std::to_string(options.max_evaluations) + " are accepted in one call",
                       "evaluations"});
    return;
  }

  const Tuple defaults = tuple_of(root, "");
  std::vector<Mapping> mappings(count);
  for (std::size_t i = 0; i < count; ++i) {
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
    if (const std::optional<InputError> item_error = read_tuple(tuple, mappings[i])) {
      reply_input_error(response, *item_error);
      return;
    }
  }

  JsonWriter json;
  json.begin_object().key("evaluations").begin_array();
  for (const Mapping& mapping : mappings) {
    const bool permitted = evaluate(engine, mapping, json);
    if (semantic == Semantic::kDenyOnFirstDeny && !permitted) break;
    if (semantic == Semantic::kPermitOnFirstPermit && permitted) break;
  }
  json.end_array().end_object();
  reply_json(response, 200, json.text());
}

void handle_authzen_metadata(const AuthzenOptions& options, HttpResponse& response) {
  JsonWriter json;
  json.begin_object();
  json.key("policy_decision_point").string(options.pdp_url);
  json.key("access_evaluation_endpoint").string(options.pdp_url + "/access/v1/evaluation");
  json.key("access_evaluations_endpoint").string(options.pdp_url + "/access/v1/evaluations");
  json.end_object();
  reply_json(response, 200, json.text());
  // The same for every caller: caches may keep it a while.
  response.set_header("Cache-Control", "max-age=300");
}

}  // namespace stepup::gateway
