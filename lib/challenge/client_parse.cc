// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// WWW-Authenticate parsing (RFC 9110 §11.2, §11.6.1, lists per §5.6.1):
//   WWW-Authenticate = #challenge
//   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param       = token BWS "=" BWS ( token / quoted-string )
//   token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// Commas separate both challenges and auth-params, so a list element is read
// by its shape: `token BWS "="` is an auth-param of the open challenge, any
// other token starts a new challenge.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "challenge/client_internal.h"
#include "common/ascii.h"
#include "stepup/challenge_client.h"

namespace stepup {
namespace {

using challenge_internal::is_token68_char;

// Parses one field value, appending its challenges to `out`.
class FieldParser {
 public:
  FieldParser(std::string_view input, std::size_t field_index, std::vector<Challenge>* out)
      : in_(input), field_index_(field_index), out_(out) {}

  void run() {
    while (true) {
      skip_ows();
      if (at_end()) return;
      if (peek() == ',') {  // An empty list element (RFC 9110 §5.6.1).
        ++pos_;
        continue;
      }
      const std::size_t start = pos_;
      const std::string_view name = read_token();
      if (name.empty()) return fail(start, "expected an auth-scheme or auth-param");
      const std::size_t after_name = pos_;
      skip_ows();
      if (!at_end() && peek() == '=') {
        if (!open_)
          return fail(start, "auth-param '" + std::string(name) + "' before any auth-scheme");
        if (!current().token68.empty()) {
          return fail(start, "auth-param '" + std::string(name) + "' after a token68");
        }
        ++pos_;
        if (!read_param_value(name, start) || !expect_element_end()) return;
        continue;
      }
      open_challenge(name);
      if (at_end() || peek() == ',') continue;
      if (pos_ == after_name) return fail(pos_, "expected a space after the auth-scheme");
      if (!read_first_item()) return;
    }
  }

 private:
  bool at_end() const { return pos_ >= in_.size(); }
  char peek() const { return in_[pos_]; }

  void skip_ows() {
    while (!at_end() && (peek() == ' ' || peek() == '\t'))
      ++pos_;
  }

  std::string_view read_token() {
    const std::size_t start = pos_;
    while (!at_end() && common::is_tchar(peek()))
      ++pos_;
    return in_.substr(start, pos_ - start);
  }

  Challenge& current() { return (*out_)[current_]; }

  void open_challenge(std::string_view scheme) {
    Challenge challenge;
    challenge.scheme = common::to_ascii_lower(scheme);
    out_->push_back(std::move(challenge));
    current_ = out_->size() - 1;
    open_ = true;
    names_.clear();
  }

  // Marks the open challenge invalid (or records an invalid challenge with an
  // empty scheme when none is open). The caller then abandons the field.
  void fail(std::size_t offset, const std::string& what) {
    if (!open_) open_challenge("");
    mark_invalid("field " + std::to_string(field_index_) + ", offset " + std::to_string(offset) +
                 ": " + what);
  }

  void mark_invalid(const std::string& message) {
    Challenge& challenge = current();
    challenge.valid = false;
    if (!challenge.error.empty()) challenge.error += "; ";
    challenge.error += message;
  }

  // After an element: OWS, then a comma (left for run()) or the end.
  bool expect_element_end() {
    skip_ows();
    if (at_end() || peek() == ',') return true;
    fail(pos_, "expected ',' or the end of the field");
    return false;
  }

  // The first item after `auth-scheme 1*SP`: an auth-param if it has the
  // shape `token BWS "=" BWS (token / quoted-string)`, else a token68.
  bool read_first_item() {
    const std::size_t item = pos_;
    const std::string_view name = read_token();
    if (!name.empty()) {
      skip_ows();
      if (!at_end() && peek() == '=') {
        ++pos_;
        skip_ows();
        if (!at_end() && (common::is_tchar(peek()) || peek() == '"')) {
          return read_param_value(name, item) && expect_element_end();
        }
      }
    }
    // `abc=` and `abc==` are token68s with padding, not auth-params.
    pos_ = item;
    while (!at_end() && is_token68_char(peek()))
      ++pos_;
    if (pos_ == item) {
      fail(item, "expected a token68 or auth-param after the auth-scheme");
      return false;
    }
    while (!at_end() && peek() == '=')
      ++pos_;
    current().token68 = std::string(in_.substr(item, pos_ - item));
    return expect_element_end();
  }

  // Reads `BWS (token / quoted-string)` after the '=' of the auth-param
  // `name` (which started at `name_offset`) and records it.
  bool read_param_value(std::string_view name, std::size_t name_offset) {
    skip_ows();
    std::string value;
    if (!at_end() && peek() == '"') {
      if (!read_quoted_string(&value)) return false;
    } else {
      const std::string_view token = read_token();
      if (token.empty()) {
        fail(pos_, "auth-param '" + std::string(name) + "' has no value");
        return false;
      }
      value = std::string(token);
    }
    std::string lower_name = common::to_ascii_lower(name);
    if (!names_.insert(lower_name).second) {
      // Semantic, not syntactic: the rest of the field still parses.
      mark_invalid("field " + std::to_string(field_index_) + ", offset " +
                   std::to_string(name_offset) + ": auth-param '" + lower_name +
                   "' appears more than once");
    }
    current().params.emplace_back(std::move(lower_name), std::move(value));
    return true;
  }

  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4);
  // qdtext and quoted-pair admit HTAB, SP, VCHAR and obs-text, never a CTL.
  bool read_quoted_string(std::string* value) {
    const std::size_t start = pos_;
    ++pos_;
    while (true) {
      if (at_end()) {
        fail(start, "unterminated quoted-string");
        return false;
      }
      char c = peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        ++pos_;
        if (at_end()) {
          fail(start, "unterminated quoted-string");
          return false;
        }
        c = peek();
      }
      if (common::is_ctl(c) && c != '\t') {
        fail(pos_, "control character in quoted-string");
        return false;
      }
      value->push_back(c);
      ++pos_;
    }
  }

  const std::string_view in_;
  const std::size_t field_index_;
  std::vector<Challenge>* const out_;
  std::size_t pos_ = 0;
  bool open_ = false;
  std::size_t current_ = 0;
  // The parameter names of the open challenge, to find repeats in linear time.
  std::unordered_set<std::string> names_;
};

}  // namespace

const std::string* Challenge::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (common::equals_ignoring_ascii_case(key, name)) return &value;
  }
  return nullptr;
}

std::vector<Challenge> parse_www_authenticate(const std::vector<std::string_view>& field_values) {
  std::vector<Challenge> challenges;
  for (std::size_t i = 0; i < field_values.size(); ++i) {
    FieldParser(field_values[i], i, &challenges).run();
  }
  return challenges;
}

}  // namespace stepup
