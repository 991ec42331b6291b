// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_HTTP_MESSAGE_H_
#define STEPUP_TOOLS_GATEWAY_HTTP_MESSAGE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stepup::gateway {

// One header field exactly as received: the name as the client spelled it,
// the value with only the surrounding whitespace removed (RFC 9112 §5). No
// layer decodes or joins values.
struct HttpField {
  std::string name;
  std::string value;
};

// A request as the gateway's handlers see it: the request line's parts and
// every field in the order received, all as raw bytes.
struct HttpRequest {
  std::string method;
  // The request target as sent (RFC 9112 §3.2), such as "/auth?x=%2F".
  std::string target;
  // 10 for HTTP/1.0, 11 for HTTP/1.1.
  int version = 11;
  std::vector<HttpField> fields;
  std::string body;

  // The target up to its first '?'.
  std::string_view path() const;
  // The first field named `name` (compared case-insensitively); nullptr when
  // there is none.
  const HttpField* find(std::string_view name) const;
  // How many fields are named `name`.
  std::size_t count(std::string_view name) const;
};

// What a handler answers. The server adds Content-Length and, when it closes
// the connection, Connection: close.
struct HttpResponse {
  int status = 200;
  std::vector<HttpField> headers;
  std::string body;

  // Replaces every field named `name` with one holding `value`.
  void set_header(std::string_view name, std::string_view value);
  // The value of the first field named `name`; empty when there is none.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

// True when `a` and `b` are equal ignoring ASCII case.
bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_HTTP_MESSAGE_H_
