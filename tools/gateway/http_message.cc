// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/http_message.h"

#include <algorithm>

namespace stepup::gateway {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view HttpRequest::path() const {
  const std::string_view all(target);
  return all.substr(0, all.find('?'));
}

const HttpField* HttpRequest::find(std::string_view name) const {
  for (const HttpField& field : fields) {
    if (equals_ignoring_case(field.name, name)) return &field;
  }
  return nullptr;
}

std::size_t HttpRequest::count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(fields.begin(), fields.end(), [&](const auto& f) {
    return equals_ignoring_case(f.name, name);
  }));
}

void HttpResponse::set_header(std::string_view name, std::string_view value) {
  std::erase_if(headers, [&](const HttpField& f) { return equals_ignoring_case(f.name, name); });
  headers.push_back({std::string(name), std::string(value)});
}

std::string_view HttpResponse::header(std::string_view name) const {
  for (const HttpField& field : headers) {
    if (equals_ignoring_case(field.name, name)) return field.value;
  }
  return {};
}

bool HttpResponse::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const HttpField& f) { return equals_ignoring_case(f.name, name); });
}

}  // namespace stepup::gateway
