// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_HTTP_SERVER_H_
#define STEPUP_TOOLS_GATEWAY_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/http_message.h"
#include "gateway/request_parser.h"
#include "stepup/status.h"

namespace stepup::gateway {

// A certificate chain and its private key, both PEM files.
struct TlsFiles {
  std::string certificate_chain_file;
  std::string private_key_file;
};

struct HttpServerOptions {
  // Where to listen. Port 0 picks a free port (see HttpServer::port()).
  std::string host = "127.0.0.1";
  int port = 0;
  RequestLimits limits = {};
  // From a request's first byte to its last: the whole header and body (and
  // the TLS handshake of a new connection). A client that takes longer is
  // disconnected.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a kept-alive connection may wait for its next request. A new
  // connection must start its first request within request_timeout.
  std::chrono::milliseconds idle_timeout{75'000};
  // How long writing one response may take.
  std::chrono::milliseconds write_timeout{10'000};
  // Open connections at most. A connection over the limit replaces the one
  // ConnectionTable ranks first (lingering after its last answer, then
  // silent, then the slowest receiver, then the longest idle kept-alive
  // one); when every connection is busy answering, the new one is closed.
  std::size_t max_connections = 1024;
  // Threads that run the connections.
  int threads = 2;
  // Serve HTTPS (TLS 1.2 or later) instead of plain HTTP.
  std::optional<TlsFiles> tls = std::nullopt;
};

// Answers one complete, well-formed request. Called on any of the server's
// threads, concurrently.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;
// Fills the answer to a request the server refused itself (`status` is 400,
// 413, 417, 431, 500 or 501): a body and its Content-Type.
using HttpErrorResponder = std::function<void(int status, HttpResponse&)>;

// An HTTP/1.1 server (Boost.Beast over Asio) for hostile clients: strict
// parsing with RequestParser's limits, a deadline on each whole request, a
// bound on connections that keeps room for honest clients, keep-alive with
// no cap on requests per connection, and pipelined requests answered in
// order. A malformed request is answered with its status and the connection
// closed.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler, HttpErrorResponder error_responder);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS files, if any, and binds the listening socket; after it
  // port() is known and clients may connect.
  absl::Status bind();
  // Serves on options.threads threads (this one among them) until stop().
  absl::Status run();
  // Makes run() return (from any thread, also before run()). Open
  // connections are dropped.
  void stop();

  // The bound port; 0 before bind().
  int port() const;
  // Connections open now.
  std::size_t connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_HTTP_SERVER_H_
