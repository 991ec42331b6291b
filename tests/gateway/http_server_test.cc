// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The gateway's HTTP layer against hostile and broken clients: framing
// refused with its status, limits, keep-alive without a request cap,
// pipelining, 100-continue, what is echoed, and slow or idle clients that
// must not keep /healthz or honest callers from being served.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway::testing {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr char kHealthz[] = "GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n";

class HttpServerTest : public ::testing::Test {
 protected:
  // The status answering `request` alone on a new connection, and whether
  // the server closed the connection after it.
  std::pair<int, bool> answer(const std::string& request) {
    RawConnection connection(gateway_.port());
    EXPECT_TRUE(connection.connected());
    connection.send(request);
    const RawResponse response = connection.read_response(milliseconds(3000));
    return {response.status, connection.closed_within(milliseconds(1500))};
  }

  RunningGateway gateway_{make_engine()};
};

// Each malformed or unsupported request: its status, then the connection
// closed (nothing after it can be framed safely).
TEST_F(HttpServerTest, FramingCasesGetTheirStatusAndClose) {
  struct Case {
    const char* what;
    std::string request;
    int status;
  };
  const std::string start = "POST /healthz HTTP/1.1\r\nHost: gw\r\n";
  std::string many_fields = "GET /healthz HTTP/1.1\r\nHost: gw\r\n";
  for (int i = 0; i < 200; ++i)
    many_fields += "A" + std::to_string(i) + ": b\r\n";
  const std::vector<Case> cases = {
      {"header line without a colon", "GET /healthz HTTP/1.1\r\nHost: gw\r\nNoColon\r\n\r\n", 400},
      {"space before the colon", "GET /healthz HTTP/1.1\r\nHost: gw\r\nX-A : b\r\n\r\n", 400},
      {"Content-Length with a sign", start + "Content-Length: +2\r\n\r\nab", 400},
      {"Content-Length in hex", start + "Content-Length: 0x2\r\n\r\nab", 400},
      {"negative Content-Length", start + "Content-Length: -1\r\n\r\n", 400},
      {"conflicting Content-Length", start + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
       400},
      {"conflicting Content-Length list", start + "Content-Length: 2, 3\r\n\r\nabc", 400},
      {"Content-Length and chunked",
       start + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"unknown Transfer-Encoding", start + "Transfer-Encoding: gzip\r\n\r\nab", 501},
      {"coding before chunked", start + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
      {"no Host in HTTP/1.1", "GET /healthz HTTP/1.1\r\n\r\n", 400},
      {"two Host fields", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"200 header fields", many_fields + "\r\n", 431},
      {"a 20 KB header field",
       "GET /healthz HTTP/1.1\r\nHost: gw\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 431},
      {"a 20 KB request target",
       "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: gw\r\n\r\n", 431},
      {"not HTTP", "NOT-HTTP\r\n\r\n", 400},
      {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400},
      {"an expectation other than 100-continue", start + "Expect: magic\r\n\r\n", 417},
      {"a body over the limit, by Content-Length", start + "Content-Length: 70000\r\n\r\n", 413},
      {"a bad chunk size", start + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const Case& c : cases) {
    const auto [status, closed] = answer(c.request);
    EXPECT_EQ(status, c.status) << c.what;
    EXPECT_TRUE(closed) << c.what;
  }
}

// Error answers carry a JSON body like the service's own.
TEST_F(HttpServerTest, RefusalsHaveJsonBodies) {
  RawConnection connection(gateway_.port());
  connection.send("POST /healthz HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: br\r\n\r\n");
  const RawResponse response = connection.read_response();
  EXPECT_EQ(response.status, 501);
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(response.header("Connection"), "close");
  const JsonValue body = parse_json(response.body);
  EXPECT_THAT(std::string(body.find("message")->as_string()), HasSubstr("chunked"));
}

// No small cap on requests per connection: nginx's kept-alive upstream
// connections are never closed under it.
TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  RawConnection connection(gateway_.port());
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(connection.send(kHealthz)) << i;
    const RawResponse response = connection.read_response();
    ASSERT_EQ(response.status, 200) << i;
    EXPECT_FALSE(response.has_header("Connection")) << i;
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(gateway_.port());
  connection.send(std::string(kHealthz) +
                  "GET /nowhere HTTP/1.1\r\nHost: gw\r\n\r\n"
                  "POST /healthz HTTP/1.1\r\nHost: gw\r\nContent-Length: 3\r\n\r\nabc" +
                  kHealthz);
  EXPECT_EQ(connection.read_response().status, 200);
  EXPECT_EQ(connection.read_response().status, 404);
  EXPECT_EQ(connection.read_response().status, 405);
  EXPECT_EQ(connection.read_response().status, 200);
}

TEST_F(HttpServerTest, ChunkedBodiesAreRead) {
  RawConnection connection(gateway_.port());
  connection.send(
      "POST /access/v1/evaluation HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: application/json\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nX-Trailer: 1\r\n\r\n");
  const RawResponse response = connection.read_response();
  EXPECT_EQ(response.status, 400);  // Read whole, and refused for its content.
  EXPECT_EQ(parse_json(response.body).find("where")->as_string(), "subject");
  // The connection stays usable.
  connection.send(kHealthz);
  EXPECT_EQ(connection.read_response().status, 200);
}

TEST_F(HttpServerTest, ExpectContinueGetsTheInterimAnswer) {
  RawConnection connection(gateway_.port());
  connection.send(
      "POST /access/v1/evaluation HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\n"
      "Content-Length: 2\r\n\r\n");
  EXPECT_EQ(connection.read_response().status, 100);
  connection.send("{}");
  EXPECT_EQ(connection.read_response().status, 400);
}

TEST_F(HttpServerTest, HeadHasNoBody) {
  RawConnection connection(gateway_.port());
  connection.send("HEAD /healthz HTTP/1.1\r\nHost: gw\r\n\r\n");
  const RawResponse head = connection.read_response(milliseconds(3000), /*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_NE(head.header("Content-Length"), "0");
  connection.send(kHealthz);
  const RawResponse next = connection.read_response();
  EXPECT_EQ(next.status, 200);  // Framing held: no stray body was sent.
  EXPECT_EQ(next.body.substr(0, 1), "{");
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeptAlive) {
  EXPECT_TRUE(answer("GET /healthz HTTP/1.0\r\n\r\n").second);
  RawConnection connection(gateway_.port());
  connection.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const RawResponse response = connection.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Connection"), "keep-alive");
  connection.send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(connection.read_response().status, 200);
}

// X-Request-ID is copied back only when it is short visible ASCII: no
// control byte, no byte above 0x7e, nothing long.
TEST_F(HttpServerTest, OnlySafeRequestIdsAreEchoed) {
  struct Case {
    std::string id;
    bool echoed;
  };
  const std::vector<Case> cases = {{"bfe9eb29-ab87-4ca3", true},
                                   {std::string(128, 'a'), true},
                                   {std::string(129, 'a'), false},
                                   {"a\x0b"
                                    "b",
                                    false},
                                   {"a\xff"
                                    "b",
                                    false},
                                   {"a b", false},
                                   {"%0d%0aSet-Cookie:x", true}};
  for (const Case& c : cases) {
    RawConnection connection(gateway_.port());
    connection.send("POST /access/v1/evaluation HTTP/1.1\r\nHost: gw\r\nX-Request-ID: " + c.id +
                    "\r\nContent-Length: 2\r\n\r\n{}");
    const RawResponse response = connection.read_response();
    EXPECT_EQ(response.status, 400) << c.id;
    EXPECT_EQ(response.has_header("X-Request-ID"), c.echoed) << c.id;
    if (c.echoed) {
      EXPECT_EQ(response.header("X-Request-ID"), c.id);
    }
  }
  // Repeated: not echoed (which one would be the identifier?).
  RawConnection connection(gateway_.port());
  connection.send(
      "GET /healthz HTTP/1.1\r\nHost: gw\r\nX-Request-ID: a\r\nX-Request-ID: b\r\n\r\n");
  const RawResponse response = connection.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.has_header("X-Request-ID"));
}

// Slow clients (one header line every 200 ms) and idle ones fill more than
// the connection limit; once they have, /healthz is probed every 100 ms: every probe is
// answered within 2 s, slow clients are cut at the request timeout, and an
// honest caller on a kept-alive connection keeps being served. (A cut slow
// client lingers as closing and is the first to make room; a probe whose
// request waits unread ranks after the slow clients connected before it.)
TEST(HttpServerHostileTest, SlowAndIdleClientsDoNotStarveHonestOnes) {
  GatewayOptions options = test_options();
  options.http.max_connections = 24;
  options.http.request_timeout = milliseconds(1500);
  options.http.idle_timeout = milliseconds(60000);
  options.http.threads = 2;
  RunningGateway gateway(make_engine(), options);

  RawConnection honest(gateway.port());
  honest.send(kHealthz);
  ASSERT_EQ(honest.read_response().status, 200);

  std::atomic<bool> done = false;
  std::atomic<int> slow_cut = 0;
  std::atomic<int> attackers_ready = 0;
  std::vector<std::thread> attackers;
  for (int t = 0; t < 2; ++t) {
    attackers.emplace_back([&] {
      // 15 slow and 15 idle connections per thread, each reopened when cut.
      std::vector<std::unique_ptr<RawConnection>> slow;
      std::vector<std::unique_ptr<RawConnection>> idle;
      for (int i = 0; i < 15; ++i) {
        slow.push_back(std::make_unique<RawConnection>(gateway.port()));
        slow.back()->send("GET /healthz HTTP/1.1\r\nHost: gw\r\n");
        idle.push_back(std::make_unique<RawConnection>(gateway.port()));
      }
      ++attackers_ready;
      while (!done) {
        for (auto& connection : slow) {
          if (!connection->send("X-Slow: 1\r\n")) {
            ++slow_cut;
            connection = std::make_unique<RawConnection>(gateway.port());
            connection->send("GET /healthz HTTP/1.1\r\nHost: gw\r\n");
          }
        }
        std::this_thread::sleep_for(milliseconds(200));
      }
    });
  }

  // The table fills first: the claim is about honest callers arriving while
  // it is full, not about one racing the flood's own first connections.
  const bool filled = eventually([&] { return attackers_ready == 2; });
  std::this_thread::sleep_for(milliseconds(300));

  int probes = 0;
  int late = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(filled ? 4 : 0);
  while (std::chrono::steady_clock::now() < end) {
    const auto start = std::chrono::steady_clock::now();
    RawConnection probe(gateway.port());
    probe.send(kHealthz);
    const RawResponse response = probe.read_response(milliseconds(2000));
    const auto waited =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    if (response.status != 200 || waited > milliseconds(2000)) {
      ++late;
      ADD_FAILURE() << "probe " << probes << ": status " << response.status << " after "
                    << waited.count() << " ms";
    }
    ++probes;
    honest.send(kHealthz);
    const int honest_status = honest.read_response(milliseconds(2000)).status;
    if (honest_status != 200) {
      ++late;
      ADD_FAILURE() << "kept-alive caller after probe " << probes << ": status " << honest_status;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  done = true;
  for (std::thread& attacker : attackers)
    attacker.join();
  EXPECT_TRUE(filled) << "the attackers did not connect";
  EXPECT_GE(probes, 10);
  EXPECT_EQ(late, 0);
  EXPECT_GT(slow_cut, 0);
  EXPECT_LE(gateway.server().connections(), options.http.max_connections);
}

// At the limit, a new connection takes the place of one that has sent
// nothing, before any kept-alive connection that has served requests.
TEST(HttpServerHostileTest, NewConnectionsReplaceSilentOnesFirst) {
  GatewayOptions options = test_options();
  options.http.max_connections = 3;
  RunningGateway gateway(make_engine(), options);
  RawConnection kept_alive(gateway.port());
  kept_alive.send(kHealthz);
  ASSERT_EQ(kept_alive.read_response().status, 200);
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 2; ++i) {
    silent.push_back(std::make_unique<RawConnection>(gateway.port()));
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(eventually([&] { return gateway.server().connections() == 3; }));
  RawConnection fresh(gateway.port());
  fresh.send(kHealthz);
  EXPECT_EQ(fresh.read_response().status, 200);
  EXPECT_TRUE(silent[0]->closed_within(milliseconds(2000)));
  EXPECT_FALSE(silent[1]->closed_within(milliseconds(200)));
  kept_alive.send(kHealthz);
  EXPECT_EQ(kept_alive.read_response().status, 200);
  EXPECT_LE(gateway.server().connections(), 3u);
}

// A connection answered for the last time lingers while it drains what the
// client still sends; at the limit it makes room before a kept-alive one.
TEST(HttpServerHostileTest, LingeringConnectionsMakeRoomBeforeKeptAliveOnes) {
  GatewayOptions options = test_options();
  options.http.max_connections = 3;
  RunningGateway gateway(make_engine(), options);
  RawConnection kept_alive(gateway.port());
  kept_alive.send(kHealthz);
  ASSERT_EQ(kept_alive.read_response().status, 200);
  std::vector<std::unique_ptr<RawConnection>> refused;
  for (int i = 0; i < 2; ++i) {
    refused.push_back(std::make_unique<RawConnection>(gateway.port()));
    refused.back()->send("GET /healthz HTTP/1.1\r\nHost: gw\r\nContent-Length: x\r\n\r\n");
    ASSERT_EQ(refused.back()->read_response().status, 400);
    // The server shuts down its sending side once it lingers: only then is
    // the connection ranked as lingering (the client may read the answer
    // before the server has moved on from writing it).
    ASSERT_TRUE(refused.back()->closed_within(milliseconds(2000)));
  }
  // Both now linger (up to 1 s), still counted.
  ASSERT_EQ(gateway.server().connections(), 3u);
  RawConnection fresh(gateway.port());
  fresh.send(kHealthz);
  EXPECT_EQ(fresh.read_response().status, 200);
  kept_alive.send(kHealthz);
  EXPECT_EQ(kept_alive.read_response().status, 200);
}

// A new connection that sends nothing is closed after the request timeout,
// not the (longer) idle timeout of kept-alive ones.
TEST(HttpServerHostileTest, SilentConnectionsAreCutAtTheRequestTimeout) {
  GatewayOptions options = test_options();
  options.http.request_timeout = milliseconds(300);
  options.http.idle_timeout = milliseconds(60000);
  RunningGateway gateway(make_engine(), options);
  RawConnection silent(gateway.port());
  EXPECT_TRUE(silent.closed_within(milliseconds(2000)));
  RawConnection kept_alive(gateway.port());
  kept_alive.send(kHealthz);
  ASSERT_EQ(kept_alive.read_response().status, 200);
  EXPECT_FALSE(kept_alive.closed_within(milliseconds(800)));
}

}  // namespace
}  // namespace stepup::gateway::testing
