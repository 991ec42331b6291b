// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The command line of stepup-gateway.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway_flags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<GatewayFlags> parse(std::vector<std::string_view> arguments,
                                   std::optional<std::string_view> environment = std::nullopt) {
  return parse_gateway_flags(arguments, environment);
}

TEST(GatewayFlagsTest, Defaults) {
  absl::StatusOr<GatewayFlags> flags = parse({"--policy", "p.json"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->policy_file, "p.json");
  EXPECT_EQ(flags->options.policy_file, "p.json");
  EXPECT_EQ(flags->options.http.host, "127.0.0.1");
  EXPECT_EQ(flags->options.http.port, 8181);
  EXPECT_EQ(flags->options.secret.header, "CLIENT-TOKEN");
  EXPECT_EQ(flags->options.secret.value, "");
  EXPECT_EQ(flags->options.watch_interval_ms, 1000);
  EXPECT_EQ(flags->options.http.limits.max_body_bytes, 65536u);
  EXPECT_EQ(flags->options.http.limits.max_header_bytes, 16384u);
  EXPECT_EQ(flags->options.http.limits.max_header_fields, 100u);
  EXPECT_EQ(flags->options.http.request_timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(flags->options.http.idle_timeout, std::chrono::milliseconds(75000));
  EXPECT_EQ(flags->options.http.max_connections, 1024u);
  EXPECT_EQ(flags->options.http.threads, 2);
  EXPECT_FALSE(flags->options.http.tls.has_value());
  EXPECT_FALSE(flags->start_without_keys);
  EXPECT_EQ(flags->options.authzen.max_evaluations, 100u);
  EXPECT_EQ(flags->options.authzen.pdp_url, "");
  EXPECT_FALSE(flags->now.has_value());
  EXPECT_FALSE(flags->help);
}

TEST(GatewayFlagsTest, EveryFlag) {
  absl::StatusOr<GatewayFlags> flags = parse({"--policy=p.json",
                                              "--listen",
                                              "127.0.0.2:0",
                                              "--secret-header",
                                              "X-Key",
                                              "--secret",
                                              "s",
                                              "--watch-interval-ms",
                                              "0",
                                              "--max-body-bytes=100",
                                              "--request-timeout-ms",
                                              "250",
                                              "--idle-timeout-ms",
                                              "300",
                                              "--max-header-bytes",
                                              "2048",
                                              "--max-header-fields",
                                              "20",
                                              "--max-connections",
                                              "7",
                                              "--threads",
                                              "3",
                                              "--max-evaluations",
                                              "5",
                                              "--authzen-pdp-url",
                                              "https://pdp.example.com/t1",
                                              "--tls-cert",
                                              "c.pem",
                                              "--tls-key",
                                              "k.pem",
                                              "--now",
                                              "1800000000"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->options.http.host, "127.0.0.2");
  EXPECT_EQ(flags->options.http.port, 0);
  EXPECT_EQ(flags->options.secret.header, "X-Key");
  EXPECT_EQ(flags->options.secret.value, "s");
  EXPECT_EQ(flags->options.watch_interval_ms, 0);
  EXPECT_EQ(flags->options.http.limits.max_body_bytes, 100u);
  EXPECT_EQ(flags->options.http.limits.max_header_bytes, 2048u);
  EXPECT_EQ(flags->options.http.limits.max_header_fields, 20u);
  EXPECT_EQ(flags->options.http.request_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(flags->options.http.idle_timeout, std::chrono::milliseconds(300));
  EXPECT_EQ(flags->options.http.max_connections, 7u);
  EXPECT_EQ(flags->options.http.threads, 3);
  EXPECT_EQ(flags->options.authzen.max_evaluations, 5u);
  EXPECT_EQ(flags->options.authzen.pdp_url, "https://pdp.example.com/t1");
  ASSERT_TRUE(flags->options.http.tls.has_value());
  EXPECT_EQ(flags->options.http.tls->certificate_chain_file, "c.pem");
  EXPECT_EQ(flags->options.http.tls->private_key_file, "k.pem");
  EXPECT_EQ(flags->now, 1800000000);
}

TEST(GatewayFlagsTest, StartWithoutKeysIsASwitch) {
  absl::StatusOr<GatewayFlags> flags = parse({"--policy", "p.json", "--start-without-keys"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_TRUE(flags->start_without_keys);
  EXPECT_EQ(parse({"--policy", "p.json", "--start-without-keys=yes"}).status().message(),
            "--start-without-keys takes no value");
}

TEST(GatewayFlagsTest, SecretFromEnvironmentUnlessGiven) {
  EXPECT_EQ(parse({"--policy", "p"}, "env")->options.secret.value, "env");
  EXPECT_EQ(parse({"--policy", "p", "--secret", "flag"}, "env")->options.secret.value, "flag");
}

TEST(GatewayFlagsTest, ListenForms) {
  absl::StatusOr<GatewayFlags> v6 = parse({"--policy", "p", "--listen", "[::1]:9000"});
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->options.http.host, "::1");
  EXPECT_EQ(v6->options.http.port, 9000);
  EXPECT_TRUE(parse({"--policy", "p", "--listen", "localhost:1"}).ok());
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", ":80",
                          "::1:80", "[::1]80", "127.0.0.1:8x"}) {
    absl::StatusOr<GatewayFlags> flags = parse({"--policy", "p", "--listen", bad});
    EXPECT_FALSE(flags.ok()) << bad;
    EXPECT_THAT(std::string(flags.status().message()), HasSubstr("--listen")) << bad;
  }
}

TEST(GatewayFlagsTest, NonLoopbackNeedsConsent) {
  for (const char* address : {"0.0.0.0:8181", "192.0.2.1:8181", "[::]:8181", "example.com:80"}) {
    absl::StatusOr<GatewayFlags> refused = parse({"--policy", "p", "--listen", address});
    EXPECT_FALSE(refused.ok()) << address;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("--allow-non-loopback"));
    EXPECT_TRUE(parse({"--policy", "p", "--listen", address, "--allow-non-loopback"}).ok())
        << address;
  }
}

TEST(GatewayFlagsTest, TlsServesAnyAddress) {
  EXPECT_TRUE(parse({"--policy", "p", "--listen", "0.0.0.0:8443", "--tls-cert", "c.pem",
                     "--tls-key", "k.pem"})
                  .ok());
}

TEST(GatewayFlagsTest, Errors) {
  EXPECT_THAT(std::string(parse({}).status().message()), HasSubstr("--policy is required"));
  EXPECT_THAT(std::string(parse({"--policy"}).status().message()), HasSubstr("needs a value"));
  EXPECT_THAT(std::string(parse({"--policy", "p", "--bogus", "1"}).status().message()),
              HasSubstr("unknown argument \"--bogus\""));
  EXPECT_THAT(std::string(parse({"--policy", "p", "extra"}).status().message()),
              HasSubstr("unknown argument \"extra\""));
  for (std::vector<std::string_view> bad :
       std::vector<std::vector<std::string_view>>{{"--max-body-bytes", "0"},
                                                  {"--max-body-bytes", "-5"},
                                                  {"--request-timeout-ms", "0"},
                                                  {"--idle-timeout-ms", "x"},
                                                  {"--max-header-bytes", "10"},
                                                  {"--max-header-fields", "1"},
                                                  {"--max-connections", "0"},
                                                  {"--max-evaluations", "0"},
                                                  {"--authzen-pdp-url", "http://pdp"},
                                                  {"--authzen-pdp-url", "https://pdp/"},
                                                  {"--authzen-pdp-url", "https://pdp?x=1"},
                                                  {"--authzen-pdp-url", "https://"},
                                                  {"--tls-cert", "c.pem"},
                                                  {"--tls-key", "k.pem"},
                                                  {"--watch-interval-ms", "x"},
                                                  {"--threads", "0"},
                                                  {"--now", "yesterday"},
                                                  {"--secret-header", "X Key"},
                                                  {"--allow-non-loopback=yes"}}) {
    bad.insert(bad.begin(), {"--policy", "p"});
    EXPECT_FALSE(parse(bad).ok()) << bad[2];
  }
  EXPECT_TRUE(parse({"--help"})->help);
}

TEST(GatewayFlagsTest, DecisionLogFlags) {
  absl::StatusOr<GatewayFlags> flags = parse(
      {"--policy", "p.json", "--decision-log", "/var/log/stepup.jsonl",
       "--decision-log-permits=0.25", "--decision-log-claims", "scope,,jti",
       "--decision-log-headers", "X-Request-Id", "--decision-log-query", "--decision-log-mask",
       "client_ip=drop,sub=keep,claims.jti=hash", "--shadow-policy", "candidate.json"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  ASSERT_TRUE(flags->decision_log.has_value());
  const DecisionLogOptions& log = *flags->decision_log;
  EXPECT_EQ(log.file, "/var/log/stepup.jsonl");
  EXPECT_EQ(log.permit_sample_rate, 0.25);
  EXPECT_EQ(log.claims, (std::vector<std::string>{"scope", "jti"}));
  EXPECT_EQ(log.headers, (std::vector<std::string>{"X-Request-Id"}));
  EXPECT_TRUE(log.query);
  ASSERT_EQ(log.masks.size(), 3u);
  EXPECT_EQ(log.masks[0].field, "client_ip");
  EXPECT_EQ(log.masks[0].action, LogFieldAction::kDrop);
  EXPECT_EQ(log.masks[1].action, LogFieldAction::kKeep);
  EXPECT_EQ(log.masks[2].action, LogFieldAction::kHash);
  EXPECT_EQ(flags->shadow_policy_file, "candidate.json");

  absl::StatusOr<GatewayFlags> none = parse({"--policy", "p.json"});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->decision_log.has_value());
  EXPECT_EQ(none->shadow_policy_file, "");
}

TEST(GatewayFlagsTest, DecisionLogErrors) {
  const auto error_of = [](std::vector<std::string_view> arguments) {
    arguments.insert(arguments.begin(), {"--policy", "p.json"});
    absl::StatusOr<GatewayFlags> flags = parse(arguments);
    return flags.ok() ? std::string("ok") : std::string(flags.status().message());
  };
  EXPECT_EQ(error_of({"--decision-log-permits", "0"}),
            "--decision-log-permits goes with --decision-log");
  EXPECT_EQ(error_of({"--decision-log", "l", "--decision-log-permits", "1.5"}),
            "--decision-log-permits must be a number from 0 to 1");
  EXPECT_EQ(error_of({"--decision-log", "l", "--decision-log-permits", "x"}),
            "--decision-log-permits must be a number from 0 to 1");
  EXPECT_EQ(error_of({"--decision-log", "l", "--decision-log-mask", "sub=show"}),
            "--decision-log-mask \"sub=show\" is not FIELD=drop, FIELD=hash or FIELD=keep");
  EXPECT_EQ(error_of({"--decision-log", "l", "--decision-log-headers", "client-token"}),
            "--decision-log-headers \"client-token\" carries the sideband secret and is never "
            "logged");
  EXPECT_EQ(error_of({"--decision-log", "l", "--decision-log-hash-key-file", "/no/such/key"}),
            "--decision-log-hash-key-file cannot read /no/such/key");
}

TEST(GatewayFlagsTest, Loopback) {
  for (const char* host :
       {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host :
       {"0.0.0.0", "::", "128.0.0.1", "10.0.0.1", "localhost.example.com", "::ffff:10.0.0.1", ""}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
  EXPECT_EQ(host_and_port("127.0.0.1", 80), "127.0.0.1:80");
  EXPECT_EQ(host_and_port("::1", 80), "[::1]:80");
}

}  // namespace
}  // namespace stepup::gateway
