// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_REPLIES_H_
#define STEPUP_TOOLS_GATEWAY_REPLIES_H_

#include <string>
#include <string_view>

#include "gateway/http_message.h"
#include "gateway/json_input.h"

namespace stepup::gateway {

// `status` with a JSON body (Content-Type: application/json) and
// Cache-Control: no-store, since answers depend on credentials.
void reply_json(HttpResponse& response, int status, std::string body);

// `status` with {"error": message, "message": message}: `error` for
// stepup's own clients, `message` for the sideband clients that log it.
void reply_error(HttpResponse& response, int status, std::string_view message);

// 400 with {"error": message, "message": "<where>: <message>" (a line a
// client can log alone), "where": json path}.
void reply_input_error(HttpResponse& response, const InputError& error);

// The message of the error answers the service makes for `status` when no
// handler wrote one (404, 405, 413, 431, 501, ...).
std::string_view default_error_message(int status);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_REPLIES_H_
