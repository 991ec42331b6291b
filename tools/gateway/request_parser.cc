// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/request_parser.h"

#include <boost/beast/http/error.hpp>
#include <string>

#include "gateway/http_text.h"

namespace stepup::gateway {
namespace {

namespace http = boost::beast::http;

std::string_view view(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

}  // namespace

RequestParser::RequestParser(const RequestLimits& limits) : limits_(limits) {
  header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  body_limit(limits_.max_body_bytes);
}

void RequestParser::on_request_impl(http::verb, string_view method_text, string_view target,
                                    int version, error_code&) {
  request_.method = std::string(view(method_text));
  request_.target = std::string(view(target));
  request_.version = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& error) {
  error = http::error::bad_version;  // Never called for a request parser.
}

void RequestParser::on_field_impl(http::field name, string_view name_text, string_view value,
                                  error_code& error) {
  if (header_done_) return;  // A trailer field: dropped (RFC 9110 §6.5.1).
  if (request_.fields.size() >= limits_.max_header_fields) {
    refusal_ = Refusal::kTooManyFields;
    error = http::error::header_limit;
    return;
  }
  const std::string_view text = view(value);
  if (name == http::field::host) ++host_fields_;
  if (name == http::field::transfer_encoding &&
      !equals_ignoring_case(trim_whitespace(text), "chunked")) {
    // Beast takes "gzip" as no body and "gzip, chunked" as chunked; stepup
    // decodes no coding but chunked, so both are refused (RFC 9112 §6.1).
    refusal_ = Refusal::kUnsupportedCoding;
    error = http::error::bad_transfer_encoding;
    return;
  }
  if (name == http::field::expect) {
    if (!equals_ignoring_case(trim_whitespace(text), "100-continue")) {
      refusal_ = Refusal::kBadExpect;
      error = http::error::bad_value;
      return;
    }
    expects_continue_ = true;
  }
  request_.fields.push_back({std::string(view(name_text)), std::string(text)});
}

void RequestParser::on_header_impl(error_code& error) {
  header_done_ = true;
  // RFC 9112 §3.2: exactly one Host field in HTTP/1.1.
  if (host_fields_ > 1 || (request_.version >= 11 && host_fields_ == 0)) {
    refusal_ = Refusal::kMissingHost;
    error = http::error::bad_value;
  }
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) {
  if (length) request_.body.reserve(static_cast<std::size_t>(*length));
}

std::size_t RequestParser::on_body_impl(string_view body, error_code& error) {
  if (body.size() > limits_.max_body_bytes - request_.body.size()) {
    error = http::error::body_limit;
    return 0;
  }
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code& error) {
  return on_body_impl(body, error);
}

void RequestParser::on_finish_impl(error_code&) {}

int RequestParser::status_for(const boost::beast::error_code& error) const {
  switch (refusal_) {
    case Refusal::kTooManyFields:
      return 431;
    case Refusal::kMissingHost:
      return 400;
    case Refusal::kUnsupportedCoding:
      return 501;
    case Refusal::kBadExpect:
      return 417;
    case Refusal::kNone:
      break;
  }
  if (error == http::error::end_of_stream || error == http::error::partial_message) return 0;
  if (error == http::error::header_limit) return 431;
  if (error == http::error::body_limit) return 413;
  if (error.category() == make_error_code(http::error::bad_field).category()) return 400;
  return 0;
}

}  // namespace stepup::gateway
