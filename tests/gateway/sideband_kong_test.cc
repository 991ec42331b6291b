// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// A sideband conversation built exactly as Ping's Kong plugin
// (kong-plugin-ping-auth 1.2.0) builds it, and each answer checked the way
// the plugin reads it:
// - the request call: lower-case header names in a list of single-member
//   objects, repeated names as separate entries, URLs with every '/' escaped
//   as '\/' (lua-cjson), the port always written, source_port a string,
//   http_version "1.1", the secret in CLIENT-TOKEN;
// - its answer: a deny has a truthy "response" with response_code,
//   headers (required) and body; an allow has no "response", and the plugin
//   compares method, url, body and every header with what it sent (a
//   difference rewrites or strips the upstream request) and source_ip and
//   source_port (a difference is logged as an unsupported change), and keeps
//   "state" for the response call;
// - the response call: flat members, with "state" when the answer had one,
//   else "request"; its answer's response_code, headers (they replace the
//   upstream's) and body are what the client gets.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What flatten_headers() makes of a header list: lower-case names, values
// in order.
std::map<std::string, std::vector<std::string>> flatten(const JsonValue& headers) {
  std::map<std::string, std::vector<std::string>> out;
  if (!headers.is_array()) return out;
  for (const JsonValue& entry : headers.items()) {
    for (const JsonMember& member : entry.members()) {
      std::string name = member.name;
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out[name].push_back(std::string(member.value.as_string()));
    }
  }
  return out;
}

// The request call's body as the plugin encodes it, for `authorization`.
std::string kong_request(const std::string& authorization, const std::string& method = "POST",
                         const std::string& path = "\\/payments\\/transfers\\/7") {
  return R"({"source_port":"52144","http_version":"1.1","body":"{\"amount\":10}",)"
         R"("url":"https:\/\/api.example.com:443)" +
         path + R"(?currency=EUR&dry_run","method":")" + method +
         R"(","headers":[{"host":"api.example.com"},{"authorization":")" + authorization +
         R"("},{"accept":"application\/json"},{"x-forwarded-for":"198.51.100.1"},)"
         R"({"x-forwarded-for":"10.0.0.5"},{"user-agent":"curl\/8.5.0"}],)"
         R"("source_ip":"203.0.113.7"})";
}

class KongSidebandTest : public ::testing::Test {
 protected:
  // POST `path` as the plugin does: its headers, Content-Length, keep-alive.
  RawResponse call(const std::string& path, const std::string& body) {
    connection_.send("POST " + path +
                     " HTTP/1.1\r\nHost: 127.0.0.1:8181\r\nConnection: Keep-Alive\r\n"
                     "Content-Type: application/json\r\nUser-Agent: Kong/1.2.0\r\n"
                     "Content-Length: " +
                     std::to_string(body.size()) + "\r\nCLIENT-TOKEN: " + kTestSecret + "\r\n\r\n" +
                     body);
    return connection_.read_response();
  }

  RunningGateway gateway_{make_engine()};
  RawConnection connection_{gateway_.port()};
  const ExampleCredentials& credentials_ = example_credentials();
};

TEST_F(KongSidebandTest, WeakTokenIsAStepUpResponseThePluginSendsAsIs) {
  const RawResponse answer = call("/sideband/request", kong_request(credentials_.weak));
  ASSERT_EQ(answer.status, 200);
  const JsonValue body = parse_json(answer.body);
  const JsonValue* response = body.find("response");
  ASSERT_NE(response, nullptr);
  // tonumber(response_code), flatten_headers(headers), body as a string.
  EXPECT_EQ(std::stoi(std::string(response->find("response_code")->as_string())), 401);
  ASSERT_NE(response->find("headers"), nullptr);
  const auto headers = flatten(*response->find("headers"));
  EXPECT_THAT(headers.at("www-authenticate"), ElementsAre(kAcrChallenge));
  EXPECT_THAT(headers.at("content-type"), ElementsAre("application/json"));
  EXPECT_THAT(std::string(response->find("body")->as_string()),
              HasSubstr("insufficient_user_authentication"));
}

