// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/replies.h"

#include <string>
#include <utility>

#include "gateway/json_writer.h"

namespace stepup::gateway {

void reply_json(HttpResponse& response, int status, std::string body) {
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.set_header("Cache-Control", "no-store");
  response.body = std::move(body);
}

void reply_error(HttpResponse& response, int status, std::string_view message) {
  JsonWriter json;
  json.begin_object().key("error").string(message).key("message").string(message).end_object();
  reply_json(response, status, json.text());
}

void reply_input_error(HttpResponse& response, const InputError& error) {
  JsonWriter json;
  json.begin_object().key("error").string(error.message);
  json.key("message").string(error.where.empty() ? error.message
                                                 : error.where + ": " + error.message);
  json.key("where").string(error.where).end_object();
  reply_json(response, 400, json.text());
}

std::string_view default_error_message(int status) {
  switch (status) {
    case 400:
      return "bad request: the request is not well-formed HTTP/1.1";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 413:
      return "request body too large";
    case 417:
      return "expectation failed: only 100-continue is supported";
    case 431:
      return "request header fields too large or too many";
    case 500:
      return "internal error";
    case 501:
      return "not implemented: the only transfer coding accepted is chunked";
    case 503:
      return "service unavailable";
    default:
      return "request failed";
  }
}

}  // namespace stepup::gateway
