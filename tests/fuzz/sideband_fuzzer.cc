// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzzes the PingAuthorize-style sideband endpoints of tools/gateway with
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
#include "gateway/sideband_state.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"

namespace {

using stepup::JsonValue;
using stepup::fuzz::cached_engine;
using stepup::fuzz::kRealm;
using stepup::fuzz::uncached_engine;
using stepup::fuzz::verbose;
using stepup::gateway::HttpResponse;

// What every answer of the service has: status 200 or 400, a JSON object
// body, Content-Type and Cache-Control, and only safe headers. Returns the
// parsed body.
JsonValue check_answer(const HttpResponse& response) {
  FUZZ_CHECK(response.status == 200 || response.status == 400);
  for (const stepup::gateway::HttpField& field : response.headers) {
    FUZZ_CHECK(!field.name.empty() && stepup::fuzz::header_safe(field.name));
    FUZZ_CHECK(stepup::fuzz::header_safe(field.value));
  }
  FUZZ_CHECK(response.header("Content-Type") == "application/json");
  FUZZ_CHECK(response.header("Cache-Control") == "no-store");
  JsonValue body = stepup::fuzz::parse_object_or_die(response.body);
  if (response.status == 400) {
    // {"error", "message", "where"}: what is wrong (twice, for both kinds
    // of client) and the JSON path.
    FUZZ_CHECK(body.members().size() == 3);
    FUZZ_CHECK(body.members()[0].name == "error" && body.members()[0].value.is_string());
    FUZZ_CHECK(!body.members()[0].value.as_string().empty());
    FUZZ_CHECK(body.members()[2].name == "where" && body.members()[2].value.is_string());
    const std::string_view where = body.members()[2].value.as_string();
    const std::string_view error = body.members()[0].value.as_string();
    FUZZ_CHECK(body.members()[1].name == "message" && body.members()[1].value.is_string());
    FUZZ_CHECK(
        body.members()[1].value.as_string() ==
        (where.empty() ? std::string(error) : std::string(where) + ": " + std::string(error)));
  }
  return body;
}

// What the service reads as a header list: a list, or an empty object.
bool is_read_as_header_list(const JsonValue& headers) {
  return headers.is_array() || (headers.is_object() && headers.members().empty());
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
    } else if (header.name == "Cache-Control") {
      FUZZ_CHECK(header.value.as_string() == "no-store");
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

const stepup::gateway::SidebandStateSigner& signer() {
  static const stepup::gateway::SidebandStateSigner instance("fuzz-secret",
                                                             std::chrono::seconds(3600));
  return instance;
}

constexpr int64_t kNow = 1'800'000'000;

void check_sideband_request(std::string_view body, const JsonValue* input) {
  HttpResponse response;
  stepup::gateway::handle_sideband_request(cached_engine(), signer(), kNow, body, response);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  HttpResponse uncached;
  stepup::gateway::handle_sideband_request(uncached_engine(), signer(), kNow, body, uncached);
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
  // Forwarded: every member exactly as sent (but a sent state or response),
  // then a state that verifies for this request.
  std::size_t echoed = 0;
  for (const stepup::JsonMember& member : input->members()) {
    if (member.name == "state" || member.name == "response") continue;
    FUZZ_CHECK(echoed < answer.members().size());
    FUZZ_CHECK(answer.members()[echoed].name == member.name);
    FUZZ_CHECK(stepup::fuzz::json_equal(answer.members()[echoed].value, member.value));
    ++echoed;
  }
  FUZZ_CHECK(answer.members().size() == echoed + 1);
  const JsonValue& state = answer.members().back().value;
  FUZZ_CHECK(answer.members().back().name == "state" && state.is_string());
  FUZZ_CHECK(signer().check(state.as_string(), input->find("method")->as_string(),
                            input->find("url")->as_string(),
                            kNow) == stepup::gateway::StateError::kOk);
  FUZZ_CHECK(is_read_as_header_list(*answer.find("headers")));
}

void check_sideband_response(std::string_view body, const JsonValue* input) {
  HttpResponse response;
  stepup::gateway::handle_sideband_response(signer(), kNow, body, response);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  if (verbose()) std::fprintf(stderr, "response: %d %s\n", response.status, response.body.c_str());
  const JsonValue answer = check_answer(response);
  if (response.status != 200) return;
  // The upstream response, flat or nested, as it was sent.
  FUZZ_CHECK(input != nullptr);
  const JsonValue* nested = input->find("response");
  const JsonValue* upstream =
      input->find("response_code") == nullptr && nested != nullptr ? nested : input;
  FUZZ_CHECK(upstream->is_object());
  FUZZ_CHECK(answer.members().size() == 3 || answer.members().size() == 4);
  const JsonValue* code = answer.find("response_code");
  FUZZ_CHECK(code != nullptr && code->is_string() && code->as_string().size() == 3);
  const JsonValue* sent_code = upstream->find("response_code");
  FUZZ_CHECK(sent_code != nullptr);
  if (sent_code->is_string()) FUZZ_CHECK(sent_code->as_string() == code->as_string());
  if (sent_code->is_integer()) {
    FUZZ_CHECK(std::to_string(sent_code->as_integer()) == code->as_string());
  }
  const JsonValue* status = answer.find("response_status");
  FUZZ_CHECK(status != nullptr && status->is_string());
  if (const JsonValue* sent = upstream->find("response_status");
      sent != nullptr && !sent->is_null()) {
    FUZZ_CHECK(stepup::fuzz::json_equal(*sent, *status));
  }
  const JsonValue* headers = answer.find("headers");
  FUZZ_CHECK(headers != nullptr && is_header_list(*headers));
  if (const JsonValue* sent = upstream->find("headers"); sent != nullptr && sent->is_array()) {
    FUZZ_CHECK(stepup::fuzz::json_equal(*sent, *headers));
  } else {
    FUZZ_CHECK(headers->items().empty());
  }
  const JsonValue* sent_body = upstream->find("body");
  if (const JsonValue* answered = answer.find("body")) {
    FUZZ_CHECK(sent_body != nullptr && stepup::fuzz::json_equal(*sent_body, *answered));
  } else {
    FUZZ_CHECK(sent_body == nullptr || sent_body->is_null());
  }
  // Flat calls prove themselves with a state that verifies, or the request.
  if (upstream == input) {
    const JsonValue* state = input->find("state");
    FUZZ_CHECK((state != nullptr && state->is_string()) ||
               (input->find("request") != nullptr && input->find("request")->is_object()));
  }
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
