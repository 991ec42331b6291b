// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXAMPLES_GATEWAY_REPLIES_H_
#define STEPUP_EXAMPLES_GATEWAY_REPLIES_H_

#include <httplib.h>

#include <string>
#include <string_view>

#include "gateway/json_input.h"

namespace stepup::gateway {

// `status` with a JSON body (Content-Type: application/json) and
// Cache-Control: no-store, since answers depend on credentials.
void reply_json(httplib::Response& response, int status, std::string body);

// `status` with {"error": message}.
void reply_error(httplib::Response& response, int status, std::string_view message);

// 400 with {"error": message, "where": json path}.
void reply_input_error(httplib::Response& response, const InputError& error);

// The message of the error answers the service makes for `status` when no
// handler wrote one (404, 405, 413, ...).
std::string_view default_error_message(int status);

}  // namespace stepup::gateway

#endif  // STEPUP_EXAMPLES_GATEWAY_REPLIES_H_
