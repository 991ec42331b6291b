// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/http_server.h"

#include <openssl/err.h>
#include <sys/ioctl.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "gateway/connection_table.h"
#include "gateway/http_text.h"

namespace stepup::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;

// What every connection shares with the server. It outlives them all.
struct ServerState {
  HttpServerOptions options;
  HttpHandler handler;
  HttpErrorResponder error_responder;
  ConnectionTable table;
  std::optional<asio::ssl::context> tls;
};

// After an answer that closes the connection, what the client still sends is
// read and dropped for this long at most, so that it sees the answer rather
// than a reset connection.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr std::size_t kReadChunk = 4096;

bool is_header_safe(std::string_view text) {
  for (const char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// The response as bytes. A field that would break the framing is left out:
// no handler writes one, and none must reach the client.
std::string serialize(const HttpResponse& response, bool head, bool close, int version) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    std::string(reason_phrase(response.status)) + "\r\n";
  for (const HttpField& field : response.headers) {
    if (field.name.empty() || !is_http_token(field.name) || !is_header_safe(field.value)) continue;
    out += field.name;
    out += ": ";
    out += field.value;
    out += "\r\n";
  }
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (close) {
    out += "Connection: close\r\n";
  } else if (version == 10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (!head) out += response.body;
  return out;
}

// Whether bytes wait unread on the socket `descriptor`.
bool has_unread_input(int descriptor) {
  int pending = 0;
  return ::ioctl(descriptor, FIONREAD, &pending) == 0 && pending > 0;
}

template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(Stream stream, ServerState& state) : stream_(std::move(stream)), state_(state) {}
  ~Session() { state_.table.remove(id_); }

  void start() {
    std::weak_ptr<Session> weak = this->shared_from_this();
    auto executor = stream_.get_executor();
    // The descriptor, not the socket object, which is not thread-safe: the
    // table asks from other threads. close_now() unregisters before it
    // closes; only in the moment between a deadline's close and its handler
    // may the answer be about another socket, which misranks at worst.
    const int descriptor = lowest().socket().native_handle();
    id_ = state_.table.add(
        [weak, executor] {
          asio::post(executor, [weak] {
            if (auto self = weak.lock()) self->close_now();
          });
        },
        [descriptor] { return has_unread_input(descriptor); });
    if constexpr (kTls) {
      lowest().expires_after(state_.options.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](const error_code& error) {
                                if (error) {
                                  ERR_clear_error();
                                  return self->close_now();
                                }
                                self->wait_for_request();
                              });
    } else {
      wait_for_request();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void close_now() {
    state_.table.remove(id_);
    error_code ignored;
    lowest().socket().close(ignored);
  }

  // Idle until the next request's first bytes arrive. A new connection
  // waits no longer for its first request than a request may take.
  void wait_for_request() {
    if (served_ > 0) state_.table.set_phase(id_, ConnectionTable::Phase::kIdle);
    if (buffer_.size() > 0) return read_header();
    lowest().expires_after(served_ > 0 ? state_.options.idle_timeout
                                       : state_.options.request_timeout);
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = this->shared_from_this()](const error_code& error, std::size_t size) {
          if (error) return self->close_now();
          self->buffer_.commit(size);
          self->read_header();
        });
  }

  // One deadline covers the whole request from here.
  void read_header() {
    state_.table.set_phase(id_, ConnectionTable::Phase::kReceiving);
    parser_.emplace(state_.options.limits);
    lowest().expires_after(state_.options.request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](
                                const error_code& error, std::size_t) { self->on_header(error); });
  }

  void on_header(const error_code& error) {
    if (error) return fail(error);
    if (parser_->is_done()) return on_request();
    if (parser_->expects_continue()) {
      out_ = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(
          stream_, asio::buffer(out_),
          [self = this->shared_from_this()](const error_code& write_error, std::size_t) {
            if (write_error) return self->close_now();
            self->read_body();
          });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](const error_code& error, std::size_t) {
                       if (error) return self->fail(error);
                       self->on_request();
                     });
  }

  void on_request() {
    state_.table.set_phase(id_, ConnectionTable::Phase::kBusy);
    ++served_;
    const bool keep_alive = parser_->keep_alive();
    const HttpRequest request = std::move(parser_->request());
    parser_.reset();
    HttpResponse response;
    try {
      state_.handler(request, response);
    } catch (const std::exception&) {
      response = HttpResponse{};
      state_.error_responder(500, response);
    }
    write(response, request.method == "HEAD", !keep_alive, request.version);
  }

  // A request the parser refused: its status, then close. Nothing at all
  // when the client went away or ran out of time.
  void fail(const error_code& error) {
    const int status = parser_ ? parser_->status_for(error) : 0;
    if (status == 0) return close_now();
    state_.table.set_phase(id_, ConnectionTable::Phase::kBusy);
    HttpResponse response;
    response.status = status;
    state_.error_responder(status, response);
    write(response, /*head=*/false, /*close=*/true, 11);
  }

  void write(const HttpResponse& response, bool head, bool close, int version) {
    out_ = serialize(response, head, close, version);
    close_after_write_ = close;
    lowest().expires_after(state_.options.write_timeout);
    asio::async_write(stream_, asio::buffer(out_),
                      [self = this->shared_from_this()](const error_code& error, std::size_t) {
                        if (error) return self->close_now();
                        if (self->close_after_write_) return self->linger();
                        self->wait_for_request();
                      });
  }

  // Ends the connection after the last answer: no more sending, and what the
  // client still sends is read and dropped, for a bounded time and size.
  void linger() {
    state_.table.set_phase(id_, ConnectionTable::Phase::kClosing);
    lowest().expires_after(kLingerTime);
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](const error_code&) {
        ERR_clear_error();
        self->close_now();
      });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  void drain() {
    stream_.async_read_some(asio::buffer(drain_), [self = this->shared_from_this()](
                                                      const error_code& error, std::size_t size) {
      self->drained_ += size;
      if (error || self->drained_ > kLingerBytes) return self->close_now();
      self->drain();
    });
  }

  Stream stream_;
  ServerState& state_;
  ConnectionTable::Id id_ = 0;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string out_;
  bool close_after_write_ = false;
  std::array<char, kReadChunk> drain_{};
  std::size_t drained_ = 0;
  std::uint64_t served_ = 0;
};

