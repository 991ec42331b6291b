// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/gateway_flags.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/authzen.h"
#include "gateway/http_text.h"
#include "stepup/status.h"

namespace stepup::gateway {
namespace {

constexpr std::string_view kUsage =
    "usage: stepup-gateway --policy FILE [--listen HOST:PORT] [options]\n"
    "\n"
    "  --policy FILE              the policy document (docs/spec.md section 2); required\n"
    "  --listen HOST:PORT         default 127.0.0.1:8181; port 0 picks a free port;\n"
    "                             IPv6 as [::1]:8181\n"
    "  --secret-header NAME       the header carrying the sideband secret (CLIENT-TOKEN)\n"
    "  --secret VALUE             the sideband secret; default: $STEPUP_GATEWAY_SECRET;\n"
    "                             without one the sideband endpoints answer 503\n"
    "  --tls-cert FILE            serve HTTPS with this PEM certificate chain ...\n"
    "  --tls-key FILE             ... and this PEM private key (both or neither)\n"
    "  --authzen-pdp-url URL      the AuthZEN PDP identifier (https://host[/path]);\n"
    "                             serves /.well-known/authzen-configuration[/path]\n"
    "  --max-evaluations N        items in one AuthZEN evaluations call (100)\n"
    "  --watch-interval-ms N      poll the policy and key files every N ms (1000); 0: never\n"
    "  --max-body-bytes N         larger request bodies get 413 (65536)\n"
    "  --max-header-bytes N       a larger request line and header get 431 (16384)\n"
    "  --max-header-fields N      more header fields get 431 (100)\n"
    "  --request-timeout-ms N     a request's header and body must arrive within N ms\n"
    "                             of its first byte (10000)\n"
    "  --idle-timeout-ms N        close a kept-alive connection idle for N ms (75000)\n"
    "  --max-connections N        open connections at most; over it the longest idle\n"
    "                             or slowest one is closed (1024)\n"
    "  --threads N                threads serving connections (2)\n"
    "  --allow-non-loopback       allow plain HTTP on an address other than loopback\n"
    "  --start-without-keys       serve before keys from jwks_uri/discovery arrive\n"
    "                             (their tokens get 503, /readyz answers 503)\n"
    "  --now EPOCH                decide as of this fixed time (tests only)\n"
    "  --decision-log FILE        append one JSON record per decision (SIGUSR1 reopens)\n"
    "  --decision-log-permits R   the share of permits logged, 0 to 1 (1); others always\n"
    "  --decision-log-claims L    token claims logged besides iss, client_id, acr,\n"
    "                             auth_time and sub (comma-separated)\n"
    "  --decision-log-headers L   request headers logged (comma-separated)\n"
    "  --decision-log-query       log the query too (access_token values never)\n"
    "  --decision-log-mask L      FIELD=drop|hash|keep, comma-separated (sub is hashed)\n"
    "  --decision-log-hash-key-file FILE  the HMAC key of hashed fields (32+ bytes);\n"
    "                             default: random per start\n"
    "  --shadow-policy FILE       a candidate document evaluated beside the policy;\n"
    "                             disagreements counted in /metrics and logged\n"
    "\n"
    "SIGHUP reloads the policy, its keys and the shadow; SIGUSR1 reopens the decision\n"
    "log; SIGTERM and SIGINT stop the service.\n";

// A comma-separated list, empty items left out.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    if (comma != 0) items.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

absl::Status flag_error(std::string_view flag, std::string_view message) {
  return absl::InvalidArgumentError(std::string(flag) + " " + std::string(message));
}

template <typename Int>
bool parse_integer(std::string_view text, Int min, Int max, Int& out) {
  Int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

// HOST:PORT or [IPV6]:PORT.
absl::Status parse_listen(std::string_view text, std::string& host, int& port) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return flag_error("--listen", "must be HOST:PORT or [IPV6]:PORT");
    }
    host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return flag_error("--listen", "must be HOST:PORT");
    host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) {
      return flag_error("--listen", "needs brackets around an IPv6 address: [::1]:8181");
    }
  }
  if (host.empty()) return flag_error("--listen", "needs a host");
  if (!parse_integer(port_text, 0, 65535, port)) {
    return flag_error("--listen", "needs a port from 0 to 65535");
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view gateway_usage() {
  return kUsage;
}

bool is_loopback_host(std::string_view host) {
  if (ascii_lower(host) == "localhost") return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string host_and_port(std::string_view host, int port) {
  std::string text =
      host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  return text + ":" + std::to_string(port);
}

absl::StatusOr<GatewayFlags> parse_gateway_flags(
    const std::vector<std::string_view>& arguments,
    std::optional<std::string_view> secret_from_environment) {
  GatewayFlags flags;
  bool allow_non_loopback = false;
  bool secret_given = false;
  std::string tls_cert;
  std::string tls_key;
  HttpServerOptions& http = flags.options.http;
  DecisionLogOptions log;
  std::string_view log_flag;  // A --decision-log-* flag given, for its error.
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string_view argument = arguments[i];
    std::string_view flag = argument;
    std::optional<std::string_view> inline_value;
    if (const std::size_t equals = flag.find('=');
        flag.starts_with("--") && equals != std::string_view::npos) {
      inline_value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    }
    if (flag == "--help" || flag == "-h") {
      flags.help = true;
      return flags;
    }
    if (flag == "--allow-non-loopback") {
      if (inline_value) return flag_error(flag, "takes no value");
      allow_non_loopback = true;
      continue;
    }
    if (flag == "--start-without-keys") {
      if (inline_value) return flag_error(flag, "takes no value");
      flags.start_without_keys = true;
      continue;
    }
    if (flag == "--decision-log-query") {
      if (inline_value) return flag_error(flag, "takes no value");
      log.query = true;
      log_flag = flag;
      continue;
    }
    std::string_view value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < arguments.size()) {
      value = arguments[++i];
    } else if (flag.starts_with("--")) {
      return flag_error(flag, "needs a value");
    }
    if (flag == "--policy") {
      flags.policy_file = std::string(value);
    } else if (flag == "--listen") {
      if (absl::Status listen = parse_listen(value, http.host, http.port); !listen.ok()) {
        return listen;
      }
    } else if (flag == "--secret-header") {
      if (!is_http_token(value)) return flag_error(flag, "must be a header name");
      flags.options.secret.header = std::string(value);
    } else if (flag == "--secret") {
      flags.options.secret.value = std::string(value);
      secret_given = true;
    } else if (flag == "--tls-cert") {
      tls_cert = std::string(value);
    } else if (flag == "--tls-key") {
      tls_key = std::string(value);
    } else if (flag == "--authzen-pdp-url") {
      if (const std::optional<std::string> problem = pdp_url_problem(value)) {
        return flag_error(flag, *problem);
      }
      flags.options.authzen.pdp_url = std::string(value);
    } else if (flag == "--max-evaluations") {
      if (!parse_integer<std::size_t>(value, 1, 100000, flags.options.authzen.max_evaluations)) {
        return flag_error(flag, "must be from 1 to 100000");
      }
    } else if (flag == "--watch-interval-ms") {
      if (!parse_integer(value, 0, 86400000, flags.options.watch_interval_ms)) {
        return flag_error(flag, "must be milliseconds from 0 to 86400000");
      }
    } else if (flag == "--max-body-bytes") {
      if (!parse_integer<std::size_t>(value, 1, std::size_t{1} << 30, http.limits.max_body_bytes)) {
        return flag_error(flag, "must be bytes from 1 to 1073741824");
      }
    } else if (flag == "--max-header-bytes") {
      if (!parse_integer<std::size_t>(value, 1024, std::size_t{1} << 20,
                                      http.limits.max_header_bytes)) {
        return flag_error(flag, "must be bytes from 1024 to 1048576");
      }
    } else if (flag == "--max-header-fields") {
      if (!parse_integer<std::size_t>(value, 8, 10000, http.limits.max_header_fields)) {
        return flag_error(flag, "must be from 8 to 10000");
      }
    } else if (flag == "--request-timeout-ms" || flag == "--idle-timeout-ms") {
      int milliseconds = 0;
      if (!parse_integer(value, 1, 3600000, milliseconds)) {
        return flag_error(flag, "must be milliseconds from 1 to 3600000");
      }
      (flag == "--request-timeout-ms" ? http.request_timeout : http.idle_timeout) =
          std::chrono::milliseconds(milliseconds);
    } else if (flag == "--max-connections") {
      if (!parse_integer<std::size_t>(value, 1, 1000000, http.max_connections)) {
        return flag_error(flag, "must be from 1 to 1000000");
      }
    } else if (flag == "--threads") {
      if (!parse_integer(value, 1, 1024, http.threads)) {
        return flag_error(flag, "must be from 1 to 1024");
      }
    } else if (flag == "--decision-log") {
      if (value.empty()) return flag_error(flag, "needs a file");
      log.file = std::string(value);
    } else if (flag == "--decision-log-permits") {
      double rate = -1;
      const std::string text(value);
      char* end = nullptr;
      rate = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !(rate >= 0.0 && rate <= 1.0)) {
        return flag_error(flag, "must be a number from 0 to 1");
      }
      log.permit_sample_rate = rate;
      log_flag = flag;
    } else if (flag == "--decision-log-claims") {
      log.claims = split_list(value);
      log_flag = flag;
    } else if (flag == "--decision-log-headers") {
      log.headers = split_list(value);
      log_flag = flag;
    } else if (flag == "--decision-log-mask") {
      for (const std::string& rule : split_list(value)) {
        const std::size_t equals = rule.find('=');
        const std::string action = equals == std::string::npos ? "" : rule.substr(equals + 1);
        LogMask mask{.field = rule.substr(0, equals)};
        if (action == "drop") {
          mask.action = LogFieldAction::kDrop;
        } else if (action == "hash") {
          mask.action = LogFieldAction::kHash;
        } else if (action == "keep") {
          mask.action = LogFieldAction::kKeep;
        } else {
          return flag_error(flag, "\"" + rule + "\" is not FIELD=drop, FIELD=hash or FIELD=keep");
        }
        log.masks.push_back(std::move(mask));
      }
      log_flag = flag;
    } else if (flag == "--decision-log-hash-key-file") {
      std::ifstream in{std::string(value), std::ios::binary};
      if (!in) return flag_error(flag, "cannot read " + std::string(value));
      std::ostringstream key;
      key << in.rdbuf();
      log.hash_key = key.str();
      if (!log.hash_key.empty() && log.hash_key.back() == '\n') log.hash_key.pop_back();
      if (log.hash_key.size() < 32) return flag_error(flag, "the key must be 32 bytes or more");
      log_flag = flag;
    } else if (flag == "--shadow-policy") {
      flags.shadow_policy_file = std::string(value);
    } else if (flag == "--now") {
      int64_t now = 0;
      if (!parse_integer<int64_t>(value, 0, 253402300799, now)) {
        return flag_error(flag, "must be epoch seconds");
      }
      flags.now = now;
    } else {
      return absl::InvalidArgumentError("unknown argument \"" + std::string(argument) + "\"");
    }
  }
  if (flags.policy_file.empty()) return absl::InvalidArgumentError("--policy is required");
  if (!log.file.empty()) {
    flags.decision_log = std::move(log);
  } else if (!log_flag.empty()) {
    return flag_error(log_flag, "goes with --decision-log");
  }
  if (!secret_given && secret_from_environment) {
    flags.options.secret.value = std::string(*secret_from_environment);
  }
  if (tls_cert.empty() != tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (!tls_cert.empty()) http.tls = TlsFiles{tls_cert, tls_key};
  if (!http.tls && !allow_non_loopback && !is_loopback_host(http.host)) {
    return absl::InvalidArgumentError(
        "refusing to serve plain HTTP on " + http.host +
        ", which is not a loopback address: give --tls-cert and --tls-key, or pass "
        "--allow-non-loopback to do it anyway");
  }
  flags.options.policy_file = flags.policy_file;
  if (flags.decision_log) {
    // The sideband secret is a credential: never logged.
    for (const std::string& header : flags.decision_log->headers) {
      if (!flags.options.secret.header.empty() &&
          ascii_lower(header) == ascii_lower(flags.options.secret.header)) {
        return flag_error("--decision-log-headers",
                          "\"" + header + "\" carries the sideband secret and is never logged");
      }
    }
  }
  return flags;
}

}  // namespace stepup::gateway
