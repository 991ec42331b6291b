// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzzes the OpenID AuthZEN endpoints of tools/gateway with the input as
// the request body: handle_authzen_evaluation (one subject/action/resource/
// context tuple becomes a stepup::Request and a decision) and
// handle_authzen_evaluations (defaults, a list of tuples, the three
// evaluation semantics). These are the functions the HTTP routes call; here
// they run without a socket, on the example policy (examples/policy) at the
// instant its example tokens are valid, so seeds holding those tokens reach
// permits, step-up challenges and refusals.
//
// Checked: the status is 200 or 400; the service's headers are safe; the
// answer is a JSON object of the documented shape, whose www_authenticate is
// the engine's well-formed challenge and agrees with its error, acr_values
// and max_age; a batch answers in order, as many entries as its semantic
// allows; a batch without "evaluations" answers as the single endpoint; an
// engine without the token cache answers byte for byte the same.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "decision_checks.h"
#include "example_engines.h"
#include "fuzz_check.h"
#include "gateway/authzen.h"
#include "gateway/json_input.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"

namespace {

using stepup::JsonValue;
using stepup::fuzz::cached_engine;
using stepup::fuzz::kRealm;
using stepup::fuzz::uncached_engine;
using stepup::fuzz::verbose;

using stepup::gateway::HttpResponse;
using Handler = void (*)(const stepup::Engine&, const stepup::gateway::AuthzenOptions&,
                         std::string_view, HttpResponse&);

// A small item limit, so that the fuzzer reaches it.
const stepup::gateway::AuthzenOptions kOptions = {.max_evaluations = 8};

// Runs `handler` on both engines, which must answer alike, and checks what
// every answer has: status 200 or 400, safe headers, a JSON object body, and
// for 400 {"error", "where"}. Returns the response and its parsed body.
std::pair<HttpResponse, JsonValue> answer(Handler handler, std::string_view body) {
  HttpResponse response;
  handler(cached_engine(), kOptions, body, response);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  HttpResponse uncached;
  handler(uncached_engine(), kOptions, body, uncached);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  FUZZ_CHECK(uncached.status == response.status);
  FUZZ_CHECK(uncached.body == response.body);
  if (verbose()) std::fprintf(stderr, "%d %s\n", response.status, response.body.c_str());

  FUZZ_CHECK(response.status == 200 || response.status == 400);
  for (const stepup::gateway::HttpField& field : response.headers) {
    FUZZ_CHECK(!field.name.empty() && stepup::fuzz::header_safe(field.name));
    FUZZ_CHECK(stepup::fuzz::header_safe(field.value));
  }
  FUZZ_CHECK(response.header("Content-Type") == "application/json");
  FUZZ_CHECK(response.header("Cache-Control") == "no-store");
  JsonValue parsed = stepup::fuzz::parse_object_or_die(response.body);
  if (response.status == 400) {
    FUZZ_CHECK(parsed.members().size() == 3);
    FUZZ_CHECK(parsed.members()[0].name == "error" && parsed.members()[0].value.is_string());
    FUZZ_CHECK(!parsed.members()[0].value.as_string().empty());
    FUZZ_CHECK(parsed.members()[2].name == "where" && parsed.members()[2].value.is_string());
    const std::string_view where = parsed.members()[2].value.as_string();
    const std::string_view error = parsed.members()[0].value.as_string();
    FUZZ_CHECK(parsed.members()[1].name == "message" && parsed.members()[1].value.is_string());
    FUZZ_CHECK(
        parsed.members()[1].value.as_string() ==
        (where.empty() ? std::string(error) : std::string(where) + ": " + std::string(error)));
  }
  return {std::move(response), std::move(parsed)};
}

// One evaluation result: {"decision": true} or {"decision": false,
// "context": {...}} with the members that apply, in the documented order.
void check_result(const JsonValue& result) {
  FUZZ_CHECK(result.is_object() && !result.members().empty());
  FUZZ_CHECK(result.members()[0].name == "decision" && result.members()[0].value.is_bool());
  if (result.members()[0].value.as_bool()) {
    FUZZ_CHECK(result.members().size() == 1);
    return;
  }
  FUZZ_CHECK(result.members().size() == 2 && result.members()[1].name == "context");
  const JsonValue& context = result.members()[1].value;
  FUZZ_CHECK(context.is_object());
  // An evaluation that could not be made: {"error": {"status", "message"}}.
  if (const JsonValue* failure = context.find("error");
      failure != nullptr && failure->is_object()) {
    FUZZ_CHECK(context.members().size() == 1 && failure->members().size() == 2);
    const JsonValue* failure_status = failure->find("status");
    FUZZ_CHECK(failure_status != nullptr && failure_status->is_integer());
    FUZZ_CHECK(failure_status->as_integer() == 400 || failure_status->as_integer() == 403);
    const JsonValue* message = failure->find("message");
    FUZZ_CHECK(message != nullptr && message->is_string() && !message->as_string().empty());
    return;
  }

  static constexpr std::string_view kOrder[] = {
      "status", "error", "acr_values", "max_age", "scope", "www_authenticate", "reason_user"};
  std::size_t next = 0;
  for (const stepup::JsonMember& member : context.members()) {
    while (next < std::size(kOrder) && kOrder[next] != member.name)
      ++next;
    FUZZ_CHECK(next < std::size(kOrder));
    ++next;
  }
  const JsonValue* status = context.find("status");
  FUZZ_CHECK(status != nullptr && status->is_integer());
  // The example policy answers 400, 401 or 403 when it does not permit.
  FUZZ_CHECK(status->as_integer() == 400 || status->as_integer() == 401 ||
             status->as_integer() == 403);
  const JsonValue* error = context.find("error");
  FUZZ_CHECK(error == nullptr || (error->is_string() && !error->as_string().empty()));
  const JsonValue* reason = context.find("reason_user");
  FUZZ_CHECK(reason != nullptr && reason->is_object() && reason->members().size() == 1);
  FUZZ_CHECK(reason->find("en") != nullptr && reason->find("en")->is_string());

  const JsonValue* challenge = context.find("www_authenticate");
  if (status->as_integer() == 401) FUZZ_CHECK(challenge != nullptr);
  const JsonValue* acr_values = context.find("acr_values");
  const JsonValue* max_age = context.find("max_age");
  if (challenge == nullptr) {
    FUZZ_CHECK(acr_values == nullptr && max_age == nullptr);
    return;
  }
  FUZZ_CHECK(challenge->is_string());
  const std::string_view error_code = error != nullptr ? error->as_string() : std::string_view();
  const stepup::Challenge parsed =
      stepup::fuzz::check_www_authenticate(challenge->as_string(), kRealm, error_code);
  // The step-up members repeat the challenge's.
  if (acr_values != nullptr) {
    FUZZ_CHECK(error_code == "insufficient_user_authentication");
    FUZZ_CHECK(acr_values->is_string() && !acr_values->as_string().empty());
    const std::string* sent = parsed.param("acr_values");
    FUZZ_CHECK(sent != nullptr && acr_values->as_string() == *sent);
  }
  if (max_age != nullptr) {
    FUZZ_CHECK(max_age->is_integer() && max_age->as_integer() >= 0);
    const std::string* sent = parsed.param("max_age");
    FUZZ_CHECK(sent != nullptr && *sent == std::to_string(max_age->as_integer()));
  }
}

enum class Semantic { kExecuteAll, kDenyOnFirstDeny, kPermitOnFirstPermit };

// The semantic the input asks for (when it is one of the three).
std::optional<Semantic> semantic_of(const JsonValue& input) {
  const JsonValue* options = input.find("options");
  if (options == nullptr || options->is_null()) return Semantic::kExecuteAll;
  const JsonValue* semantic = options->find("evaluations_semantic");
  if (semantic == nullptr || semantic->is_null()) return Semantic::kExecuteAll;
  if (semantic->as_string() == "execute_all") return Semantic::kExecuteAll;
  if (semantic->as_string() == "deny_on_first_deny") return Semantic::kDenyOnFirstDeny;
  if (semantic->as_string() == "permit_on_first_permit") return Semantic::kPermitOnFirstPermit;
  return std::nullopt;
}

void check_batch(const JsonValue& answer, const JsonValue& input) {
  FUZZ_CHECK(answer.members().size() == 1);
  const JsonValue* results = answer.find("evaluations");
  FUZZ_CHECK(results != nullptr && results->is_array());
  const JsonValue* requested = input.find("evaluations");
  FUZZ_CHECK(requested != nullptr && requested->is_array());
  const std::size_t asked = requested->items().size();
  const std::size_t answered = results->items().size();
  FUZZ_CHECK(asked >= 1 && asked <= kOptions.max_evaluations);
  FUZZ_CHECK(answered <= asked);
  const std::optional<Semantic> semantic = semantic_of(input);
  FUZZ_CHECK(semantic.has_value());
  for (std::size_t i = 0; i < answered; ++i) {
    const JsonValue& result = results->items()[i];
    check_result(result);
    const bool permitted = result.members()[0].value.as_bool();
    const bool last = i + 1 == answered;
    // Evaluation stops at the first result its semantic stops at, and only there.
    if (*semantic == Semantic::kDenyOnFirstDeny) FUZZ_CHECK(permitted || last);
    if (*semantic == Semantic::kPermitOnFirstPermit) FUZZ_CHECK(!permitted || last);
    if (last && answered < asked) {
      FUZZ_CHECK(*semantic != Semantic::kExecuteAll);
      FUZZ_CHECK(permitted == (*semantic == Semantic::kPermitOnFirstPermit));
    }
  }
  if (*semantic == Semantic::kExecuteAll) FUZZ_CHECK(answered == asked);
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
  JsonValue input;
  const bool parsed = !stepup::gateway::parse_body(body, input).has_value();

  const auto [single, single_answer] = answer(&stepup::gateway::handle_authzen_evaluation, body);
  if (single.status == 200) {
    FUZZ_CHECK(parsed);
    check_result(single_answer);
  }

  const auto [batch, batch_answer] = answer(&stepup::gateway::handle_authzen_evaluations, body);
  if (batch.status != 200) return 0;
  FUZZ_CHECK(parsed);
  if (batch_answer.find("evaluations") != nullptr) {
    check_batch(batch_answer, input);
  } else {
    // Without "evaluations", or with an empty one, the batch endpoint is
    // the single one.
    const JsonValue* evaluations = input.find("evaluations");
    FUZZ_CHECK(evaluations == nullptr || evaluations->is_null() ||
               (evaluations->is_array() && evaluations->items().empty()));
    FUZZ_CHECK(single.status == 200 && single.body == batch.body);
  }
  return 0;
}
