// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_ENDPOINTS_H_
#define STEPUP_LIB_CONFIG_ENDPOINTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "attributes/endpoint.h"
#include "stepup/json_value.h"

namespace stepup::config {

// Reads the document's `endpoints` (SPEC §2): services and their base
// paths, each normalized and used once. Empty when the document has none.
absl::StatusOr<std::vector<attributes::Endpoint>> load_endpoints(const JsonValue& document);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_ENDPOINTS_H_
