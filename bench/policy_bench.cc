// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_Policy/<N>: the policy side of one decision alone (the request's
// attributes, then the evaluation of the policy tree) for documents of N
// policies, of which a handful can apply to the request. Policy i targets
// service "svc-<i/4>" with one of four actions; two global policies apply
// to every request. The request goes to svc-1: the same few policies apply
// whatever N is, so the cost should not grow with N.
#include <iostream>
#include <string>

#include "alloc_counter.h"
#include "attributes/request_attributes.h"
#include "bench_fixture.h"
#include "config/document.h"
#include "json/strict_json.h"
#include "policy/evaluator.h"

namespace stepup::bench {
namespace {

constexpr const char* kActions[] = {"inbound-GET", "inbound-POST", "inbound-PUT", "inbound-DELETE"};

std::string many_policies(int count) {
  std::string endpoints;
  std::string children =
      R"({"name":"blocked clients","rules":[{"name":"deny listed","effect":"deny",)"
      R"("condition":"HttpRequest.IPAddress == '198.51.100.66'"}]},)"
      R"({"name":"tokens required","rules":[{"name":"no subject","effect":"deny",)"
      R"json("condition":"!has(HttpRequest.AccessToken.sub)"}]})json";
  for (int i = 0; i < count; ++i) {
    const std::string service = "svc-" + std::to_string(i / 4);
    if (i % 4 == 0) {
      if (!endpoints.empty()) endpoints += ",";
      endpoints += R"({"service":")" + service + R"(","base_path":"/)" + service + R"("})";
    }
    children +=
        R"(,{"name":"policy )" + std::to_string(i) + R"(","target":{"service":[")" + service +
        R"("],"action":[")" + kActions[i % 4] +
        R"("],"path":["items/**"]},"combining":"first-applicable","rules":[)"
        R"json({"name":"strong","effect":"deny","condition":"!acr_at_least('urn:example:mfa')",)json"
        R"("statements":[{"code":"auth-challenge","payload":{"min_acr":"urn:example:mfa"}}]},)"
        R"({"name":"scoped","effect":"permit",)"
        R"("condition":"'payments:write' in HttpRequest.AccessToken.scope"}]})";
  }
  return R"({"stepup":1,"endpoints":[)" + endpoints +
         R"(],"acr_levels":["urn:example:pwd","urn:example:mfa"],)"
         R"("policy":{"name":"api","combining":"deny-unless-permit","children":[)" +
         children + "]}}";
}

void BM_Policy(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> document =
      config::load_policy(many_policies(count), ".");
  if (!document.ok()) {
    std::cerr << document.status() << "\n";
    state.SkipWithError("the generated policy was refused");
    return;
  }
  JsonValue claims;
  const std::string claims_text =
      R"({"sub":"alice","acr":"urn:example:mfa","scope":"payments:read payments:write"})";
  json_internal::parse_json_object(claims_text, 16, claims);
  const Request request{.method = "POST",
                        .path = "/svc-1/items/7",
                        .authorization = std::nullopt,
                        .headers = {},
                        .client_ip = "203.0.113.7",
                        .validated_claims = nullptr};
  policy::EvaluationScratch scratch;
  auto evaluate = [&] {
    const attributes::RequestAttributes attributes(request, &claims, (*document)->endpoint_index,
                                                   bench_now());
    return policy::evaluate_policy((*document)->root, attributes, scratch, nullptr).result;
  };
  if (evaluate() != PolicyResult::kPermit) {
    state.SkipWithError("the generated policy did not permit the request");
    return;
  }
  const AllocationMeter meter;
  for (auto _ : state) {
    benchmark::DoNotOptimize(evaluate());
  }
  meter.report(state);
}

BENCHMARK(BM_Policy)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace stepup::bench
