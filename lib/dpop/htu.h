// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DPOP_HTU_H_
#define STEPUP_LIB_DPOP_HTU_H_

#include <optional>
#include <string>
#include <string_view>

namespace stepup::dpop {

// An http or https URI without its query and fragment, normalized for
// comparison (RFC 9449 §4.3 with RFC 3986 §6.2.2 and §6.2.3): scheme and
// host in lower case, the scheme's default port dropped, an empty path
// made "/", percent-encodings in upper case and those of unreserved
// characters decoded. nullopt for anything else (another scheme, user
// information, no host, a malformed percent-encoding). Dot segments are
// kept: a proof that spells them differently does not match.
std::optional<std::string> normalized_htu(std::string_view uri);

// Whether a proof's `htu` names the request's URI.
bool htu_matches(std::string_view htu, std::string_view request_uri);

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_HTU_H_
