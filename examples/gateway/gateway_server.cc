// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/gateway_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include "gateway/authzen.h"
#include "gateway/json_writer.h"
#include "gateway/nginx_auth.h"
#include "gateway/policy_watcher.h"
#include "gateway/replies.h"
#include "gateway/sideband.h"

namespace stepup::gateway {

// cpp-httplib's server with a longer listen backlog: 0.11 listens with a
// backlog of 5, which drops connections in bursts (nginx opens one per
// subrequest unless upstream keepalive is on).
class HttpServer : public httplib::Server {
 public:
  static constexpr int kBacklog = 1024;

  // After a bind: listen() again on a listening socket only sets its backlog.
  bool widen_backlog() { return ::listen(svr_sock_, kBacklog) == 0; }
};

namespace {

using HandlerResponse = httplib::Server::HandlerResponse;

// How much of a chunked body over the limit is read and dropped at least.
constexpr std::size_t kMinDropBytes = 1 << 20;

bool is_one_of(std::string_view method, std::initializer_list<std::string_view> methods) {
  for (const std::string_view candidate : methods) {
    if (method == candidate) return true;
  }
  return false;
}

void method_not_allowed(httplib::Response& response, const char* allow) {
  reply_error(response, 405, default_error_message(405));
  response.set_header("Allow", allow);
}

std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

}  // namespace

GatewayServer::GatewayServer(Engine engine, GatewayOptions options)
    : engine_(std::move(engine)),
      options_(std::move(options)),
      http_(std::make_unique<HttpServer>()) {
  install_routes();
}

GatewayServer::~GatewayServer() {
  stop();
}

void GatewayServer::log(std::string_view line) const {
  if (options_.log) {
    options_.log(line);
    return;
  }
  const std::string text = "stepup-gateway: " + std::string(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

void GatewayServer::install_routes() {
  httplib::Server& http = *http_;
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_read_timeout(options_.read_timeout_ms / 1000, (options_.read_timeout_ms % 1000) * 1000);
  // cpp-httplib waits for the first byte of each request (also the first on
  // a connection) with the keep-alive timeout, in whole seconds.
  http.set_keep_alive_timeout(std::max<time_t>(1, (options_.read_timeout_ms + 999) / 1000));
  if (options_.threads > 0) {
    const std::size_t threads = static_cast<std::size_t>(options_.threads);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }

  // Every route is matched here, by exact path, so that a known path with
  // the wrong method is a 405 and anything else a 404.
  auto dispatch = [this](const httplib::Request& request, httplib::Response& response,
                         std::string_view body) {
    const std::string& path = request.path;
    const std::string& method = request.method;
    if (path == "/auth") {
      handle_nginx_auth(engine_, request, response);
    } else if (path == "/healthz") {
      if (!is_one_of(method, {"GET", "HEAD"})) return method_not_allowed(response, "GET, HEAD");
      JsonWriter json;
      json.begin_object().key("status").string("ok");
      json.key("generation").integer(static_cast<int64_t>(engine_.generation())).end_object();
      reply_json(response, 200, json.text());
    } else if (path == "/sideband/request" || path == "/sideband/response") {
      if (method != "POST") return method_not_allowed(response, "POST");
      if (!check_shared_secret(options_.secret, request, response)) return;
      if (path == "/sideband/request") {
        handle_sideband_request(engine_, body, response);
      } else {
        handle_sideband_response(body, response);
      }
    } else if (path == "/access/v1/evaluation" || path == "/access/v1/evaluations") {
      // AuthZEN §10: a request identifier is echoed in the response.
      if (request.has_header("X-Request-ID")) {
        response.set_header("X-Request-ID", request.get_header_value("X-Request-ID"));
      }
      if (method != "POST") return method_not_allowed(response, "POST");
      if (path == "/access/v1/evaluation") {
        handle_authzen_evaluation(engine_, body, response);
      } else {
        handle_authzen_evaluations(engine_, body, response);
      }
    } else {
      reply_error(response, 404, default_error_message(404));
    }
  };

  // Methods cpp-httplib has no handler table for (TRACE, CONNECT) reach
  // routing without a body; the others go through the handlers below.
  http.set_pre_routing_handler([dispatch](const httplib::Request& request,
                                          httplib::Response& response) {
    if (is_one_of(request.method, {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})) {
      return HandlerResponse::Unhandled;
    }
    dispatch(request, response, "");
    return HandlerResponse::Handled;
  });

  auto without_body = [dispatch](const httplib::Request& request, httplib::Response& response) {
    dispatch(request, response, "");
  };
  http.Get(".*", without_body);
  http.Options(".*", without_body);

  // Bodies are read here, so that the size limit also holds for chunked
  // bodies (cpp-httplib enforces it only for Content-Length).
  const std::size_t max_body = options_.max_body_bytes;
  auto with_body = [dispatch, max_body](const httplib::Request& request,
                                        httplib::Response& response,
                                        const httplib::ContentReader& read) {
    if (request.is_multipart_form_data()) {
      reply_error(response, 415, "multipart bodies are not accepted; send JSON");
      return;
    }
    // Without Content-Length or Transfer-Encoding a request has no body
    // (RFC 9112 §6.3); cpp-httplib would read until the connection closes.
    if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding")) {
      dispatch(request, response, "");
      return;
    }
    std::string body;
    bool too_large = false;
    // Past the limit the rest is read and dropped, up to a bound, so that
    // the client sees the 413 rather than a reset connection.
    std::size_t dropped = 0;
    const std::size_t drop_limit = std::max<std::size_t>(kMinDropBytes, 4 * max_body);
    const bool complete = read([&](const char* data, std::size_t size) {
      if (!too_large && size <= max_body - body.size()) {
        body.append(data, size);
        return true;
      }
      too_large = true;
      body.clear();
      dropped += size;
      return dropped <= drop_limit;
    });
    if (!complete || too_large) {
      if (too_large || response.status == 413) {
        reply_error(response, 413, default_error_message(413));
      } else {
        reply_error(response, 400, "the request body could not be read");
      }
      return;
    }
    dispatch(request, response, body);
  };
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Patch(".*", with_body);
  http.Delete(".*", with_body);

  // Errors cpp-httplib answers itself (a malformed request, a body over the
  // Content-Length limit) get a JSON body like the service's own. The empty
  // answers of /auth are decisions and stay empty.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty() || response.has_header("X-Stepup-Status")) {
          return HandlerResponse::Unhandled;
        }
        reply_error(response, response.status, default_error_message(response.status));
        return HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [this](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
        log("internal error while answering " + one_line(request.method) + " " +
            one_line(request.path));
        response.headers.clear();
        reply_error(response, 500, default_error_message(500));
      });
}

