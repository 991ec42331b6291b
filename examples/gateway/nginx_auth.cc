// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/nginx_auth.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/decision_view.h"
#include "gateway/http_text.h"
#include "gateway/replies.h"
#include "stepup/request.h"

namespace stepup::gateway {
namespace {

constexpr char kOriginalMethod[] = "X-Original-Method";
constexpr char kOriginalUri[] = "X-Original-URI";

// Not the client's: the original request line, and the fields cpp-httplib
// adds about the connection from nginx.
bool is_internal_header(std::string_view name) {
  const std::string lower = ascii_lower(name);
  return lower == "x-original-method" || lower == "x-original-uri" || lower == "remote_addr" ||
         lower == "remote_port" || lower == "local_addr" || lower == "local_port";
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::string client_address(const httplib::Request& request) {
  const std::string real_ip(trim(request.get_header_value("X-Real-IP")));
  if (!real_ip.empty()) return real_ip;
  const std::string forwarded = request.get_header_value("X-Forwarded-For");
  return std::string(trim(std::string_view(forwarded).substr(0, forwarded.find(','))));
}

}  // namespace

void handle_nginx_auth(const Engine& engine, const httplib::Request& request,
                       httplib::Response& response) {
  if (!request.has_header(kOriginalMethod) || !request.has_header(kOriginalUri)) {
    reply_error(response, 400, "the X-Original-Method and X-Original-URI headers are required");
    return;
  }
  const std::string method = request.get_header_value(kOriginalMethod);
  if (!is_http_token(method)) {
    reply_error(response, 400, "X-Original-Method is not an HTTP method");
    return;
  }
  const std::optional<std::string> target = request_target(request.get_header_value(kOriginalUri));
  if (!target) {
    reply_error(response, 400, "X-Original-URI is not an origin-form or absolute URI");
    return;
  }

  std::optional<std::string> authorization;
  std::vector<Header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    if (ascii_lower(name) == "authorization") {
      if (authorization) {
        *authorization += ", ";
        *authorization += value;
      } else {
        authorization = value;
      }
    } else if (!is_internal_header(name)) {
      headers.push_back({name, value});
    }
  }
  const std::string client_ip = client_address(request);

  Request decide_request;
  decide_request.method = method;
  decide_request.path = *target;
  if (authorization) decide_request.authorization = *authorization;
  decide_request.headers = headers;
  decide_request.client_ip = client_ip;
  const Decision decision = engine.decide(decide_request);

  response.status = decision.status == 200 && decision.authorized ? 200
                    : decision.status == 401                      ? 401
                                                                  : 403;
  response.set_header("X-Stepup-Status", std::to_string(decision.status));
  response.set_header("X-Stepup-Decision", std::string(decision_name(decision)));
  if (!decision.www_authenticate.empty()) {
    response.set_header("X-Stepup-WWW-Authenticate", decision.www_authenticate);
    if (response.status != 200) response.set_header("WWW-Authenticate", decision.www_authenticate);
  }
  response.set_header("Cache-Control", "no-store");
}

}  // namespace stepup::gateway
