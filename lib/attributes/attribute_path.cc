// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/attribute_path.h"

#include <algorithm>
#include <cctype>

#include "absl/status/status.h"
#include "common/ascii.h"

namespace stepup::attributes {
namespace {

std::string join(const std::vector<std::string>& segments) {
  std::string text;
  for (const std::string& segment : segments) {
    if (!text.empty()) text += '.';
    text += segment;
  }
  return text;
}

}  // namespace

absl::StatusOr<AttributePath> resolve_attribute_path(const std::vector<std::string>& segments) {
  AttributePath path;
  path.text = join(segments);
  if (segments.empty()) return absl::InvalidArgumentError("empty attribute path");
  for (const std::string& segment : segments) {
    if (segment.empty()) return absl::InvalidArgumentError("empty name in attribute path");
  }
  for (const SingleAttribute& single : kSingleAttributes) {
    if (path.text == single.name) {
      path.id = single.id;
      return path;
    }
    if (path.text.size() > single.name.size() && path.text.starts_with(single.name) &&
        path.text[single.name.size()] == '.') {
      return absl::InvalidArgumentError("attribute " + std::string(single.name) +
                                        " has no members");
    }
  }
  if (segments[0] != "HttpRequest") {
    return absl::InvalidArgumentError("unknown attribute " + segments[0]);
  }
  if (segments.size() < 2) return absl::InvalidArgumentError("HttpRequest needs a member");
  const std::string& member = segments[1];
  auto named = [&](AttributeId id, bool lower) -> absl::StatusOr<AttributePath> {
    if (segments.size() != 3) {
      return absl::InvalidArgumentError("HttpRequest." + member + " needs exactly one name");
    }
    std::string name = lower ? common::to_ascii_lower(segments[2]) : segments[2];
    path.id = id;
    path.names = {std::move(name)};
    return path;
  };
  if (member == "RequestHeaders") return named(AttributeId::kRequestHeader, true);
  if (member == "QueryParameters") return named(AttributeId::kQueryParameter, false);
  if (member == "AccessToken") {
    if (segments.size() < 3)
      return absl::InvalidArgumentError("HttpRequest.AccessToken needs a claim");
    path.id = AttributeId::kAccessToken;
    path.names.assign(segments.begin() + 2, segments.end());
    if (path.names.size() == 1 && path.names[0] == "active") path.claim_form = ClaimForm::kActive;
    if (path.names.size() == 1 && path.names[0] == "token_type") {
      path.claim_form = ClaimForm::kTokenType;
    }
    if (path.names.size() == 1 && (path.names[0] == "scope" || path.names[0] == "scp")) {
      path.claim_form = ClaimForm::kWords;
    }
    return path;
  }
  return absl::InvalidArgumentError("unknown attribute HttpRequest." + member);
}

StaticType static_type(const AttributePath& path) {
  switch (path.id) {
    case AttributeId::kAuthenticationTime:
    case AttributeId::kAuthenticationAge:
      return StaticType::kInt;
    case AttributeId::kAuthenticationMethods:
      return StaticType::kStringList;
    case AttributeId::kAuthenticationPolicy:
    case AttributeId::kAction:
    case AttributeId::kService:
    case AttributeId::kResourcePath:
    case AttributeId::kRequestUri:
    case AttributeId::kIpAddress:
    case AttributeId::kRequestHeader:
    case AttributeId::kQueryParameter:
      return StaticType::kString;
    case AttributeId::kAccessToken:
      if (path.names.size() == 1 && (path.names[0] == "scope" || path.names[0] == "scp")) {
        return StaticType::kStringList;
      }
      if (path.names.size() == 1 && path.names[0] == "active") return StaticType::kBool;
      if (path.names.size() == 1 && path.names[0] == "token_type") return StaticType::kString;
      return StaticType::kDynamic;
  }
  return StaticType::kDynamic;
}

}  // namespace stepup::attributes
