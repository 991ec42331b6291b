// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_GATEWAY_FLAGS_H_
#define STEPUP_TOOLS_GATEWAY_GATEWAY_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway_server.h"
#include "stepup/decision_log.h"
#include "stepup/status.h"

namespace stepup::gateway {

// The command line of `stepup-gateway`.
struct GatewayFlags {
  std::string policy_file;
  GatewayOptions options;
  // Decide as of this fixed time (epoch seconds) instead of the wall clock,
  // for tests that replay tokens minted for a given moment.
  std::optional<int64_t> now;
  // Serve before the identity providers' keys arrive (tokens of those
  // validators get 503 until then; /readyz tells).
  bool start_without_keys = false;
  // --decision-log and its companions: one record per decision.
  std::optional<DecisionLogOptions> decision_log;
  // --shadow-policy: a candidate evaluated beside the policy.
  std::string shadow_policy_file;
  bool help = false;
};

// The usage text, ending in a newline.
std::string_view gateway_usage();

// Parses the arguments after the program name. `secret_from_environment` is
// STEPUP_GATEWAY_SECRET's value, used when --secret is not given. An error
// names the flag; the caller prints it with the usage and exits 2.
absl::StatusOr<GatewayFlags> parse_gateway_flags(
    const std::vector<std::string_view>& arguments,
    std::optional<std::string_view> secret_from_environment);

// True for a host that is a loopback address: 127.0.0.0/8, ::1 (also as
// ::ffff:127.x.y.z) or "localhost".
bool is_loopback_host(std::string_view host);

// HOST:PORT as printed: IPv6 addresses in brackets.
std::string host_and_port(std::string_view host, int port);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_GATEWAY_FLAGS_H_