absl::Status tls_error(std::string_view what, const std::string& file, const error_code& error) {
  ERR_clear_error();
  return absl::InvalidArgumentError("cannot load the TLS " + std::string(what) + " " + file + ": " +
                                    error.message());
}

}  // namespace

struct HttpServer::Impl {
  ServerState state;  // First: destroyed after the connections that use it.
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_retry{io};
  std::atomic<int> port{0};

  void accept() {
    acceptor.async_accept(asio::make_strand(io),
                          [this](const error_code& error, tcp::socket socket) {
                            if (error == asio::error::operation_aborted) return;
                            if (error) {
                              // Out of descriptors, say: try again shortly rather than spin.
                              accept_retry.expires_after(std::chrono::milliseconds(50));
                              accept_retry.async_wait([this](const error_code& wait_error) {
                                if (!wait_error) accept();
                              });
                              return;
                            }
                            admit(std::move(socket));
                            accept();
                          });
  }

  void admit(tcp::socket socket) {
    if (state.table.size() >= state.options.max_connections) {
      std::function<void()> close = state.table.evict_for_new(state.options.max_connections);
      if (!close) {
        error_code ignored;
        socket.close(ignored);
        return;
      }
      close();
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (state.tls) {
      using TlsStream = beast::ssl_stream<beast::tcp_stream>;
      std::make_shared<Session<TlsStream>>(
          TlsStream(beast::tcp_stream(std::move(socket)), *state.tls), state)
          ->start();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), state)
          ->start();
    }
  }
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler,
                       HttpErrorResponder error_responder)
    : impl_(std::make_unique<Impl>()) {
  impl_->state.options = std::move(options);
  impl_->state.handler = std::move(handler);
  impl_->state.error_responder = std::move(error_responder);
}

HttpServer::~HttpServer() {
  stop();
}

absl::Status HttpServer::bind() {
  if (impl_->port != 0) return absl::OkStatus();
  const HttpServerOptions& options = impl_->state.options;
  if (options.tls) {
    asio::ssl::context tls(asio::ssl::context::tls_server);
    error_code error;
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression,
                    error);
    if (!error) tls.use_certificate_chain_file(options.tls->certificate_chain_file, error);
    if (error) return tls_error("certificate chain", options.tls->certificate_chain_file, error);
    tls.use_private_key_file(options.tls->private_key_file, asio::ssl::context::pem, error);
    if (error) return tls_error("private key", options.tls->private_key_file, error);
    impl_->state.tls.emplace(std::move(tls));
  }

  error_code error;
  tcp::resolver resolver(impl_->io);
  const auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                          tcp::resolver::numeric_service, error);
  const std::string where = options.host + ":" + std::to_string(options.port);
  if (error || endpoints.empty()) {
    return absl::UnavailableError("cannot resolve " + where + ": " + error.message());
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(1024, error);
  if (error) {
    error_code ignored;
    acceptor.close(ignored);
    return absl::UnavailableError("cannot listen on " + where + ": " + error.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  return absl::OkStatus();
}

absl::Status HttpServer::run() {
  if (absl::Status bound = bind(); !bound.ok()) return bound;
  asio::post(impl_->io, [this] { impl_->accept(); });
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->state.options.threads; ++i) {
    threads.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  for (std::thread& thread : threads)
    thread.join();
  return absl::OkStatus();
}

void HttpServer::stop() {
  impl_->io.stop();
}

int HttpServer::port() const {
  return impl_->port;
}

std::size_t HttpServer::connections() const {
  return impl_->state.table.size();
}

}  // namespace stepup::gateway
