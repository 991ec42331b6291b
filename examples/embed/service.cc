// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// A minimal service that embeds stepup: each line on stdin is a request
//   METHOD PATH [BEARER-TOKEN]
// and the service answers with what its HTTP layer would send back.
//
//   embed_service policy.json < requests.txt
#include <iostream>
#include <sstream>
#include <string>

#include "stepup/stepup.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed_service POLICY.json < requests\n";
    return 2;
  }
  // Built once: the policy and its keys are parsed and compiled here.
  absl::StatusOr<stepup::Engine> engine =
      stepup::Engine::create({.policy = stepup::PolicyFile{argv[1]}});
  if (!engine.ok()) {
    std::cerr << "embed_service: " << engine.status().message() << "\n";
    return 2;
  }

  for (std::string line; std::getline(std::cin, line);) {
    std::istringstream words(line);
    std::string method, path, token;
    if (!(words >> method >> path)) continue;
    words >> token;
    const std::string authorization = "Bearer " + token;

    stepup::Request request;
    request.method = method;
    request.path = path;
    if (!token.empty()) request.authorization = authorization;

    // Per request: no I/O, no locks, safe from any thread.
    const stepup::Decision decision = engine->decide(request);
    if (decision.authorized) {
      std::cout << "200 OK: " << method << " " << path << " handled\n";
      continue;
    }
    std::cout << decision.status;
    if (!decision.www_authenticate.empty()) {
      std::cout << " WWW-Authenticate: " << decision.www_authenticate;
    }
    std::cout << "\n";
  }
  return 0;
}
