// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_SECRET_GUARD_H_
#define STEPUP_TOOLS_GATEWAY_SECRET_GUARD_H_

#include <string>

#include "gateway/http_message.h"

namespace stepup::gateway {

// The shared secret that guards the sideband endpoints.
struct SharedSecret {
  // The request header that carries it, compared case-insensitively.
  // PingAuthorize's default, which Ping's gateway integrations send.
  std::string header = "CLIENT-TOKEN";
  // The secret. Empty: none is configured, and the guarded endpoints refuse
  // every call (fail closed).
  std::string value;
};

// True when `request` carries exactly one `secret.header` field whose raw
// value equals the secret (compared in constant time). Otherwise fills
// `response`: 503 when no secret is configured, 401 when the field is
// missing, repeated or wrong.
bool check_shared_secret(const SharedSecret& secret, const HttpRequest& request,
                         HttpResponse& response);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_SECRET_GUARD_H_