absl::Status GatewayServer::bind() {
  if (port_ != 0) return absl::OkStatus();
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
  } else if (!http_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError("cannot listen on " + options_.host + ":" +
                                  std::to_string(options_.port));
  }
  if (!http_->widen_backlog()) log("cannot widen the listen backlog; keeping cpp-httplib's");
  port_ = port;
  return absl::OkStatus();
}

absl::Status GatewayServer::serve() {
  if (absl::Status bound = bind(); !bound.ok()) return bound;
  serving_ = true;
  // stop() sets stopping_ before it looks at serving_, so one of the two
  // sees the other: either stop() waits for the loop to run, or it is not
  // started.
  if (stopping_) {
    serving_ = false;
    return absl::OkStatus();
  }
  if (!options_.policy_file.empty() && options_.watch_interval_ms > 0) {
    watcher_ = std::make_unique<PolicyWatcher>(
        options_.policy_file, std::chrono::milliseconds(options_.watch_interval_ms),
        [this] { (void)reload(); });
    watcher_->start();
  }
  const bool clean = http_->listen_after_bind();
  if (watcher_) watcher_->stop();
  serving_ = false;
  if (!clean) return absl::InternalError("the listening socket failed");
  return absl::OkStatus();
}

absl::Status GatewayServer::start() {
  if (absl::Status bound = bind(); !bound.ok()) return bound;
  if (!thread_.joinable()) {
    thread_ = std::thread([this] {
      if (absl::Status served = serve(); !served.ok()) log(one_line(std::string(served.message())));
    });
  }
  return absl::OkStatus();
}

void GatewayServer::stop() {
  stopping_ = true;
  // httplib::Server::stop() only acts once the accept loop runs.
  while (serving_ && !http_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

absl::Status GatewayServer::reload() {
  std::lock_guard<std::mutex> lock(reload_mutex_);
  const absl::Status status = engine_.reload();
  if (status.ok()) {
    log("policy reloaded (generation " + std::to_string(engine_.generation()) + ")");
  } else {
    log("reload failed, keeping generation " + std::to_string(engine_.generation()) + ": " +
        one_line(std::string(status.message())));
  }
  return status;
}

}  // namespace stepup::gateway
