// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Uses the installed or build-tree package: public headers only.
#include <iostream>

#include "stepup/stepup.h"

int main() {
  const auto keys =
      stepup::KeySet::from_jwks(R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1",)"
                                R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]})");
  if (!keys.ok()) {
    std::cerr << "consumer: " << keys.status().message() << "\n";
    return 1;
  }
  stepup::ValidatorOptions validator;
  validator.issuer = "https://as.example.com";
  validator.audience = {"https://api.example.com"};
  validator.algorithms = {stepup::Algorithm::kEdDSA};
  validator.keys = *keys;
  stepup::TokenVerifierOptions options;
  options.validators.push_back(validator);
  const auto verifier = stepup::TokenVerifier::create(options);
  if (!verifier.ok()) {
    std::cerr << "consumer: " << verifier.status().message() << "\n";
    return 1;
  }
  const stepup::TokenResult result = verifier->verify("not-a-token");
  if (result.error != stepup::TokenError::kMalformedCompact) {
    std::cerr << "consumer: unexpected " << stepup::token_error_name(result.error) << "\n";
    return 1;
  }
  std::cout << "consumer: stepup " << stepup::kVersion << " works through find_package\n";
  return 0;
}
