// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_RESOURCE_METADATA_H_
#define STEPUP_RESOURCE_METADATA_H_

#include <string>

namespace stepup {

// The protected resource's metadata (RFC 9728), from the policy document's
// `protected_resource` (docs/spec.md §2), for a host to serve.
struct ProtectedResourceMetadata {
  // Where clients fetch it: the `resource_metadata` URL every challenge
  // carries.
  std::string url;
  // That URL's path, for a server's routing, such as
  // "/.well-known/oauth-protected-resource".
  std::string path;
  // The metadata document (RFC 9728 §2) as compact JSON.
  std::string json;
};

}  // namespace stepup

#endif  // STEPUP_RESOURCE_METADATA_H_
