// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_
#define STEPUP_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway_server.h"
#include "stepup/clock.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"

namespace stepup::gateway::testing {

// examples/policy/cases.json holds tokens valid at this instant.
inline constexpr int64_t kCasesNow = 1'800'000'000;
inline constexpr const char* kTestSecret = "test-secret-0123456789";

// The Authorization values of examples/policy/cases.json, by what they show.
struct ExampleCredentials {
  std::string weak;        // acr urn:example:pwd: an acr_values challenge on transfers.
  std::string stale;       // MFA an hour ago: a max_age challenge.
  std::string stepped_up;  // Fresh MFA with payments:write: permitted.
  std::string forged;      // Signed by another key: invalid_token.
  std::string scope_less;  // Fresh MFA without payments:write: 403.
  std::string basic;       // Basic credentials: 400 invalid_request.
};
const ExampleCredentials& example_credentials();

// The exact challenges the example policy produces.
inline constexpr const char* kBareChallenge = "Bearer realm=\"api.example.com\"";
inline constexpr const char* kAcrChallenge =
    "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
    "error_description=\"A different authentication level is required\", "
    "acr_values=\"urn:example:mfa urn:example:hwk\"";
inline constexpr const char* kMaxAgeChallenge =
    "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
    "error_description=\"More recent authentication is required\", max_age=\"300\"";
inline constexpr const char* kForgedChallenge =
    "Bearer realm=\"api.example.com\", error=\"invalid_token\", "
    "error_description=\"the token signature is invalid\"";

// examples/policy.
std::string example_policy_dir();

// A clock fixed at kCasesNow, for every engine of these tests.
const Clock& cases_clock();

// An engine over `policy_file` (default: the example policy) at kCasesNow.
Engine make_engine(const std::string& policy_file = example_policy_dir() + "/policy.json");
// An engine over a document given as text; relative paths resolve against
// examples/policy.
Engine make_engine_from_json(const std::string& policy_json);

// 127.0.0.1:0, the test secret, no file watching.
GatewayOptions test_options();

// A GatewayServer started on its own thread, and the lines it logged.
class RunningGateway {
 public:
  explicit RunningGateway(Engine engine, GatewayOptions options = test_options());
  ~RunningGateway();

  int port() const { return server_->port(); }
  GatewayServer& server() { return *server_; }
  std::unique_ptr<httplib::Client> client() const;
  std::vector<std::string> logs() const;

 private:
  struct LogSink {
    std::mutex mutex;
    std::vector<std::string> lines;
  };
  std::shared_ptr<LogSink> sink_ = std::make_shared<LogSink>();
  std::unique_ptr<GatewayServer> server_;
};

// Parses `text` as a JSON object; fails the test (and returns an empty
// object) if it is not one.
JsonValue parse_json(std::string_view text);

// The members' names, in order.
std::vector<std::string> member_names(const JsonValue& object);

// A fresh directory under the system's temporary folder, removed with its
// contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `name` in the folder atomically (a new file renamed over the old).
  void write(const std::string& name, std::string_view text) const;

 private:
  std::string path_;
};

// Calls `condition` every 20 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends `data` on a fresh connection to 127.0.0.1:`port` and reads until the
// server closes the connection or `timeout` passes (`closed` tells which), or
// with `one_response`, until one whole response has arrived.
std::string raw_exchange(int port, std::string_view data, std::chrono::milliseconds timeout,
                         bool& closed, bool one_response = false);

// One response as read off the wire.
struct RawResponse {
  int status = 0;  // 0: none arrived (closed or timed out first).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first value of `name` (case-insensitive); empty when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

// A client connection to 127.0.0.1:`port` that sends bytes as given and
// reads responses one at a time (Content-Length framing), for requests no
// HTTP client library would send.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends all of `data`; false when the connection is gone.
  bool send(std::string_view data);
  // The next response, waiting at most `timeout`. A HEAD response has no
  // body: pass `head`.
  RawResponse read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                            bool head = false);
  // True when the server closed the connection within `timeout` (bytes that
  // arrive first are dropped).
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

}  // namespace stepup::gateway::testing

#endif  // STEPUP_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_
