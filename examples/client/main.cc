// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// stepup-client: calls a protected API and, on an RFC 9470 step-up challenge,
// asks the authorization server for a stronger token and retries once.
//
//   stepup-client --url http://127.0.0.1:8080/payments/transfers/7
//                 --method POST --as-url http://127.0.0.1:9000
//
// With --dpop it holds a fresh ES256 key, asks for tokens bound to it and
// sends each request as `Authorization: DPoP` with a new proof (RFC 9449);
// --public-url names the URL the proofs are for when --url reaches the API
// through another address (a test on loopback, a tunnel).
//
// It uses the client side of the stepup library: parse_www_authenticate(),
// find_step_up(), authorization_request_parameters() and StepUpRetryGuard.
// The authorization server is examples/nginx/test_as.py (POST /token with
// form fields; a real client sends the same parameters in an OpenID Connect
// authorization request and gets the token back through the user's browser).
//
// Exit status: 0 the API answered 2xx (its body on stdout); 1 the API refused
// in another way, or a transport error; 2 bad usage; 3 step-up stopped: the
// new token cannot satisfy the challenge, or a challenge came back after the
// step-up.
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "authorization_server.h"
#include "stepup/challenge_client.h"
#include "stepup/dpop_prover.h"

namespace {

using stepup_client::Url;

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;
constexpr int kExitStepUpStopped = 3;
// The first request, the retry after one step-up, and one more so that a
// challenge coming back after the step-up reaches the guard, which stops it.
constexpr int kMaxRequests = 3;

constexpr std::string_view kUsage =
    "usage: stepup-client --url URL --as-url URL [--method GET|POST|PUT|PATCH|DELETE]\n"
    "         [--data BODY] [--sub SUBJECT] [--scope SCOPE] [--initial-grant weak|strong]\n"
    "         [--opaque-tokens] [--timeout-ms N] [--dpop [--public-url URL]]\n"
    "--initial-grant asks the test authorization server for a password-only (weak,\n"
    "the default) or an MFA (strong) first token. --opaque-tokens does not read\n"
    "the new token's acr and auth_time and relies on the loop guard alone.\n"
    "--dpop binds the tokens to a key of the client's and proves it on each\n"
    "request (RFC 9449); --public-url is the URL the proofs name (default --url).\n";

struct Options {
  std::string url;
  std::string as_url;
  std::string method = "GET";
  std::string data;
  std::string sub = "alice";
  std::string scope = "payments:write accounts:read";
  std::string initial_grant = "weak";
  bool opaque_tokens = false;
  int timeout_ms = 5000;
  bool dpop = false;
  std::string public_url;
};

std::optional<Options> parse_flags(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--opaque-tokens") {
      options.opaque_tokens = true;
      continue;
    }
    if (flag == "--dpop") {
      options.dpop = true;
      continue;
    }
    if (i + 1 >= argc) return std::nullopt;
    const std::string value = argv[++i];
    if (flag == "--url") {
      options.url = value;
    } else if (flag == "--as-url") {
      options.as_url = value;
    } else if (flag == "--method") {
      options.method = value;
    } else if (flag == "--data") {
      options.data = value;
    } else if (flag == "--sub") {
      options.sub = value;
    } else if (flag == "--scope") {
      options.scope = value;
    } else if (flag == "--initial-grant") {
      options.initial_grant = value;
    } else if (flag == "--public-url") {
      options.public_url = value;
    } else if (flag == "--timeout-ms") {
      options.timeout_ms = std::atoi(value.c_str());
    } else {
      return std::nullopt;
    }
  }
  const std::string& m = options.method;
  const bool known_method =
      m == "GET" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
  const bool known_grant = options.initial_grant == "weak" || options.initial_grant == "strong";
  if (options.url.empty() || options.as_url.empty() || !known_method || !known_grant ||
      options.timeout_ms <= 0 || (!options.public_url.empty() && !options.dpop)) {
    return std::nullopt;
  }
  if (options.public_url.empty()) options.public_url = options.url;
  return options;
}

// The request's credentials: a Bearer token, or a DPoP token with its proof.
httplib::Headers credentials(const std::string& token, const std::string& dpop_proof) {
  if (dpop_proof.empty()) return {{"Authorization", "Bearer " + token}};
  return {{"Authorization", "DPoP " + token}, {"DPoP", dpop_proof}};
}

httplib::Result call_api(const Options& options, const Url& url, const httplib::Headers& headers) {
  httplib::Client client = stepup_client::make_client(url.origin, options.timeout_ms);
  const std::string& m = options.method;
  const char* type = "application/json";
  if (m == "POST") return client.Post(url.target, headers, options.data, type);
  if (m == "PUT") return client.Put(url.target, headers, options.data, type);
  if (m == "PATCH") return client.Patch(url.target, headers, options.data, type);
  if (m == "DELETE") return client.Delete(url.target, headers, options.data, type);
  return client.Get(url.target, headers);
}

std::string describe(const stepup::StepUpRequirement& requirement) {
  std::string text;
  for (const std::string& acr : requirement.acr_values) {
    text += (text.empty() ? "acr_values=" : " ") + acr;
  }
  if (requirement.max_age) {
    text += (text.empty() ? "max_age=" : ", max_age=") + std::to_string(*requirement.max_age);
  }
  return text;
}

