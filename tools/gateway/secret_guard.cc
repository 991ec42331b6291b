// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/secret_guard.h"

#include "gateway/http_text.h"
#include "gateway/replies.h"

namespace stepup::gateway {

bool check_shared_secret(const SharedSecret& secret, const HttpRequest& request,
                         HttpResponse& response) {
  if (secret.value.empty()) {
    reply_error(response, 503,
                "the sideband endpoints are disabled: no shared secret is configured "
                "(--secret or STEPUP_GATEWAY_SECRET)");
    return false;
  }
  const HttpField* presented = request.find(secret.header);
  if (request.count(secret.header) != 1 || !secrets_equal(presented->value, secret.value)) {
    reply_error(response, 401, "missing or wrong " + secret.header + " header");
    return false;
  }
  return true;
}

}  // namespace stepup::gateway
