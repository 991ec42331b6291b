// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/replies.h"

#include <string>
#include <utility>

#include "gateway/json_writer.h"

namespace stepup::gateway {

void reply_json(httplib::Response& response, int status, std::string body) {
  response.status = status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(std::move(body), "application/json");
}

void reply_error(httplib::Response& response, int status, std::string_view message) {
  JsonWriter json;
  json.begin_object().key("error").string(message).end_object();
  reply_json(response, status, json.text());
}

void reply_input_error(httplib::Response& response, const InputError& error) {
  JsonWriter json;
  json.begin_object().key("error").string(error.message).key("where").string(error.where);
  json.end_object();
  reply_json(response, 400, json.text());
}

std::string_view default_error_message(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 408:
      return "request timeout";
    case 413:
      return "request body too large";
    case 414:
      return "request target too long";
    case 431:
      return "request header fields too large";
    case 500:
      return "internal error";
    case 503:
      return "service unavailable";
    default:
      return "request failed";
  }
}

}  // namespace stepup::gateway
