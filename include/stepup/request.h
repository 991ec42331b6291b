// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_REQUEST_H_
#define STEPUP_REQUEST_H_

#include <optional>
#include <span>
#include <string_view>

#include "stepup/json_value.h"

namespace stepup {

// One request header. Names are matched case-insensitively.
struct Header {
  std::string_view name = {};
  std::string_view value = {};
};

// What a host knows about one API request (SPEC §1). A `Request` only points
// at the host's data: everything it refers to must stay alive and unchanged
// until `decide()` returns. The `Decision` keeps no pointer into it.
struct Request {
  // The HTTP method, such as "POST" (case-sensitive, RFC 9110 §9.1).
  std::string_view method = {};
  // The request target's path and optional query, such as
  // "/payments/transfers/7?dry_run=1".
  std::string_view path = {};
  // The raw Authorization header value. nullopt: the header is absent.
  std::optional<std::string_view> authorization = {};
  // Other request headers, for `HttpRequest.RequestHeaders.<name>`. The first
  // header of a given name wins.
  std::span<const Header> headers = {};
  // The client's address, for `HttpRequest.IPAddress`.
  std::string_view client_ip = {};
  // Claims already validated elsewhere (an RFC 7662 introspection response,
  // or claims a gateway verified). When set, no Authorization header is
  // parsed; `"active": false` makes the token invalid. Default: none.
  const JsonValue* validated_claims = nullptr;
};

}  // namespace stepup

#endif  // STEPUP_REQUEST_H_
