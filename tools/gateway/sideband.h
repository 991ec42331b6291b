// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_SIDEBAND_H_
#define STEPUP_TOOLS_GATEWAY_SIDEBAND_H_

#include <cstdint>
#include <string_view>

#include "gateway/http_message.h"
#include "gateway/sideband_state.h"
#include "stepup/engine.h"

namespace stepup::gateway {

// PingAuthorize's sideband protocol as Ping's gateway integrations speak it
// (docs/gateway.md has a full example of each call).

// POST /sideband/request: `body` is the client's request as JSON:
// "method", "url" (absolute, as Ping's plugins send it, or origin-form) and
// "headers" (a list of single-member objects, a name repeated as often as
// the client sent it; `{}` counts as an empty list) are required; "body",
// "source_ip", "source_port" (a string or an integer), "http_version" and
// "client_certificate" are optional, and other members are ignored.
//
// Permitted: 200 with every member of the request echoed as received (so
// the client forwards it unchanged and logs no change) and a "state" to
// send back with the response call. Otherwise 200 with the response to send
// instead: {"response": {"response_code": "401", "response_status":
// "Unauthorized", "headers": [{"WWW-Authenticate": ...}, {"Content-Type":
// "application/json"}, {"Cache-Control": "no-store"}], "body":
// "{\"error\":...,\"error_description\":...}"}}. A malformed body: 400
// {"error", "message", "where"}.
void handle_sideband_request(const Engine& engine, const SidebandStateSigner& signer, int64_t now,
                             std::string_view body, HttpResponse& response);

// POST /sideband/response: the upstream's response, flat: "response_code"
// (a string or an integer, 100 to 599) required; "response_status",
// "headers", "body", "method", "url" and "http_version" optional; and either
// "state" (as the request call answered it, checked against "method" and
// "url") or "request" (the original request object). The older nested form
// {"request": {...}, "response": {...}} is accepted too.
//
// Answers 200 {"response_code", "response_status", "headers", "body"}: the
// upstream response, kept as it is. A malformed body or a state that does
// not verify: 400 {"error", "message", "where"}.
void handle_sideband_response(const SidebandStateSigner& signer, int64_t now, std::string_view body,
                              HttpResponse& response);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_SIDEBAND_H_
