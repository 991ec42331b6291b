// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_NGINX_AUTH_H_
#define STEPUP_TOOLS_GATEWAY_NGINX_AUTH_H_

#include "gateway/http_message.h"
#include "stepup/engine.h"

namespace stepup::gateway {

// Answers nginx's `auth_request` subrequest (any method on /auth).
//
// Decides on the original request exactly as nginx received it, with no
// byte decoded: the method from X-Original-Method, the target from
// X-Original-URI (nginx's $request_uri: origin-form, or absolute), the
// Authorization fields (repeated fields are joined with ", " as HTTP
// combines them, so two credentials are a 400 invalid_request; an empty
// field is a malformed credential, also 400), the client address from
// X-Real-IP or else the first X-Forwarded-For entry, and the other fields
// for the policy's request headers.
//
// The answer has an empty body and the status nginx understands: 200 for a
// permit, 401 (with WWW-Authenticate) and 403 as decided, and 403 for every
// other decided status, since auth_request turns anything but 2xx, 401 and
// 403 into 500. It always carries X-Stepup-Status (the decided status) and
// X-Stepup-Decision, and X-Stepup-WWW-Authenticate whenever there is a
// challenge, for `auth_request_set`. A missing, repeated or malformed
// X-Original-Method or X-Original-URI is a 400 with a JSON error (a
// configuration mistake, or a request nginx should not have passed).
void handle_nginx_auth(const Engine& engine, const HttpRequest& request, HttpResponse& response);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_NGINX_AUTH_H_
