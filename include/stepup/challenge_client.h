// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The client side of step-up challenges (SPEC §7): parse `WWW-Authenticate`
// (RFC 9110 §11), find an RFC 9470 step-up requirement in it, build the
// authorization request parameters that ask for it, and stop retry loops.
#ifndef STEPUP_CHALLENGE_CLIENT_H_
#define STEPUP_CHALLENGE_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepup/export.h"
#include "stepup/status.h"
#include "stepup/step_up_requirement.h"

namespace stepup {

namespace challenge_internal {
struct GuardState;
}  // namespace challenge_internal

// One challenge of a `WWW-Authenticate` field: an auth-scheme followed by
// either a token68 or a list of auth-params (RFC 9110 §11.2), never both.
struct STEPUP_EXPORT Challenge {
  // The auth-scheme, lower-cased (schemes are case-insensitive).
  std::string scheme = {};
  // The token68 as sent (e.g. `Basic dXNlcjpwYXNz`); empty otherwise.
  std::string token68 = {};
  // The auth-params in order: names lower-cased, values as sent, with
  // quoted-strings unquoted and their quoted-pairs unescaped.
  std::vector<std::pair<std::string, std::string>> params = {};
  // False when the challenge is malformed: a repeated parameter, or a syntax
  // error inside it. An invalid challenge keeps what was parsed of it, for
  // diagnostics only; callers must not act on it.
  bool valid = true;
  // Why the challenge is invalid (field index, byte offset, what was wrong);
  // empty when valid.
  std::string error = {};

  // The value of the parameter `name` (compared case-insensitively), or
  // nullptr. The pointer is valid as long as this challenge is unchanged.
  const std::string* param(std::string_view name) const;
};

// Parses the values of every `WWW-Authenticate` field of one response, in
// order (RFC 9110 §11.6.1), into its challenges, in order.
//
// Empty fields and empty list elements (`, ,`) yield nothing. A repeated
// parameter (case-insensitive) makes only its own challenge invalid; parsing
// goes on. A syntax error makes the challenge it occurs in invalid and ends
// that field, because after a syntax error there is no telling where the next
// challenge begins: challenges completed before it in the same field, and all
// other fields, are kept. A syntax error before any auth-scheme yields one
// invalid challenge with an empty scheme, so a malformed field is never
// mistaken for an absent one. Never throws; linear in the input size.
STEPUP_EXPORT std::vector<Challenge> parse_www_authenticate(
    const std::vector<std::string_view>& field_values);

// The requirement of the first valid Bearer or DPoP challenge (auth-param
// form) whose `error` is exactly "insufficient_user_authentication" (RFC
// 9470 §3, RFC 9449 §7.1), or nullopt; `dpop` tells which scheme it was. A challenge whose
// `max_age` is not a non-negative decimal integer that fits in int64_t is treated as malformed and
// skipped.
STEPUP_EXPORT std::optional<StepUpRequirement> find_step_up(
    const std::vector<Challenge>& challenges);

// What a 401 or 403 response asks of the client.
enum class ChallengeKind {
  // A usable step-up requirement: find_step_up() returns it.
  kStepUp,
  // Bearer error="invalid_token": get a new token (RFC 6750 §3.1).
  kInvalidToken,
  // Bearer error="insufficient_scope": ask for more scope (RFC 6750 §3.1).
  kInsufficientScope,
  // A Bearer (or DPoP) challenge without `error`: send a token (RFC 6750 §3.1).
  kNoCredentials,
  // DPoP error="invalid_dpop_proof": the proof was refused; make a new one
  // (RFC 9449 §7.1).
  kInvalidDpopProof,
  // DPoP error="use_dpop_nonce": retry with the server's nonce (RFC 9449 §9).
  kUseDpopNonce,
  // Anything else: no valid Bearer challenge, another or unknown error, or a
  // step-up challenge that is malformed.
  kOther,
};

// Classifies a response's challenges: kStepUp exactly when find_step_up()
// finds a requirement; otherwise by the `error` of the first valid Bearer
// or DPoP challenge in auth-param form.
STEPUP_EXPORT ChallengeKind classify(const std::vector<Challenge>& challenges);

// The `resource_metadata` URL (RFC 9728 §5.1) of the first valid Bearer or
// DPoP challenge that has one, as sent, or nullopt. Fetch it only from an
// https URL of the resource's own host (RFC 9728 §3.3).
STEPUP_EXPORT std::optional<std::string> find_resource_metadata(
    const std::vector<Challenge>& challenges);

// The `algs` of the first valid DPoP challenge (RFC 9449 §7.1), split on
// spaces (empty when it has none), or nullopt when there is no DPoP
// challenge: the server does not take DPoP.
STEPUP_EXPORT std::optional<std::vector<std::string>> find_dpop_algorithms(
    const std::vector<Challenge>& challenges);

struct AuthorizationRequestOptions {
  // Also send the challenge's `scope`. Off by default because the client's
  // own scope request usually covers more than the one resource; a client
  // that wants it merged can read `StepUpRequirement::scope`.
  // Default: false.
  bool include_scope = false;
};

// The authorization request parameters (RFC 9470 §4, OpenID Connect Core
// §3.1.2.1) for `requirement`, application/x-www-form-urlencoded, without a
// leading separator: `acr_values=urn%3Aexample%3Amfa+urn%3Aexample%3Ahwk&max_age=300`.
// Only present parameters appear (a negative max_age counts as absent), in
// the order acr_values, max_age, scope.
// Every byte but ALPHA, DIGIT, '-', '.', '_' and '~' is percent-encoded
// (upper-case hex), except that the separating space is written '+'.
// Empty when there is nothing to ask for.
STEPUP_EXPORT std::string authorization_request_parameters(
    const StepUpRequirement& requirement, const AuthorizationRequestOptions& options = {});

struct StepUpRetryGuardOptions {
  // How many step-ups the guard allows for one resource before on_challenge()
  // refuses; 0 refuses every step-up. Default: 1.
  std::size_t max_step_ups_per_resource = 1;
  // The guard remembers at most this many resources; past it, the least
  // recently used one is forgotten. Values below 1 count as 1. Default: 1024.
  std::size_t max_tracked_resources = 1024;
  // Leeway when comparing a new token's auth_time with max_age, since the
  // client's clock and the authorization server's differ. Negative values
  // count as 0. Default: 60.
  int64_t clock_skew_seconds = 60;
};

// Keeps a client from asking the user to step up again and again for a
// resource that will not accept the result (SPEC §7). One guard per client.
//
// The calls, for one resource (an opaque key the client chooses, compared
// exactly, e.g. "POST https://api.example.com/transfers"):
//   1. A request gets a 401 step-up challenge: call on_challenge(). OK means
//      "step up and retry"; an error means stop and show the error.
//   2. The authorization server returns a new token: call check_new_token()
//      with the `acr` and `auth_time` the client learned (ID token or access
//      token); an error means the token cannot satisfy the challenge, so do
//      not retry with it. A client that can see neither calls
//      record_step_up() instead.
//   3. The retried request succeeds: call on_success().
// Step 2 records a step-up attempt for the resource whether the token passes
// or not. After an attempt, on_challenge() refuses a requirement equal to any
// already attempted for the resource (a loop), and refuses every requirement
// once `max_step_ups_per_resource` attempts were made. Challenges that arrive
// before any new token (e.g. for concurrent requests) are not attempts.
//
// Thread-safe: every method may be called concurrently; calls are serialized
// by an internal mutex. Concurrent requests to one resource share its state.
// Memory is bounded by `max_tracked_resources`; a resource that was forgotten
// starts afresh. Not copyable or movable.
class STEPUP_EXPORT StepUpRetryGuard {
 public:
  explicit StepUpRetryGuard(StepUpRetryGuardOptions options = {});
  ~StepUpRetryGuard();
  StepUpRetryGuard(const StepUpRetryGuard&) = delete;
  StepUpRetryGuard& operator=(const StepUpRetryGuard&) = delete;

