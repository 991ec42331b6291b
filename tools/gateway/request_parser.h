// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_REQUEST_PARSER_H_
#define STEPUP_TOOLS_GATEWAY_REQUEST_PARSER_H_

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/http_message.h"

namespace stepup::gateway {

// Limits on one request, enforced while it is parsed.
struct RequestLimits {
  // The request line and header section together, in bytes.
  std::size_t max_header_bytes = 16 * 1024;
  // Header fields in one request.
  std::size_t max_header_fields = 100;
  // The body, decoded (Content-Length or chunked).
  std::size_t max_body_bytes = 64 * 1024;
};

// Parses one HTTP/1.x request into an HttpRequest, keeping every byte of the
// request line and header fields as received (Beast's strict RFC 9112
// grammar: a line without a colon, a Content-Length that is not digits or
// that conflicts with another, obs-text in names are errors). On top of it:
// a limit on the number of fields, Host required once in HTTP/1.1, and any
// Transfer-Encoding other than exactly "chunked" refused. Trailer fields are
// read and dropped: they never join the header fields.
class RequestParser : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(const RequestLimits& limits);

  HttpRequest& request() { return request_; }

  // The HTTP status that answers the error `error` returned by a read with
  // this parser, or 0 when the connection should just be closed (the client
  // went away, or the read timed out).
  int status_for(const boost::beast::error_code& error) const;

  // True when the request says Expect: 100-continue.
  bool expects_continue() const { return expects_continue_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_text, string_view target,
                       int version, error_code& error) override;
  void on_response_impl(int, string_view, int, error_code& error) override;
  void on_field_impl(boost::beast::http::field name, string_view name_text, string_view value,
                     error_code& error) override;
  void on_header_impl(error_code& error) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& error) override;
  std::size_t on_body_impl(string_view body, error_code& error) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& error) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body,
                                 error_code& error) override;
  void on_finish_impl(error_code& error) override;

  enum class Refusal { kNone, kTooManyFields, kMissingHost, kUnsupportedCoding, kBadExpect };

  const RequestLimits limits_;
  HttpRequest request_;
  bool header_done_ = false;
  bool expects_continue_ = false;
  std::size_t host_fields_ = 0;
  Refusal refusal_ = Refusal::kNone;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_REQUEST_PARSER_H_
