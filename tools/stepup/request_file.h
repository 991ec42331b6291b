// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_STEPUP_REQUEST_FILE_H_
#define STEPUP_TOOLS_STEPUP_REQUEST_FILE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stepup/json_value.h"
#include "stepup/request.h"
#include "stepup/status.h"

namespace stepup::cli {

// A request read from JSON (SPEC §6): it owns its strings, and `view()` is
// the stepup::Request pointing at them.
// {"method": "POST", "path": "/payments/transfers/7", "authorization":
//  "Bearer eyJ...", "headers": {"name": "value"}, "client_ip": "...",
//  "claims": {...}}   (claims: already validated, as from introspection)
class OwnedRequest {
 public:
  static absl::StatusOr<std::unique_ptr<OwnedRequest>> from_json(const JsonValue& object,
                                                                 const std::string& where);
  const Request& view() const { return request_; }

 private:
  OwnedRequest() = default;
  std::string method_, path_, client_ip_;
  std::optional<std::string> authorization_;
  std::vector<std::pair<std::string, std::string>> header_storage_;
  std::vector<Header> headers_;
  std::optional<JsonValue> claims_;
  Request request_;
};

}  // namespace stepup::cli

#endif  // STEPUP_TOOLS_STEPUP_REQUEST_FILE_H_
