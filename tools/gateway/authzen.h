// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_AUTHZEN_H_
#define STEPUP_TOOLS_GATEWAY_AUTHZEN_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/http_message.h"
#include "stepup/engine.h"

namespace stepup::gateway {

struct AuthzenOptions {
  // Items one /access/v1/evaluations call may hold; more is a 400.
  std::size_t max_evaluations = 100;
  // The Policy Decision Point identifier (an https URL without query or
  // fragment, such as "https://pdp.example.com"); empty: no metadata
  // document is served.
  std::string pdp_url = {};
};

// Why `url` cannot be a PDP identifier (AuthZEN 1.0 §"Endpoint
// Parameters"), or nullopt when it can: https, a host, no query, fragment,
// userinfo or trailing slash.
std::optional<std::string> pdp_url_problem(std::string_view url);

// Where the metadata document is served: "/.well-known/authzen-configuration"
// followed by the path of `pdp_url` (RFC 8414 style insertion).
std::string authzen_metadata_path(std::string_view pdp_url);

// OpenID AuthZEN Authorization API 1.0, Access Evaluation API:
// POST /access/v1/evaluation with {"subject", "action", "resource",
// "context"?}. A missing subject, action or resource, or a missing or
// non-string subject.type, subject.id, action.name, resource.type or
// resource.id, or a `properties` or `context` that is not an object, is a
// 400 {"error", "message", "where"}; every other member is free-form.
//
// The stepup request is read from the evaluation: the method is
// action.properties.method, else action.name when it is an HTTP method (an
// RFC 9110 token with no lower-case letter, such as "GET"); the path is
// resource.properties.path, else resource.id when it is a path or an
// absolute URL; the credential is "Bearer " + subject.properties.token; the
// client address is context.client_ip, else subject.properties.ip_address
// (each used only when it is a string). An evaluation that names no method
// or path this way is a deny with {"error": {"status": 400, "message"}} in
// its context, as is a token that is not a string. When the token is valid
// and has a `sub`, subject.id must equal it: otherwise a deny with
// {"error": {"status": 403, "message"}}.
//
// The answer is 200 {"decision": true}, or {"decision": false, "context":
// {"status", "error", "acr_values" (space-separated, as RFC 9470 writes
// them), "max_age", "scope", "www_authenticate", "reason_user": {"en"}}}
// with only the members that apply, or the "error" context above.
void handle_authzen_evaluation(const Engine& engine, const AuthzenOptions& options,
                               std::string_view body, HttpResponse& response);

// Access Evaluations API: POST /access/v1/evaluations. Top-level subject,
// action, resource and context are defaults for each item of
// "evaluations"; a member an item gives replaces the default as a whole.
// options.evaluations_semantic: "execute_all" (default),
// "deny_on_first_deny" (stop after the first false), "permit_on_first_permit"
// (stop after the first true). Answers {"evaluations": [...]} in request
// order, each item as the single call answers it. Without "evaluations",
// or with an empty one, it is the single call and answers {"decision": ...}.
// More than options.max_evaluations items, an item that is not an object,
// or one missing a required member after defaults: 400 for the whole call.
void handle_authzen_evaluations(const Engine& engine, const AuthzenOptions& options,
                                std::string_view body, HttpResponse& response);

// GET on authzen_metadata_path(): the PDP metadata document
// {"policy_decision_point", "access_evaluation_endpoint",
// "access_evaluations_endpoint"}.
void handle_authzen_metadata(const AuthzenOptions& options, HttpResponse& response);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_AUTHZEN_H_
