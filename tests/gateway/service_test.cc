// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// What every endpoint shares: /healthz, unknown paths and methods, body
// limits, malformed and slow clients, and concurrent callers.
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ServiceTest : public ::testing::Test {
 protected:
  RunningGateway gateway_{make_engine()};
  std::unique_ptr<httplib::Client> client_ = gateway_.client();
};

TEST_F(ServiceTest, HealthzReportsTheGeneration) {
  httplib::Result result = client_->Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(result->body, R"({"status":"ok","generation":1,"key_sources":[]})");

  httplib::Result head = client_->Head("/healthz");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);

  httplib::Result post = client_->Post("/healthz", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(post->body, R"({"error":"method not allowed","message":"method not allowed"})");
}

TEST_F(ServiceTest, UnknownPathsAre404) {
  for (const char* path : {"/", "/auth/", "/healthz/x", "/access/v1/search", "/sideband"}) {
    httplib::Result result = client_->Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_EQ(result->body, R"({"error":"not found","message":"not found"})") << path;
  }
  httplib::Result post = client_->Post("/nothing", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
}

TEST_F(ServiceTest, MethodsWithoutHandlerTables) {
  httplib::Request trace;
  trace.method = "TRACE";
  trace.path = "/healthz";
  httplib::Result healthz = client_->send(trace);
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 405);

  // /auth answers any method.
  httplib::Request auth;
  auth.method = "TRACE";
  auth.path = "/auth";
  auth.headers = {{"X-Original-Method", "GET"}, {"X-Original-URI", "/accounts/1"}};
  httplib::Result decided = client_->send(auth);
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->status, 401);
  EXPECT_EQ(decided->get_header_value("X-Stepup-Status"), "401");

  httplib::Result deleted = client_->Delete("/auth", auth.headers);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 401);
}

