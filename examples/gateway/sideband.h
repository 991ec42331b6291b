// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXAMPLES_GATEWAY_SIDEBAND_H_
#define STEPUP_EXAMPLES_GATEWAY_SIDEBAND_H_

#include <httplib.h>

#include <string_view>

#include "stepup/engine.h"

namespace stepup::gateway {

// POST /sideband/request, PingAuthorize-style: `body` is the inbound request
// as JSON, {"method", "url" (absolute or origin-form), "headers" (a list of
// single-member objects, names repeated as often as the client sent them),
// "source_ip", "source_port", "http_version", "body"}; the first three are
// required, the others optional (source_port a string or an integer).
//
// Permitted: 200 with the request to forward, {"method", "url", "headers",
// "body" if given}, unchanged. Otherwise 200 with the response the gateway
// must send instead: {"response": {"response_code": "401", "response_status":
// "Unauthorized", "headers": [{"WWW-Authenticate": ...}, {"Content-Type":
// "application/json"}], "body": "{\"error\":...,\"error_description\":...}"}}.
// A malformed body: 400 {"error", "where"}.
void handle_sideband_request(const Engine& engine, std::string_view body,
                             httplib::Response& response);

// POST /sideband/response: `body` is {"request": {...}, "response": {...}};
// answers 200 with the response object unchanged.
void handle_sideband_response(std::string_view body, httplib::Response& response);

}  // namespace stepup::gateway

#endif  // STEPUP_EXAMPLES_GATEWAY_SIDEBAND_H_
