// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXAMPLES_GATEWAY_GATEWAY_SERVER_H_
#define STEPUP_EXAMPLES_GATEWAY_GATEWAY_SERVER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/status.h"
#include "gateway/secret_guard.h"
#include "stepup/engine.h"

namespace stepup::gateway {

class HttpServer;
class PolicyWatcher;

struct GatewayOptions {
  // Where to listen. Port 0 picks a free port (see GatewayServer::port()).
  std::string host = "127.0.0.1";
  int port = 8181;
  // Guards /sideband/request and /sideband/response.
  SharedSecret secret = {};
  // Larger request bodies get 413 (Content-Length or chunked).
  std::size_t max_body_bytes = 65536;
  // How long one read from a client may wait before the connection is
  // dropped. Default: 5 s.
  int read_timeout_ms = 5000;
  // The policy document to watch; empty: no watching. Reloads go through
  // Engine::reload(), which reads the file the engine was created from.
  std::string policy_file = {};
  // How often to poll policy_file and its key files; 0: never.
  int watch_interval_ms = 1000;
  // Worker threads; 0: cpp-httplib's default.
  int threads = 0;
  // Where log lines go (one line per call, no newline). Default: stderr.
  std::function<void(std::string_view)> log = {};
};

// The decision service of examples/gateway: nginx auth_request (/auth),
// PingAuthorize-style sideband (/sideband/request, /sideband/response),
// OpenID AuthZEN (/access/v1/evaluation, /access/v1/evaluations) and
// /healthz, over one Engine. See README.md next to this file.
//
//   GatewayServer server(engine, options);
//   if (absl::Status bound = server.bind(); !bound.ok()) ...
//   server.port();    // the port, also when options.port was 0
//   server.serve();   // blocks until stop() is called from another thread
//
// Tests use start(), which binds and serves on a thread of its own.
class GatewayServer {
 public:
  GatewayServer(Engine engine, GatewayOptions options);
  ~GatewayServer();  // stop()
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // Binds the listening socket. After it, clients may connect (the kernel
  // queues them) and port() is known.
  absl::Status bind();
  // Serves until stop(); binds first if bind() was not called. Watches the
  // policy file meanwhile.
  absl::Status serve();
  // bind(), then serve() on a thread of its own; returns once bound.
  absl::Status start();
  // Stops serving (from any thread, also a signal-handling one) and waits
  // for start()'s thread. Safe to call more than once, and before serve().
  void stop();

  // The bound port; 0 before bind().
  int port() const { return port_; }

  // Reloads policy and keys (SIGHUP, or a file change): Engine::reload().
  // A failure keeps the last good state and is logged as one line.
  absl::Status reload();

  const Engine& engine() const { return engine_; }

 private:
  void install_routes();
  void log(std::string_view line) const;

  Engine engine_;
  const GatewayOptions options_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<PolicyWatcher> watcher_;
  std::mutex reload_mutex_;
  std::atomic<int> port_ = 0;
  std::atomic<bool> serving_ = false;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace stepup::gateway

#endif  // STEPUP_EXAMPLES_GATEWAY_GATEWAY_SERVER_H_