TEST(ServiceLimitTest, BodiesOverTheLimitAre413) {
  GatewayOptions options = test_options();
  options.http.limits.max_body_bytes = 256;
  RunningGateway gateway(make_engine(), options);
  std::unique_ptr<httplib::Client> client = gateway.client();

  // Exactly at the limit: read (and refused only for its content).
  const std::string at_limit = "{" + std::string(254, ' ') + "}";
  httplib::Result fits = client->Post("/access/v1/evaluation", at_limit, "application/json");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 400);

  const std::string over = "{" + std::string(255, ' ') + "}";
  httplib::Result too_large = client->Post("/access/v1/evaluation", over, "application/json");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(too_large->body,
            R"({"error":"request body too large","message":"request body too large"})");

  // Chunked bodies have no Content-Length to check up front.
  std::size_t chunks_sent = 0;
  httplib::Result chunked = client->Post(
      "/access/v1/evaluation",
      [&](std::size_t, httplib::DataSink& sink) {
        const std::string chunk(100, ' ');
        if (chunks_sent++ < 50) {
          sink.write(chunk.data(), chunk.size());
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);

  // The service is still there.
  httplib::Result health = gateway.client()->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(ServiceTest, MalformedBodiesAre400) {
  for (const char* body : {"", "{", "null", "\"text\"", "{\"a\":1}}", "{\"a\":\"\xff\"}"}) {
    httplib::Result result = client_->Post("/access/v1/evaluation", body, "application/json");
    ASSERT_TRUE(result) << body;
    EXPECT_EQ(result->status, 400) << body;
    const JsonValue answer = parse_json(result->body);
    EXPECT_THAT(member_names(answer), ElementsAre("error", "message", "where")) << body;
  }
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  httplib::Result nested =
      client_->Post("/access/v1/evaluation", "{\"a\":" + deep + "}", "application/json");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->status, 400);
  EXPECT_THAT(nested->body, HasSubstr("deep"));

  httplib::Result multipart = client_->Post("/access/v1/evaluation", "--x\r\n\r\n--x--\r\n",
                                            "multipart/form-data; boundary=x");
  ASSERT_TRUE(multipart);
  EXPECT_EQ(multipart->status, 415);
}

TEST_F(ServiceTest, GarbageOnTheWireGets400AndTheServiceStaysUp) {
  bool closed = false;
  const std::string answer =
      raw_exchange(gateway_.port(), "NOT-HTTP\r\n\r\n", std::chrono::milliseconds(2000), closed);
  EXPECT_THAT(answer, HasSubstr(" 400 "));
  httplib::Result health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// A request without Content-Length or Transfer-Encoding has an empty body
// (RFC 9112 §6.3): answered at once, not after waiting for more bytes.
TEST_F(ServiceTest, NoContentLengthMeansNoBody) {
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  const std::string answer =
      raw_exchange(gateway_.port(), "POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\n\r\n",
                   std::chrono::milliseconds(4000), closed, /*one_response=*/true);
  EXPECT_THAT(answer, HasSubstr(" 400 "));
  EXPECT_THAT(answer, HasSubstr("not valid JSON"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
}

// A client that stops sending in the middle of its request is dropped when
// the request timeout runs out, counted from its first byte; one that sends
// nothing is dropped when the idle timeout runs out.
TEST(ServiceTimeoutTest, SlowClientsAreDropped) {
  GatewayOptions options = test_options();
  options.http.request_timeout = std::chrono::milliseconds(300);
  options.http.idle_timeout = std::chrono::milliseconds(300);
  RunningGateway gateway(make_engine(), options);

  auto start = std::chrono::steady_clock::now();
  bool closed = false;
  const std::string answer = raw_exchange(gateway.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n",
                                          std::chrono::milliseconds(4000), closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(answer, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));

  start = std::chrono::steady_clock::now();
  raw_exchange(gateway.port(), "", std::chrono::milliseconds(4000), closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));

  httplib::Result health = gateway.client()->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// Concurrent callers on kept-alive connections (raw sockets: Debian's
// cpp-httplib client shares state between threads, which ThreadSanitizer
// reports, and this test runs under it).
TEST_F(ServiceTest, ConcurrentCallersGetConsistentAnswers) {
  const ExampleCredentials& credentials = example_credentials();
  std::atomic<int> wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      RawConnection connection(gateway_.port());
      for (int i = 0; i < 40; ++i) {
        const bool weak = (i + t) % 2 == 0;
        connection.send(
            "GET /auth HTTP/1.1\r\nHost: gw\r\nX-Original-Method: POST\r\n"
            "X-Original-URI: /payments/transfers/" +
            std::to_string(i) + "\r\nAuthorization: " +
            (weak ? credentials.weak : credentials.stepped_up) + "\r\n\r\n");
        if (connection.read_response().status != (weak ? 401 : 200)) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(wrong, 0);
}

// Damaged bodies (truncated, bytes flipped or inserted) for every JSON
// endpoint: always 200 or 400 with a JSON body, never 5xx, never a crash.
TEST_F(ServiceTest, DamagedBodiesGetJsonAnswers) {
  const std::string token = example_credentials().weak.substr(7);
  const std::string bearer = "\"Bearer " + token + "\"";
  const std::vector<std::pair<std::string, std::string>> valid = {
      {"/sideband/request",
       R"({"method": "POST", "url": "https://h/payments/transfers/7", "headers": [)"
       R"({"Authorization": )" +
           bearer + R"(}, {"Accept": "*/*"}], "source_ip": "192.0.2.1", "body": "x"})"},
      {"/sideband/response",
       R"({"request": {"method": "GET"}, "response": {"response_code": "200", "headers": []}})"},
      {"/access/v1/evaluation",
       R"({"subject": {"type": "u", "id": "a", "properties": {"token": ")" + token +
           R"("}}, "action": {"name": "POST"}, )"
           R"("resource": {"type": "http", "id": "/payments/t"}})"},
      {"/access/v1/evaluations",
       R"({"subject": {"type": "u", "id": "a"}, "options": {"evaluations_semantic": )"
       R"("deny_on_first_deny"}, "evaluations": [{"action": {"name": "GET"}, "resource": )"
       R"({"type": "http", "id": "/accounts/1"}}, {"action": {"name": "POST"}}]})"},
  };
  std::mt19937 random(20260101);
  const std::string alphabet = "{}[]\":,\\ 0123456789abcnulltrue\x01\xc3\xff";
  int answered = 0;
  for (const auto& [path, body] : valid) {
    for (int i = 0; i < 120; ++i) {
      std::string damaged = body;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits && !damaged.empty(); ++e) {
        const std::size_t at = random() % damaged.size();
        switch (random() % 3) {
          case 0:
            damaged.resize(at);
            break;
          case 1:
            damaged[at] = alphabet[random() % alphabet.size()];
            break;
          default:
            damaged.insert(at, 1, alphabet[random() % alphabet.size()]);
        }
      }
      httplib::Result result =
          client_->Post(path, {{"CLIENT-TOKEN", kTestSecret}}, damaged, "application/json");
      ASSERT_TRUE(result) << path << " " << damaged;
      EXPECT_TRUE(result->status == 200 || result->status == 400)
          << result->status << " " << damaged;
      parse_json(result->body);  // Fails the test unless a JSON object.
      ++answered;
    }
  }
  EXPECT_EQ(answered, 480);
  httplib::Result health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(ServiceStopTest, StopBeforeServeAndTwice) {
  GatewayServer server(make_engine(), test_options());
  server.stop();
  EXPECT_TRUE(server.serve().ok());  // Returns at once: it was stopped.
  server.stop();

  GatewayServer started(make_engine(), test_options());
  ASSERT_TRUE(started.start().ok());
  started.stop();
  started.stop();
}

}  // namespace
}  // namespace stepup::gateway::testing
