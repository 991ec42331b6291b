// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_PROTECTED_RESOURCE_H_
#define STEPUP_LIB_CONFIG_PROTECTED_RESOURCE_H_

#include <optional>
#include <string>
#include <vector>

#include "stepup/json_value.h"
#include "stepup/resource_metadata.h"
#include "stepup/status.h"

namespace stepup::config {

// Reads the document's optional `protected_resource` (RFC 9728, SPEC §2):
// `resource` (an https URL without query or fragment), `resource_metadata`
// (default: RFC 9728 §3.1's well-known URL for `resource`),
// `authorization_servers` (default: `issuers`), `scopes_supported` and
// `resource_name`. nullopt when the document has none.
absl::StatusOr<std::optional<ProtectedResourceMetadata>> read_protected_resource(
    const JsonValue& document, const std::vector<std::string>& issuers);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_PROTECTED_RESOURCE_H_
