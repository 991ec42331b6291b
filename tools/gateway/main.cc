// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// stepup-gateway: the decision service of tools/gateway (docs/gateway.md).
//
//   STEPUP_GATEWAY_SECRET=... stepup-gateway --policy examples/policy/policy.json
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gateway/gateway_flags.h"
#include "gateway/gateway_server.h"
#include "stepup/clock.h"
#include "stepup/engine.h"
#include "stepup/status.h"

namespace {

using stepup::gateway::GatewayFlags;
using stepup::gateway::GatewayServer;

int usage_error(std::string_view message) {
  std::cerr << "stepup-gateway: " << message << "\n" << stepup::gateway::gateway_usage();
  return 2;
}

// Waits for SIGHUP (reload), SIGUSR1 (reopen the decision log) and SIGTERM
// or SIGINT (stop) on a thread of its own; every other thread has them
// blocked.
void handle_signals(GatewayServer& server, const stepup::Engine& engine, const sigset_t& signals,
                    std::atomic<bool>& done) {
  const timespec poll_interval = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
  while (!done) {
    const int signal_number = sigtimedwait(&signals, nullptr, &poll_interval);
    if (signal_number == SIGUSR1) {
      engine.reopen_decision_log();
    } else if (signal_number == SIGHUP) {
      (void)server.reload();  // Logs the outcome.
    } else if (signal_number == SIGTERM || signal_number == SIGINT) {
      server.stop();
      return;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> arguments(argv + 1, argv + argc);
  std::optional<std::string_view> secret_from_environment;
  if (const char* secret = std::getenv("STEPUP_GATEWAY_SECRET")) secret_from_environment = secret;
  absl::StatusOr<GatewayFlags> flags =
      stepup::gateway::parse_gateway_flags(arguments, secret_from_environment);
  if (!flags.ok()) return usage_error(std::string(flags.status().message()));
  if (flags->help) {
    std::cout << stepup::gateway::gateway_usage();
    return 0;
  }

  // Block the signals before any thread starts, so that only the signal
  // thread receives them; a peer that hangs up must not kill the service.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGUSR1);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<stepup::ManualClock> fixed_clock;
  if (flags->now) fixed_clock = std::make_unique<stepup::ManualClock>(*flags->now);
  stepup::EngineOptions engine_options{
      .policy = stepup::PolicyFile{flags->policy_file},
      .clock = fixed_clock.get(),
      .key_refresh = {.start_without_keys = flags->start_without_keys},
      .decision_log = flags->decision_log};
  if (!flags->shadow_policy_file.empty())
    engine_options.shadow_policy = stepup::PolicyFile{flags->shadow_policy_file};
  absl::StatusOr<stepup::Engine> engine = stepup::Engine::create(std::move(engine_options));
  if (!engine.ok()) {
    std::cerr << "stepup-gateway: " << flags->policy_file << ": " << engine.status().message()
              << "\n";
    return 2;
  }

  flags->options.clock = fixed_clock.get();
  const stepup::Engine shared_engine = *engine;  // A copy shares the engine's state.
  GatewayServer server(*std::move(engine), flags->options);
  if (absl::Status bound = server.bind(); !bound.ok()) {
    std::cerr << "stepup-gateway: " << bound.message() << "\n";
    return 1;
  }
  std::cout << "stepup-gateway listening on "
            << stepup::gateway::host_and_port(flags->options.http.host, server.port()) << std::endl;

  std::atomic<bool> done = false;
  std::thread signal_thread([&server, &shared_engine, &signals, &done] {
    handle_signals(server, shared_engine, signals, done);
  });
  const absl::Status served = server.serve();
  done = true;
  signal_thread.join();
  if (!served.ok()) {
    std::cerr << "stepup-gateway: " << served.message() << "\n";
    return 1;
  }
  return 0;
}