// The whole conversation for a permitted request, once with state and once
// with the original request.
TEST_F(KongSidebandTest, PermittedRequestRoundTrip) {
  const std::string sent = kong_request(credentials_.stepped_up);
  const RawResponse answer = call("/sideband/request", sent);
  ASSERT_EQ(answer.status, 200);
  const JsonValue body = parse_json(answer.body);
  const JsonValue original = parse_json(sent);
  ASSERT_EQ(body.find("response"), nullptr);
  // update_request(): nothing differs, so nothing is rewritten, stripped or
  // logged as an unsupported change.
  for (const char* member : {"method", "url", "body", "source_ip", "source_port"}) {
    ASSERT_NE(body.find(member), nullptr) << member;
    EXPECT_EQ(body.find(member)->as_string(), original.find(member)->as_string()) << member;
  }
  EXPECT_EQ(flatten(*body.find("headers")), flatten(*original.find("headers")));
  const JsonValue* state = body.find("state");
  ASSERT_NE(state, nullptr);
  ASSERT_TRUE(state->is_string());

  // The response phase: the upstream answered 201; the plugin sends the
  // state (its query re-encoded, as it may be) ...
  const std::string upstream_headers =
      R"([{"content-type":"application\/json"},{"location":"\/v1\/payments\/p-1"},)"
      R"({"set-cookie":"a=1"},{"set-cookie":"b=2"}])";
  const std::string with_state =
      R"({"method":"POST","url":"https:\/\/api.example.com:443\/payments\/transfers\/7?dry_run&currency=EUR",)"
      R"("http_version":"1.1","response_code":"201","response_status":"","headers":)" +
      upstream_headers + R"(,"body":"{\"id\":\"p-1\"}","state":")" +
      std::string(state->as_string()) + "\"}";
  const RawResponse by_state = call("/sideband/response", with_state);
  ASSERT_EQ(by_state.status, 200) << by_state.body;
  const JsonValue final_response = parse_json(by_state.body);
  EXPECT_EQ(std::stoi(std::string(final_response.find("response_code")->as_string())), 201);
  // Every upstream header is kept: the plugin removes those left out.
  const JsonValue upstream = parse_json("{\"h\":" + upstream_headers + "}");
  EXPECT_EQ(flatten(*final_response.find("headers")), flatten(*upstream.find("h")));
  EXPECT_EQ(final_response.find("body")->as_string(), "{\"id\":\"p-1\"}");

  // ... or, without state, the original request.
  const std::string with_request =
      R"({"method":"POST","url":"https:\/\/api.example.com:443\/payments\/transfers\/7",)"
      R"("http_version":"1.1","response_code":"200","response_status":"OK","headers":[],)"
      R"("body":"ok","request":)" +
      sent + "}";
  const RawResponse by_request = call("/sideband/response", with_request);
  ASSERT_EQ(by_request.status, 200) << by_request.body;
  EXPECT_EQ(by_request.body,
            R"({"response_code":"200","response_status":"OK","headers":[],"body":"ok"})");
}

// A state the gateway did not issue, or issued for another request, is a
// 400 whose body says why in "message" (the plugin logs it).
TEST_F(KongSidebandTest, StateIsChecked) {
  const RawResponse answer = call("/sideband/request", kong_request(credentials_.stepped_up));
  const std::string state(parse_json(answer.body).find("state")->as_string());
  auto response_call = [&](const std::string& url, const std::string& value) {
    return call("/sideband/response", R"({"method":"POST","url":")" + url +
                                          R"(","response_code":"200","headers":[],"state":")" +
                                          value + "\"}");
  };
  const std::string url = "https://api.example.com:443/payments/transfers/7";
  EXPECT_EQ(response_call(url, state).status, 200);
  std::string tampered = state;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  for (const auto& [what, value] : std::vector<std::pair<std::string, std::string>>{
           {"tampered", tampered}, {"garbage", "v1.x.y"}, {"empty", ""}}) {
    const RawResponse refused = response_call(url, value);
    EXPECT_EQ(refused.status, 400) << what;
    EXPECT_NE(parse_json(refused.body).find("message"), nullptr) << what;
  }
  const RawResponse other = response_call("https://api.example.com:443/accounts/1", state);
  EXPECT_EQ(other.status, 400);
  EXPECT_THAT(other.body, HasSubstr("another request"));
}

TEST(KongSidebandStateTest, StateExpires) {
  ManualClock clock(kCasesNow);
  GatewayOptions options = test_options();
  options.clock = &clock;
  options.sideband_state_lifetime = std::chrono::seconds(60);
  RunningGateway gateway(make_engine(), options);
  RawConnection connection(gateway.port());
  auto post = [&](const std::string& path, const std::string& body) {
    connection.send("POST " + path +
                    " HTTP/1.1\r\nHost: gw\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nCLIENT-TOKEN: " + kTestSecret + "\r\n\r\n" + body);
    return connection.read_response();
  };
  const RawResponse answer =
      post("/sideband/request", kong_request(example_credentials().stepped_up));
  const std::string state(parse_json(answer.body).find("state")->as_string());
  const std::string call = R"({"response_code":"200","state":")" + state + "\"}";
  EXPECT_EQ(post("/sideband/response", call).status, 200);
  clock.advance(61);
  const RawResponse expired = post("/sideband/response", call);
  EXPECT_EQ(expired.status, 400);
  EXPECT_THAT(expired.body, HasSubstr("expired"));
}

// Lua's JSON encoder writes an empty list as {}: a request without headers.
TEST_F(KongSidebandTest, EmptyHeaderObjectIsAnEmptyList) {
  const RawResponse answer =
      call("/sideband/request",
           R"({"method":"GET","url":"https:\/\/api.example.com:443\/accounts\/1","headers":{},)"
           R"("source_ip":"203.0.113.7","source_port":"1","http_version":"1"})");
  ASSERT_EQ(answer.status, 200);
  const JsonValue response = *parse_json(answer.body).find("response");
  EXPECT_EQ(response.find("response_code")->as_string(), "401");
}

// Errors carry "message", which the plugin logs before answering 502.
TEST_F(KongSidebandTest, ErrorsCarryAMessage) {
  const RawResponse answer = call("/sideband/request", R"({"method":"GET"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(parse_json(answer.body).find("message")->as_string(),
            "url: missing (must be a string)");
}

}  // namespace
}  // namespace stepup::gateway::testing
