// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Validates bearer tokens with stepup's token parser and prints the outcome.
//
//   validate_token --jwks keys.json --issuer ISS --audience AUD
//                  [--algorithms ES256,RS256] [--now EPOCH] TOKEN...
//
// Each TOKEN may be a compact JWS or a whole "Bearer ..." header value.
// Exit status: 0 if every token is valid, 1 if any is refused, 2 on usage or
// configuration errors.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stepup/stepup.h"

namespace {

struct Arguments {
  std::string jwks_file;
  stepup::ValidatorOptions validator;
  std::optional<int64_t> now;
  std::vector<std::string> tokens;
};

int usage(const std::string& problem) {
  std::cerr << "validate_token: " << problem << "\n"
            << "usage: validate_token --jwks FILE --issuer ISS --audience AUD "
               "[--algorithms A,B] [--now EPOCH] TOKEN...\n";
  return 2;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> parts;
  std::stringstream stream(list);
  for (std::string part; std::getline(stream, part, ',');)
    parts.push_back(part);
  return parts;
}

std::optional<std::string> parse_arguments(int argc, char** argv, Arguments& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--jwks" && has_value) {
      args.jwks_file = argv[++i];
    } else if (flag == "--issuer" && has_value) {
      args.validator.issuer = argv[++i];
    } else if (flag == "--audience" && has_value) {
      args.validator.audience.push_back(argv[++i]);
    } else if (flag == "--algorithms" && has_value) {
      for (const std::string& name : split(argv[++i])) {
        const auto algorithm = stepup::algorithm_from_name(name);
        if (!algorithm) return "unknown algorithm " + name;
        args.validator.algorithms.push_back(*algorithm);
      }
    } else if (flag == "--now" && has_value) {
      args.now = std::strtoll(argv[++i], nullptr, 10);
    } else if (flag.rfind("--", 0) == 0) {
      return "unknown or incomplete option " + flag;
    } else {
      args.tokens.push_back(flag);
    }
  }
  if (args.jwks_file.empty()) return "--jwks is required";
  if (args.tokens.empty()) return "no token given";
  return std::nullopt;
}

// Every algorithm the key set can verify, when --algorithms is not given.
std::vector<stepup::Algorithm> algorithms_of(const stepup::KeySet& keys) {
  std::vector<stepup::Algorithm> result;
  for (const stepup::KeyInfo& key : keys.describe()) {
    for (stepup::Algorithm algorithm : key.allowed) {
      if (std::find(result.begin(), result.end(), algorithm) == result.end()) {
        result.push_back(algorithm);
      }
    }
  }
  return result;
}

void print_valid(const stepup::TokenResult& result) {
  const stepup::Claims& claims = result.claims;
  std::cout << "valid    " << stepup::algorithm_name(claims.algorithm())
            << " kid=" << claims.key_id() << " sub=" << claims.subject();
  if (const stepup::JsonValue* acr = claims.find("acr"); acr && acr->is_string()) {
    std::cout << " acr=" << acr->as_string();
  }
  if (const auto auth_time = claims.auth_time()) std::cout << " auth_time=" << *auth_time;
  std::cout << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  if (const auto problem = parse_arguments(argc, argv, args)) return usage(*problem);

  std::ifstream file(args.jwks_file);
  if (!file) return usage("cannot read " + args.jwks_file);
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<stepup::KeySet> keys = stepup::KeySet::from_jwks(text.str());
  if (!keys.ok()) {
    std::cerr << "validate_token: " << args.jwks_file << ": " << keys.status().message() << "\n";
    return 2;
  }
  if (args.validator.algorithms.empty()) args.validator.algorithms = algorithms_of(*keys);
  args.validator.keys = *std::move(keys);

  stepup::TokenVerifierOptions options;
  options.validators.push_back(std::move(args.validator));
  absl::StatusOr<stepup::TokenVerifier> verifier =
      stepup::TokenVerifier::create(std::move(options));
  if (!verifier.ok()) {
    std::cerr << "validate_token: " << verifier.status().message() << "\n";
    return 2;
  }

  bool all_valid = true;
  for (const std::string& input : args.tokens) {
    std::string_view token = input;
    if (input.find(' ') != std::string::npos) {  // A whole Authorization header value.
      const stepup::BearerToken bearer = stepup::parse_bearer_authorization(input);
      if (bearer.error != stepup::TokenError::kOk) {
        std::cout << "refused  " << stepup::token_error_name(bearer.error) << ": "
                  << stepup::token_error_description(bearer.error) << "\n";
        all_valid = false;
        continue;
      }
      token = bearer.token;
    }
    const stepup::TokenResult result =
        args.now ? verifier->verify_at(token, *args.now) : verifier->verify(token);
    if (result.ok()) {
      print_valid(result);
    } else {
      all_valid = false;
      std::cout << "refused  " << stepup::token_error_name(result.error) << ": "
                << stepup::token_error_description(result.error) << "\n";
    }
  }
  return all_valid ? 0 : 1;
}
