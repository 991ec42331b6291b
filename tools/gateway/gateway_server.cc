// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/gateway_server.h"

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>

#include "gateway/authzen.h"
#include "gateway/http_text.h"
#include "gateway/json_writer.h"
#include "gateway/nginx_auth.h"
#include "gateway/policy_watcher.h"
#include "gateway/replies.h"
#include "gateway/sideband.h"
#include "stepup/clock.h"

namespace stepup::gateway {
namespace {

bool is_one_of(std::string_view method, std::initializer_list<std::string_view> methods) {
  for (const std::string_view candidate : methods) {
    if (method == candidate) return true;
  }
  return false;
}

void method_not_allowed(HttpResponse& response, const char* allow) {
  reply_error(response, 405, default_error_message(405));
  response.set_header("Allow", allow);
}

// A body endpoint takes JSON: a Content-Type, when given, must say so.
bool accepts_content_type(const HttpRequest& request, HttpResponse& response) {
  const HttpField* type = request.find("Content-Type");
  if (type == nullptr) return true;
  const std::string_view value = type->value;
  const std::string_view media = trim_whitespace(value.substr(0, value.find(';')));
  if (equals_ignoring_case(media, "application/json")) return true;
  reply_error(response, 415, "the body must be JSON (Content-Type: application/json)");
  return false;
}

// `"key_sources": [...]`: each remote key set's state (docs/gateway.md).
void write_key_sources(JsonWriter& json, const std::vector<KeySourceStatus>& sources) {
  json.key("key_sources").begin_array();
  for (const KeySourceStatus& source : sources) {
    json.begin_object().key("validator").string(source.validator);
    json.key("source").string(source.source);
    if (!source.jwks_uri.empty()) json.key("jwks_uri").string(source.jwks_uri);
    json.key("has_keys").boolean(source.has_keys);
    json.key("usable_keys").integer(static_cast<int64_t>(source.usable_keys));
    json.key("skipped_keys").integer(static_cast<int64_t>(source.skipped_keys));
    if (source.fetched_at) json.key("fetched_at").integer(*source.fetched_at);
    if (source.checked_at) json.key("checked_at").integer(*source.checked_at);
    if (source.age_seconds) json.key("age_seconds").integer(*source.age_seconds);
    json.key("next_fetch_at").integer(source.next_fetch_at);
    json.key("fetches").integer(static_cast<int64_t>(source.fetches));
    json.key("consecutive_failures").integer(source.consecutive_failures);
    if (!source.last_error.empty()) json.key("last_error").string(source.last_error);
    json.end_object();
  }
  json.end_array();
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
      state_signer_(options_.secret.value, options_.sideband_state_lifetime) {
  http_ = std::make_unique<HttpServer>(
      options_.http,
      [this](const HttpRequest& request, HttpResponse& response) { handle(request, response); },
      [](int status, HttpResponse& response) {
        reply_error(response, status, default_error_message(status));
      });
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

void GatewayServer::handle(const HttpRequest& request, HttpResponse& response) const {
  // A request identifier is echoed (AuthZEN 1.0 §"Request Identification"),
  // but only one that cannot change the answer's framing or meaning.
  if (const HttpField* id = request.find("X-Request-ID");
      id != nullptr && request.count("X-Request-ID") == 1 && is_safe_to_echo(id->value)) {
    response.set_header("X-Request-ID", id->value);
  }
  const std::string_view path = request.path();
  const std::string_view method = request.method;
  const int64_t now = (options_.clock != nullptr ? *options_.clock : system_clock()).now_seconds();
  if (path == "/auth") {
    handle_nginx_auth(engine_, request, response);
  } else if (path == "/healthz") {
    if (!is_one_of(method, {"GET", "HEAD"})) return method_not_allowed(response, "GET, HEAD");
    JsonWriter json;
    json.begin_object().key("status").string("ok");
    json.key("generation").integer(static_cast<int64_t>(engine_.generation()));
    write_key_sources(json, engine_.key_sources());
    json.end_object();
    reply_json(response, 200, json.text());
  } else if (path == "/metrics") {
    if (!is_one_of(method, {"GET", "HEAD"})) return method_not_allowed(response, "GET, HEAD");
    response.status = 200;
    response.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.set_header("Cache-Control", "no-store");
    response.body = render_prometheus(engine_.metrics());
  } else if (path == "/readyz") {
    if (!is_one_of(method, {"GET", "HEAD"})) return method_not_allowed(response, "GET, HEAD");
    JsonWriter json;
    json.begin_object();
    bool ready = true;
    json.key("waiting_for").begin_array();
    for (const KeySourceStatus& source : engine_.key_sources()) {
      if (source.has_keys) continue;
      ready = false;
      json.string(source.validator);
    }
    json.end_array().key("ready").boolean(ready).end_object();
    reply_json(response, ready ? 200 : 503, json.text());
  } else if (path == "/sideband/request" || path == "/sideband/response") {
    if (method != "POST") return method_not_allowed(response, "POST");
    if (!check_shared_secret(options_.secret, request, response)) return;
    if (!accepts_content_type(request, response)) return;
    if (path == "/sideband/request") {
      handle_sideband_request(engine_, state_signer_, now, request.body, response);
    } else {
      handle_sideband_response(state_signer_, now, request.body, response);
    }
  } else if (path == "/access/v1/evaluation" || path == "/access/v1/evaluations") {
    if (method != "POST") return method_not_allowed(response, "POST");
    if (!accepts_content_type(request, response)) return;
    if (path == "/access/v1/evaluation") {
      handle_authzen_evaluation(engine_, options_.authzen, request.body, response);
    } else {
      handle_authzen_evaluations(engine_, options_.authzen, request.body, response);
    }
  } else if (!options_.authzen.pdp_url.empty() &&
             path == authzen_metadata_path(options_.authzen.pdp_url)) {
    if (!is_one_of(method, {"GET", "HEAD"})) return method_not_allowed(response, "GET, HEAD");
    handle_authzen_metadata(options_.authzen, response);
  } else if (const std::optional<ProtectedResourceMetadata> metadata =
                 engine_.protected_resource_metadata();
             metadata && path == metadata->path) {
    // RFC 9728 §3: the policy document's protected resource metadata.
    if (!is_one_of(method, {"GET", "HEAD"})) return method_not_allowed(response, "GET, HEAD");
    reply_json(response, 200, metadata->json);
  } else {
    reply_error(response, 404, default_error_message(404));
  }
}

absl::Status GatewayServer::bind() {
  return http_->bind();
}

absl::Status GatewayServer::serve() {
  if (absl::Status bound = bind(); !bound.ok()) return bound;
  if (!options_.policy_file.empty() && options_.watch_interval_ms > 0 && !watcher_) {
    watcher_ = std::make_unique<PolicyWatcher>(
        options_.policy_file, std::chrono::milliseconds(options_.watch_interval_ms),
        [this] { (void)reload(); });
    watcher_->start();
  }
  const absl::Status served = http_->run();
  if (watcher_) watcher_->stop();
  return served;
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
  http_->stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

int GatewayServer::port() const {
  return http_->port();
}

std::size_t GatewayServer::connections() const {
  return http_->connections();
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
