// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "keysource/http_fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/err.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

#include "absl/status/status.h"
#include "common/ascii.h"

namespace stepup::keysource {
namespace {

constexpr long kMaxRedirects = 3;
constexpr std::size_t kMaxHeaderLine = 8192;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What the callbacks collect while one transfer runs.
struct Transfer {
  std::size_t max_bytes = 0;
  bool too_big = false;
  std::string body;
  std::string etag;
  std::optional<int64_t> max_age;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->max_bytes) {
    transfer->too_big = true;
    return 0;  // Aborts the transfer.
  }
  transfer->body.append(data, bytes);
  return bytes;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// Header lines of every response, redirects included: a status line starts
// a new response, whose fields replace the last one's.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes < kMaxHeaderLine ? bytes : kMaxHeaderLine);
  if (line.starts_with("HTTP/")) {
    transfer->etag.clear();
    transfer->max_age.reset();
    return bytes;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trim(line.substr(colon + 1));
  if (common::equals_ignoring_ascii_case(name, "etag")) {
    transfer->etag = std::string(value);
  } else if (common::equals_ignoring_ascii_case(name, "cache-control")) {
    transfer->max_age = parse_cache_control_max_age(value);
  }
  return bytes;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The host of an absolute URL after `scheme://`, without port or brackets.
std::string_view url_host(std::string_view url, std::string_view scheme) {
  std::string_view rest = url.substr(scheme.size() + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    return {};  // Credentials in the URL: never.
  }
  if (rest.starts_with("[")) {
    const std::size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string_view() : rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.find(':'));
}

// localhost, an IPv4 address in 127.0.0.0/8, or ::1 (as literals: a name
// such as 127.0.0.1.example is not one).
bool is_loopback_host(std::string_view host) {
  if (common::equals_ignoring_ascii_case(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  return ::inet_pton(AF_INET6, text.c_str(), &v6) == 1 &&
         std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
}

}  // namespace

std::optional<int64_t> parse_cache_control_max_age(std::string_view value) {
  std::optional<int64_t> max_age;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view directive = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    if (common::equals_ignoring_ascii_case(directive, "no-store") ||
        common::equals_ignoring_ascii_case(directive, "no-cache")) {
      return 0;
    }
    constexpr std::string_view kMaxAge = "max-age=";
    if (directive.size() > kMaxAge.size() &&
        common::equals_ignoring_ascii_case(directive.substr(0, kMaxAge.size()), kMaxAge)) {
      std::string_view digits = directive.substr(kMaxAge.size());
      if (digits.size() >= 2 && digits.front() == '"' && digits.back() == '"') {
        digits = digits.substr(1, digits.size() - 2);
      }
      int64_t seconds = 0;
      const auto [end, error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
      if (error == std::errc() && end == digits.data() + digits.size() && seconds >= 0) {
        max_age = seconds;
      } else if (error == std::errc::result_out_of_range) {
        max_age = INT64_MAX;  // RFC 9111 §1.2.2: as large as can be represented.
      }
    }
  }
  return max_age;
}

absl::Status check_fetch_url(const std::string& url, const FetchOptions& options) {
  const std::string_view text(url);
  if (text.starts_with("https://")) {
    if (url_host(text, "https").empty()) {
      return absl::InvalidArgumentError("URL " + url + " has no host (or has credentials)");
    }
    return absl::OkStatus();
  }
  if (text.starts_with("http://")) {
    const std::string_view host = url_host(text, "http");
    if (options.allow_http_loopback && is_loopback_host(host)) return absl::OkStatus();
    return absl::InvalidArgumentError(
        "URL " + url +
        " is not https (plain http only to a loopback host, with allow_http_loopback)");
  }
  return absl::InvalidArgumentError("URL " + url + " is not an absolute https URL");
}

absl::StatusOr<FetchResponse> fetch(const std::string& url, const FetchOptions& options,
                                    const std::string& if_none_match) {
  if (absl::Status s = check_fetch_url(url, options); !s.ok()) return s;
  global_init();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return absl::ResourceExhaustedError("cannot fetch " + url + ": curl_easy_init failed");
  const bool https = url.starts_with("https://");
  Transfer transfer;
  transfer.max_bytes = options.max_response_bytes;
  std::unique_ptr<curl_slist, CurlDeleter> headers;
  auto add_header = [&headers](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown != nullptr) {
      (void)headers.release();
      headers.reset(grown);
    }
  };
  add_header("Accept: application/json, application/jwk-set+json");
  // An ETag comes from the server: sent back only if it cannot split a header.
  if (!if_none_match.empty() && !common::has_ctl(if_none_match)) {
    add_header("If-None-Match: " + if_none_match);
  }
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, https ? "https" : "http");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, https ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options.max_response_bytes));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "stepup");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    ERR_clear_error();
    if (transfer.too_big || code == CURLE_FILESIZE_EXCEEDED) {
      return absl::ResourceExhaustedError("cannot fetch " + url + ": the response is larger than " +
                                          std::to_string(options.max_response_bytes) + " bytes");
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return absl::DeadlineExceededError("cannot fetch " + url + ": no complete answer within " +
                                         std::to_string(options.timeout.count()) + " ms");
    }
    return absl::UnavailableError("cannot fetch " + url + ": " + curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 304) {
    return absl::UnavailableError("cannot fetch " + url + ": HTTP status " +
                                  std::to_string(status));
  }
  FetchResponse response;
  response.status = status;
  response.etag = std::move(transfer.etag);
  response.max_age = transfer.max_age;
  if (status == 200) response.body = std::move(transfer.body);
  return response;
}

}  // namespace stepup::keysource
