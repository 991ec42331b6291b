// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_GATEWAY_SERVER_H_
#define STEPUP_TOOLS_GATEWAY_GATEWAY_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "gateway/authzen.h"
#include "gateway/http_server.h"
#include "gateway/secret_guard.h"
#include "gateway/sideband_state.h"
#include "stepup/clock.h"
#include "stepup/engine.h"
#include "stepup/status.h"

namespace stepup::gateway {

class PolicyWatcher;

struct GatewayOptions {
  // Where and how to serve HTTP (listen address, limits, timeouts, TLS).
  // Port 8181 unless set; 0 picks a free port (see GatewayServer::port()).
  HttpServerOptions http = {.port = 8181};
  // Guards /sideband/request and /sideband/response.
  SharedSecret secret = {};
  // How long a sideband `state` stays valid.
  std::chrono::seconds sideband_state_lifetime{3600};
  // The AuthZEN endpoints' settings.
  AuthzenOptions authzen = {};
  // The policy document to watch; empty: no watching. Reloads go through
  // Engine::reload(), which reads the file the engine was created from.
  std::string policy_file = {};
  // How often to poll policy_file and its key files; 0: never.
  int watch_interval_ms = 1000;
  // The clock sideband states are issued and checked by. Default:
  // system_clock(). Must outlive the server.
  const Clock* clock = nullptr;
  // Where log lines go (one line per call, no newline). Default: stderr.
  std::function<void(std::string_view)> log = {};
};

// The decision service stepup-gateway: nginx auth_request (/auth),
// PingAuthorize sideband (/sideband/request, /sideband/response), OpenID
// AuthZEN 1.0 (/access/v1/evaluation, /access/v1/evaluations and, with a
// public URL configured, /.well-known/authzen-configuration) and /healthz,
// over one Engine. docs/gateway.md describes the protocols.
//
//   GatewayServer server(engine, options);
//   if (absl::Status bound = server.bind(); !bound.ok()) ...
//   server.port();    // the port, also when options.http.port was 0
//   server.serve();   // blocks until stop() is called from another thread
//
// Tests use start(), which binds and serves on a thread of its own.
class GatewayServer {
 public:
  GatewayServer(Engine engine, GatewayOptions options);
  ~GatewayServer();  // stop()
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // Binds the listening socket (and loads the TLS files). After it, clients
  // may connect (the kernel queues them) and port() is known.
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
  int port() const;
  // Connections open now.
  std::size_t connections() const;

  // Reloads policy and keys (SIGHUP, or a file change): Engine::reload().
  // A failure keeps the last good state and is logged as one line.
  absl::Status reload();

  const Engine& engine() const { return engine_; }

  // Answers one request, as the server does for each (for tests and
  // fuzzing, without a socket).
  void handle(const HttpRequest& request, HttpResponse& response) const;

 private:
  void log(std::string_view line) const;

  Engine engine_;
  const GatewayOptions options_;
  const SidebandStateSigner state_signer_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<PolicyWatcher> watcher_;
  std::mutex reload_mutex_;
  std::thread thread_;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_GATEWAY_SERVER_H_