  // A 401 step-up challenge with `requirement` arrived for `resource`. OK: step
  // up and retry; the requirement is now pending for check_new_token().
  // FailedPrecondition: a step-up was already attempted for the resource with
  // the same requirement (equal acr_values as a set, max_age, and scope as a
  // set of space-separated tokens), or the resource had its
  // `max_step_ups_per_resource` step-ups.
  absl::Status on_challenge(std::string_view resource, const StepUpRequirement& requirement);

  // The client got a new token after on_challenge() returned OK for
  // `resource`. Checks it against the pending requirement: `acr` must be one
  // of its acr_values (when there are any), and `auth_time` (epoch seconds)
  // must be at most max_age + clock skew seconds before `now_seconds` (when
  // max_age is present). Records the step-up attempt either way.
  // FailedPrecondition: the token does not satisfy the requirement, or no
  // step-up is pending for the resource.
  absl::Status check_new_token(std::string_view resource, std::optional<std::string_view> acr,
                               std::optional<int64_t> auth_time, int64_t now_seconds);

  // Records a step-up attempt for `resource` without checking the token, for
  // clients that cannot see its `acr` or `auth_time`. No effect when no
  // step-up is pending for the resource.
  void record_step_up(std::string_view resource);

  // The retried request succeeded: forgets `resource`.
  void on_success(std::string_view resource);

  // How many resources the guard remembers now.
  std::size_t tracked_resources() const;

 private:
  std::unique_ptr<challenge_internal::GuardState> state_;
};

}  // namespace stepup

#endif  // STEPUP_CHALLENGE_CLIENT_H_