std::string text(const absl::Status& status) {
  return std::string(status.message().data(), status.message().size());
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = parse_flags(argc, argv);
  const std::optional<Url> url = options ? stepup_client::split_url(options->url) : std::nullopt;
  if (!url) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string resource = options->method + " " + options->url;
  const std::string who = "sub=" + stepup_client::form_encode(options->sub) +
                          "&scope=" + stepup_client::form_encode(options->scope);
  auto fail = [&](int code, const std::string& message) {
    std::cerr << "stepup-client: " << resource << ": " << message << "\n";
    return code;
  };

  std::optional<stepup::DpopProver> prover;
  if (options->dpop) {
    absl::StatusOr<stepup::SigningKey> key =
        stepup::SigningKey::generate(stepup::Algorithm::kES256);
    if (!key.ok()) return fail(kExitRefused, "no DPoP key: " + text(key.status()));
    absl::StatusOr<stepup::DpopProver> made = stepup::DpopProver::create(*std::move(key));
    if (!made.ok()) return fail(kExitRefused, "no DPoP key: " + text(made.status()));
    prover = *std::move(made);
  }
  // A proof for `uri` (and `access_token`, when given); empty without DPoP.
  auto proof_for = [&](const std::string& method, const std::string& uri,
                       const std::string& access_token) -> absl::StatusOr<std::string> {
    if (!prover) return std::string();
    return prover->proof(method, uri, access_token, now_seconds());
  };
  auto get_token = [&](const std::string& form) -> stepup_client::TokenResult {
    absl::StatusOr<std::string> proof =
        proof_for("POST", stepup_client::token_endpoint(options->as_url), "");
    if (!proof.ok()) return {.token = std::nullopt, .error = "DPoP proof: " + text(proof.status())};
    return stepup_client::fetch_token(options->as_url, form, options->timeout_ms, *proof);
  };

  stepup_client::TokenResult token = get_token(who + "&grant=" + options->initial_grant);
  if (!token.token) return fail(kExitRefused, token.error);

  stepup::StepUpRetryGuard guard;
  for (int attempt = 0; attempt < kMaxRequests; ++attempt) {
    const absl::StatusOr<std::string> proof =
        proof_for(options->method, options->public_url, *token.token);
    if (!proof.ok()) return fail(kExitRefused, "DPoP proof: " + text(proof.status()));
    const httplib::Result result = call_api(*options, *url, credentials(*token.token, *proof));
    if (!result) return fail(kExitRefused, "request failed: " + httplib::to_string(result.error()));
    const int status = result->status;
    if (status >= 200 && status < 300) {
      guard.on_success(resource);
      std::cout << result->body;
      return kExitOk;
    }

    // Every WWW-Authenticate field, in order (RFC 9110 §11.6.1).
    std::vector<std::string> fields;
    for (std::size_t i = 0; i < result->get_header_value_count("WWW-Authenticate"); ++i) {
      fields.push_back(result->get_header_value("WWW-Authenticate", i));
    }
    const std::vector<std::string_view> views(fields.begin(), fields.end());
    const std::vector<stepup::Challenge> challenges = stepup::parse_www_authenticate(views);
    const std::optional<stepup::StepUpRequirement> requirement = stepup::find_step_up(challenges);
    if (status != 401 || !requirement) {
      std::string refusal = "the API answered " + std::to_string(status);
      for (const std::string& field : fields)
        refusal += "\n  WWW-Authenticate: " + field;
      return fail(kExitRefused, refusal + "\n  (not a step-up challenge: nothing to step up to)");
    }

    // A step-up challenge: may the client ask the user again for this resource?
    if (const absl::Status allowed = guard.on_challenge(resource, *requirement); !allowed.ok()) {
      return fail(kExitStepUpStopped, "step-up stopped: " + text(allowed));
    }
    std::cerr << "stepup-client: 401 step-up required" << (requirement->dpop ? " under DPoP" : "")
              << " (" << describe(*requirement)
              << "): asking the authorization server for a stronger token\n";
    // The same parameters an OpenID Connect authorization request would carry.
    std::string form = who;
    if (const std::string asked = stepup::authorization_request_parameters(*requirement);
        !asked.empty()) {
      form += "&";
      form += asked;
    }
    token = get_token(form);
    if (!token.token) return fail(kExitRefused, token.error);

    if (options->opaque_tokens) {
      guard.record_step_up(resource);
      std::cerr << "stepup-client: new token; retrying once\n";
      continue;
    }
    const stepup_client::TokenClaims claims = stepup_client::read_claims(*token.token);
    if (!claims.error.empty()) return fail(kExitStepUpStopped, "step-up stopped: " + claims.error);
    const std::optional<std::string_view> acr =
        claims.acr ? std::optional<std::string_view>(*claims.acr) : std::nullopt;
    if (const absl::Status satisfied =
            guard.check_new_token(resource, acr, claims.auth_time, now_seconds());
        !satisfied.ok()) {
      return fail(kExitStepUpStopped, "step-up stopped, not retrying: " + text(satisfied));
    }
    std::cerr << "stepup-client: new token (acr " << claims.acr.value_or("none")
              << "); retrying once\n";
  }
  return fail(kExitStepUpStopped,
              "step-up stopped after " + std::to_string(kMaxRequests) + " requests");
}
