// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzzes the PingAuthorize-style sideband endpoints of examples/gateway with
// the input as the request body: handle_sideband_request (the body becomes a
// stepup::Request and a decision; the answer is the request to forward or the
// response to send instead) and handle_sideband_response. These are the
// functions the HTTP routes call once the method and the shared secret were
// checked; here they run without a socket, on the example policy
// (examples/policy) at the instant its example tokens are valid, so seeds
// holding those tokens reach every kind of answer.
//
// Checked: the status is 200 or 400; the answer is a JSON object of the
// documented shape; every header the service sets, and every header of a
// replacement response, is safe to send (no CR, LF, control or non-ASCII
// byte), and a WWW-Authenticate there is the engine's well-formed challenge;
// a forwarded request and an echoed response are the input's, unchanged; an
// engine without the token cache answers byte for byte the same.

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "decision_checks.h"
#include "example_engines.h"
#include "fuzz_check.h"
#include "gateway/json_input.h"
#include "gateway/sideband.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"

namespace {

using stepup::JsonValue;
using stepup::fuzz::cached_engine;
using stepup::fuzz::kRealm;
using stepup::fuzz::uncached_engine;
using stepup::fuzz::verbose;

// What every answer of the service has: status 200 or 400, a JSON object
// body, Content-Type and Cache-Control, and only safe headers. Returns the
// parsed body.
JsonValue check_answer(const httplib::Response& response) {
  FUZZ_CHECK(response.status == 200 || response.status == 400);
  for (const auto& [name, value] : response.headers) {
    FUZZ_CHECK(!name.empty() && stepup::fuzz::header_safe(name));
    FUZZ_CHECK(stepup::fuzz::header_safe(value));
  }
  FUZZ_CHECK(response.get_header_value("Content-Type") == "application/json");
  FUZZ_CHECK(response.get_header_value("Cache-Control") == "no-store");
  JsonValue body = stepup::fuzz::parse_object_or_die(response.body);
  if (response.status == 400) {
    // {"error", "where"}: what is wrong and the JSON path.
    FUZZ_CHECK(body.members().size() == 2);
    FUZZ_CHECK(body.members()[0].name == "error" && body.members()[0].value.is_string());
    FUZZ_CHECK(!body.members()[0].value.as_string().empty());
    FUZZ_CHECK(body.members()[1].name == "where" && body.members()[1].value.is_string());
  }
  return body;
}

// A list of single-member objects with string values, as read by the service.
bool is_header_list(const JsonValue& headers) {
  if (!headers.is_array()) return false;
  for (const JsonValue& entry : headers.items()) {
    if (!entry.is_object() || entry.members().size() != 1 || entry.members()[0].name.empty() ||
        !entry.members()[0].value.is_string()) {
      return false;
    }
  }
  return true;
}

// The response the gateway must send instead of forwarding.
void check_replacement(const JsonValue& response) {
  FUZZ_CHECK(response.is_object() && response.members().size() == 4);
  const JsonValue* code = response.find("response_code");
  const JsonValue* reason = response.find("response_status");
  const JsonValue* headers = response.find("headers");
  const JsonValue* body = response.find("body");
  FUZZ_CHECK(code != nullptr && reason != nullptr && headers != nullptr && body != nullptr);
  // The example policy answers 400, 401 or 403 when it does not permit.
  FUZZ_CHECK(code->as_string() == "400" || code->as_string() == "401" ||
             code->as_string() == "403");
  FUZZ_CHECK(reason->is_string() && !reason->as_string().empty() &&
             stepup::fuzz::header_safe(reason->as_string()));

  FUZZ_CHECK(is_header_list(*headers));
  const JsonValue* challenge = nullptr;
  bool content_type = false;
  for (const JsonValue& entry : headers->items()) {
    const stepup::JsonMember& header = entry.members()[0];
    FUZZ_CHECK(stepup::fuzz::header_safe(header.name));
    FUZZ_CHECK(stepup::fuzz::header_safe(header.value.as_string()));
    if (header.name == "WWW-Authenticate") {
      FUZZ_CHECK(challenge == nullptr);
      challenge = &header.value;
    } else {
      FUZZ_CHECK(header.name == "Content-Type" && !content_type);
      FUZZ_CHECK(header.value.as_string() == "application/json");
      content_type = true;
    }
  }
  FUZZ_CHECK(content_type);
  if (code->as_string() == "401") FUZZ_CHECK(challenge != nullptr);

  FUZZ_CHECK(body->is_string());
  const JsonValue error_body = stepup::fuzz::parse_object_or_die(body->as_string());
  FUZZ_CHECK(error_body.members().size() == 2);
  const JsonValue* error = error_body.find("error");
  const JsonValue* description = error_body.find("error_description");
  FUZZ_CHECK(error != nullptr && error->is_string() && !error->as_string().empty());
  FUZZ_CHECK(description != nullptr && description->is_string());
  if (challenge != nullptr) {
    // The challenge's own error, or none in the bare challenge of a request
    // without credentials.
    const bool bare = error->as_string() == "unauthorized";
    stepup::fuzz::check_www_authenticate(challenge->as_string(), kRealm,
                                         bare ? std::string_view() : error->as_string());
  }
}

void check_sideband_request(std::string_view body, const JsonValue* input) {
  httplib::Response response;
  stepup::gateway::handle_sideband_request(cached_engine(), body, response);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  httplib::Response uncached;
  stepup::gateway::handle_sideband_request(uncached_engine(), body, uncached);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  FUZZ_CHECK(uncached.status == response.status);
  FUZZ_CHECK(uncached.body == response.body);
  if (verbose()) std::fprintf(stderr, "request: %d %s\n", response.status, response.body.c_str());

  const JsonValue answer = check_answer(response);
  if (response.status != 200) return;
  // Only a JSON object with the required members gets this far.
  FUZZ_CHECK(input != nullptr);
  if (const JsonValue* replacement = answer.find("response")) {
    FUZZ_CHECK(answer.members().size() == 1);
    check_replacement(*replacement);
    return;
  }
  // Forwarded: method, url, headers and body exactly as sent.
  FUZZ_CHECK(answer.members().size() == 3 || answer.members().size() == 4);
  for (const stepup::JsonMember& member : answer.members()) {
    FUZZ_CHECK(member.name == "method" || member.name == "url" || member.name == "headers" ||
               member.name == "body");
    const JsonValue* sent = input->find(member.name);
    FUZZ_CHECK(sent != nullptr && stepup::fuzz::json_equal(member.value, *sent));
  }
  const JsonValue* sent_body = input->find("body");
  FUZZ_CHECK((answer.find("body") != nullptr) == (sent_body != nullptr && !sent_body->is_null()));
  FUZZ_CHECK(is_header_list(*answer.find("headers")));
}

void check_sideband_response(std::string_view body, const JsonValue* input) {
  httplib::Response response;
  stepup::gateway::handle_sideband_response(body, response);
  if (verbose()) std::fprintf(stderr, "response: %d %s\n", response.status, response.body.c_str());
  const JsonValue answer = check_answer(response);
  if (response.status != 200) return;
  // The upstream response, unchanged.
  FUZZ_CHECK(input != nullptr);
  const JsonValue* upstream = input->find("response");
  FUZZ_CHECK(upstream != nullptr && upstream->is_object());
  FUZZ_CHECK(input->find("request") != nullptr && input->find("request")->is_object());
  FUZZ_CHECK(stepup::fuzz::json_equal(answer, *upstream));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const bool initialized = [] {
    (void)cached_engine();
    (void)uncached_engine();
    return true;
  }();
  (void)initialized;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // The body as the service reads it, for comparing its answers with.
  JsonValue input;
  const bool parsed = !stepup::gateway::parse_body(body, input).has_value();
  check_sideband_request(body, parsed ? &input : nullptr);
  check_sideband_response(body, parsed ? &input : nullptr);
  return 0;
}
