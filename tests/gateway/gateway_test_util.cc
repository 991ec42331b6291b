// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/gateway_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "support/files.h"

namespace stepup::gateway::testing {
namespace {

std::string authorization_of(const JsonValue& cases, std::string_view name) {
  for (const JsonValue& entry : cases.find("cases")->items()) {
    if (entry.find("name")->as_string() != name) continue;
    const JsonValue* authorization = entry.find("request")->find("authorization");
    if (authorization != nullptr) return std::string(authorization->as_string());
  }
  ADD_FAILURE() << "no case named \"" << name << "\" with an authorization in cases.json";
  return "";
}

// True once `text` holds a whole response: its headers and as many body
// bytes as its Content-Length says.
bool response_complete(const std::string& text) {
  const std::size_t end = text.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::size_t length = 0;
  const std::regex content_length("\r\ncontent-length: *([0-9]+)", std::regex::icase);
  std::smatch match;
  const std::string head = text.substr(0, end + 2);
  if (std::regex_search(head, match, content_length)) length = std::stoul(match[1]);
  return text.size() >= end + 4 + length;
}

}  // namespace

std::string example_policy_dir() {
  return STEPUP_EXAMPLE_POLICY_DIR;
}

const ExampleCredentials& example_credentials() {
  static const ExampleCredentials* credentials = [] {
    const JsonValue cases =
        parse_json(stepup::testing::read_file(example_policy_dir() + "/cases.json"));
    auto* loaded = new ExampleCredentials();
    loaded->weak = authorization_of(cases, "weak acr gets an acr_values challenge");
    loaded->stale = authorization_of(cases, "stale authentication gets a max_age challenge");
    loaded->stepped_up = authorization_of(cases, "fresh MFA with scope is permitted");
    loaded->forged = authorization_of(cases, "forged token is invalid_token");
    loaded->scope_less = authorization_of(cases, "strong but without the scope is forbidden");
    loaded->basic = authorization_of(cases, "Basic credentials are a bad request");
    return loaded;
  }();
  return *credentials;
}

const Clock& cases_clock() {
  static const ManualClock* clock = new ManualClock(kCasesNow);
  return *clock;
}

Engine make_engine(const std::string& policy_file) {
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyFile{policy_file}, .clock = &cases_clock()});
  if (!engine.ok()) {
    ADD_FAILURE() << policy_file << ": " << engine.status();
    std::abort();
  }
  return *std::move(engine);
}

Engine make_engine_from_json(const std::string& policy_json) {
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy = PolicyText{policy_json, example_policy_dir()}, .clock = &cases_clock()});
  if (!engine.ok()) {
    ADD_FAILURE() << engine.status();
    std::abort();
  }
  return *std::move(engine);
}

GatewayOptions test_options() {
  GatewayOptions options;
  options.http.host = "127.0.0.1";
  options.http.port = 0;
  options.secret.value = kTestSecret;
  options.watch_interval_ms = 0;
  return options;
}

RunningGateway::RunningGateway(Engine engine, GatewayOptions options) {
  options.log = [sink = sink_](std::string_view line) {
    std::lock_guard<std::mutex> lock(sink->mutex);
    sink->lines.emplace_back(line);
  };
  server_ = std::make_unique<GatewayServer>(std::move(engine), std::move(options));
  const absl::Status started = server_->start();
  EXPECT_TRUE(started.ok()) << started;
  EXPECT_GT(server_->port(), 0);
}

RunningGateway::~RunningGateway() {
  server_->stop();
}

std::unique_ptr<httplib::Client> RunningGateway::client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port());
  client->set_connection_timeout(5);
  client->set_read_timeout(10);
  return client;
}

std::vector<std::string> RunningGateway::logs() const {
  std::lock_guard<std::mutex> lock(sink_->mutex);
  return sink_->lines;
}

JsonValue parse_json(std::string_view text) {
  std::optional<JsonValue> value = JsonValue::parse_object(text, 64);
  EXPECT_TRUE(value.has_value()) << "not a JSON object: " << text;
  if (!value) return JsonValue::object({});
  return *std::move(value);
}

std::vector<std::string> member_names(const JsonValue& object) {
  std::vector<std::string> names;
  for (const JsonMember& member : object.members())
    names.push_back(member.name);
  return names;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "stepup-gateway-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& name, std::string_view text) const {
  const std::string target = path_ + "/" + name;
  const std::string staging = target + ".new";
  {
    std::ofstream out(staging, std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << staging;
  }
  std::filesystem::rename(staging, target);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

std::string raw_exchange(int port, std::string_view data, std::chrono::milliseconds timeout,
                         bool& closed, bool one_response) {
  closed = false;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ADD_FAILURE() << "cannot connect to port " << port;
    ::close(fd);
    return "";
  }
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    received.append(buffer, static_cast<std::size_t>(n));
    if (one_response && response_complete(received)) break;
  }
  ::close(fd);
  return received;
}

std::string RawResponse::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (equals_ignoring_case(field, name)) return value;
  }
  return "";
}

bool RawResponse::has_header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (equals_ignoring_case(field, name)) return true;
  }
  return false;
}

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

RawResponse RawConnection::read_response(std::chrono::milliseconds timeout, bool head) {
  RawResponse response;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const std::size_t end = pending_.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::istringstream lines(pending_.substr(0, end));
      std::string line;
      std::getline(lines, line);
      std::vector<std::pair<std::string, std::string>> headers;
      std::size_t length = 0;
      while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
          value.erase(0, 1);
        headers.emplace_back(line.substr(0, colon), value);
        if (equals_ignoring_case(headers.back().first, "Content-Length")) {
          length = std::stoul(value);
        }
      }
      if (head) length = 0;
      if (pending_.size() >= end + 4 + length) {
        const std::string status_line = pending_.substr(0, pending_.find("\r\n"));
        response.status = std::atoi(status_line.substr(9, 3).c_str());
        response.headers = std::move(headers);
        response.body = pending_.substr(end + 4, length);
        pending_.erase(0, end + 4 + length);
        return response;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || fd_ < 0) return response;
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return response;
    char buffer[16384];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return response;
    pending_.append(buffer, static_cast<std::size_t>(n));
  }
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
  }
  return true;
}

}  // namespace stepup::gateway::testing
