// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXAMPLES_GATEWAY_AUTHZEN_H_
#define STEPUP_EXAMPLES_GATEWAY_AUTHZEN_H_

#include <httplib.h>

#include <string_view>

#include "stepup/engine.h"

namespace stepup::gateway {

// OpenID AuthZEN Authorization API 1.0, Access Evaluation API:
// POST /access/v1/evaluation with {"subject", "action", "resource",
// "context"?}. Subject, action and resource are required, with their required
// members (subject.type and .id, action.name, resource.type and .id). The
// stepup request is: method = action.name (an HTTP method),
// path = resource.properties.path if given, else resource.id (origin-form or
// an absolute URL), Authorization = "Bearer " + subject.properties.token if
// given, client address = context.client_ip, else
// subject.properties.ip_address. Other members are ignored.
//
// The answer is 200 {"decision": true}, or {"decision": false, "context":
// {"status", "error", "acr_values", "max_age", "scope", "www_authenticate",
// "reason_user": {"en": ...}}} with only the members that apply. A malformed
// body: 400 {"error", "where"}.
void handle_authzen_evaluation(const Engine& engine, std::string_view body,
                               httplib::Response& response);

// Access Evaluations API: POST /access/v1/evaluations. Top-level subject,
// action, resource and context are defaults for each entry of "evaluations";
// a member an entry gives replaces the default as a whole. options.
// evaluations_semantic: "execute_all" (default), "deny_on_first_deny" (stop
// after the first false), "permit_on_first_permit" (stop after the first
// true). Answers {"evaluations": [...]} in request order; without an
// "evaluations" array it behaves as /access/v1/evaluation and answers
// {"decision": ...}. Every entry is checked before any is evaluated: one
// malformed entry makes the whole call a 400.
void handle_authzen_evaluations(const Engine& engine, std::string_view body,
                                httplib::Response& response);

}  // namespace stepup::gateway

#endif  // STEPUP_EXAMPLES_GATEWAY_AUTHZEN_H_
