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

constexpr std::string_view kOriginalMethod = "X-Original-Method";
constexpr std::string_view kOriginalUri = "X-Original-URI";

std::string_view client_address(const HttpRequest& request) {
  if (const HttpField* real_ip = request.find("X-Real-IP")) {
    const std::string_view address = trim_whitespace(real_ip->value);
    if (!address.empty()) return address;
  }
  if (const HttpField* forwarded = request.find("X-Forwarded-For")) {
    const std::string_view list = forwarded->value;
    return trim_whitespace(list.substr(0, list.find(',')));
  }
  return {};
}

}  // namespace

void handle_nginx_auth(const Engine& engine, const HttpRequest& request, HttpResponse& response) {
  if (request.count(kOriginalMethod) != 1 || request.count(kOriginalUri) != 1) {
    reply_error(response, 400,
                "exactly one X-Original-Method and one X-Original-URI header are required");
    return;
  }
  const std::string_view method = request.find(kOriginalMethod)->value;
  if (!is_http_token(method)) {
    reply_error(response, 400, "X-Original-Method is not an HTTP method");
    return;
  }
  const std::optional<std::string> target = request_target(request.find(kOriginalUri)->value);
  if (!target) {
    reply_error(response, 400,
                "X-Original-URI is not an origin-form or absolute URI without a fragment");
    return;
  }

  std::optional<std::string> authorization;
  std::vector<Header> headers;
  headers.reserve(request.fields.size());
  for (const HttpField& field : request.fields) {
    if (equals_ignoring_case(field.name, "Authorization")) {
      if (authorization) {
        *authorization += ", ";
        *authorization += field.value;
      } else {
        authorization = field.value;
      }
    } else if (!equals_ignoring_case(field.name, kOriginalMethod) &&
               !equals_ignoring_case(field.name, kOriginalUri)) {
      headers.push_back({field.name, field.value});
    }
  }

  Request decide_request;
  decide_request.method = method;
  decide_request.path = *target;
  if (authorization) decide_request.authorization = *authorization;
  decide_request.headers = headers;
  decide_request.client_ip = client_address(request);
  const Decision decision = engine.decide(decide_request);

  response.status = decision.status == 200 && decision.authorized ? 200
                    : decision.status == 401                      ? 401
                                                                  : 403;
  response.set_header("X-Stepup-Status", std::to_string(decision.status));
  response.set_header("X-Stepup-Decision", decision_name(decision));
  if (decision.retry_after_seconds > 0) {
    response.set_header("X-Stepup-Retry-After", std::to_string(decision.retry_after_seconds));
  }
  if (!decision.www_authenticate.empty()) {
    response.set_header("X-Stepup-WWW-Authenticate", decision.www_authenticate);
    if (response.status != 200) response.set_header("WWW-Authenticate", decision.www_authenticate);
  }
  response.set_header("Cache-Control", "no-store");
}

}  // namespace stepup::gateway
