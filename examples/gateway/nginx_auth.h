// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXAMPLES_GATEWAY_NGINX_AUTH_H_
#define STEPUP_EXAMPLES_GATEWAY_NGINX_AUTH_H_

#include <httplib.h>

#include "stepup/engine.h"

namespace stepup::gateway {

// Answers nginx's `auth_request` subrequest (any method on /auth).
//
// Reads the original request from X-Original-Method and X-Original-URI
// (origin-form or absolute), Authorization (repeated fields are joined with
// ", " as HTTP combines them, so two credentials are a 400 invalid_request),
// the client address from X-Real-IP or else the first X-Forwarded-For entry,
// and passes the other headers to the policy (but not REMOTE_ADDR,
// REMOTE_PORT, LOCAL_ADDR and LOCAL_PORT, which cpp-httplib adds about the
// connection from nginx).
//
// The answer has an empty body and the status nginx understands: 200 for a
// permit, 401 (with WWW-Authenticate) and 403 as decided, and 403 for every
// other decided status, since auth_request turns anything but 2xx, 401 and
// 403 into 500. It always carries X-Stepup-Status (the decided status) and
// X-Stepup-Decision, and X-Stepup-WWW-Authenticate whenever there is a
// challenge, for `auth_request_set`. A missing or malformed X-Original-Method
// or X-Original-URI is a 400 with a JSON error (a configuration mistake).
void handle_nginx_auth(const Engine& engine, const httplib::Request& request,
                       httplib::Response& response);

}  // namespace stepup::gateway

#endif  // STEPUP_EXAMPLES_GATEWAY_NGINX_AUTH_H_
