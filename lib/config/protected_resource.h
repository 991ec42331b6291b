// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_PROTECTED_RESOURCE_H_
#define STEPUP_LIB_CONFIG_PROTECTED_RESOURCE_H_

#include <optional>
#include <string>
#include <vector>

#include "dpop/settings.h"
#include "stepup/json_value.h"
#include "stepup/resource_metadata.h"
#include "stepup/status.h"

namespace stepup::config {

// Reads the document's optional `protected_resource` (RFC 9728, SPEC §2):
// `resource` (an https URL without query or fragment), `resource_metadata`
// (default: RFC 9728 §3.1's well-known URL for `resource`),
// `authorization_servers` (default: `issuers`), `scopes_supported` and
// `resource_name`; the metadata is nullopt when the document has none.
// What the rest of the document tells the metadata.
struct ResourceContext {
  std::vector<std::string> issuers;  // The validators' `iss`, in order.
  // The algorithms some validator takes DPoP proofs in, each once: the
  // metadata's dpop_signing_alg_values_supported (none: left out).
  dpop::AlgorithmNames dpop_algorithms;
  // Every validator requires DPoP: dpop_bound_access_tokens_required.
  bool dpop_required = false;
};

struct ReadResource {
  std::optional<ProtectedResourceMetadata> metadata;
  // `resource`'s scheme and authority, such as "https://api.example.com":
  // what a DPoP proof's `htu` starts with. Empty without `protected_resource`.
  std::string origin;
};

absl::StatusOr<ReadResource> read_protected_resource(const JsonValue& document,
                                                     const ResourceContext& context);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_PROTECTED_RESOURCE_H_
