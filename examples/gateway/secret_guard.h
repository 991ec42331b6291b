// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXAMPLES_GATEWAY_SECRET_GUARD_H_
#define STEPUP_EXAMPLES_GATEWAY_SECRET_GUARD_H_

#include <httplib.h>

#include <string>

namespace stepup::gateway {

// The shared secret that guards the sideband endpoints.
struct SharedSecret {
  // The request header that carries it, such as "X-Stepup-Secret"
  // (compared case-insensitively).
  std::string header = "X-Stepup-Secret";
  // The secret. Empty: none is configured, and the guarded endpoints refuse
  // every call (fail closed).
  std::string value;
};

// True when `request` carries exactly one `secret.header` field equal to the
// secret (compared in constant time). Otherwise fills `response`: 503 when no
// secret is configured, 401 when the field is missing, repeated or wrong.
bool check_shared_secret(const SharedSecret& secret, const httplib::Request& request,
                         httplib::Response& response);

}  // namespace stepup::gateway

#endif  // STEPUP_EXAMPLES_GATEWAY_SECRET_GUARD_H_
