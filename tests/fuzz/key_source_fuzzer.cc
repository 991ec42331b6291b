// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzz target for what an identity provider sends back: the discovery
// metadata (jwks_uri_from_metadata), a fetched JWK Set read tolerantly
// (keys_from_fetched_jwks), Cache-Control, and the key refresher fed the
// answers (status, body, ETag, max-age). Checks: errors say something; an
// accepted jwks_uri is an https URL; the refresher never loses its last
// good set, and always schedules the next fetch within its limits.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "fuzzed_data_provider.h"
#include "keysource/discovery.h"
#include "keysource/http_fetch.h"
#include "keysource/key_refresher.h"
#include "keysource/remote_source.h"

namespace {

using stepup::keysource::KeyRefresher;
using stepup::keysource::RefreshLimits;
using stepup::keysource::RemoteKeys;

constexpr int64_t kStart = 1'800'000'000;
const std::string kIssuer = "https://idp.example";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const bool as_metadata = input.ConsumeBool();
  const std::string header = input.ConsumeRandomLengthString(64);
  const std::string body = input.ConsumeRemainingBytesAsString();

  if (as_metadata) {
    const absl::StatusOr<std::string> jwks_uri =
        stepup::keysource::jwks_uri_from_metadata(body, kIssuer);
    if (jwks_uri.ok()) {
      FUZZ_CHECK(!jwks_uri->empty());
    } else {
      FUZZ_CHECK(!jwks_uri.status().message().empty());
    }
  }

  const std::optional<int64_t> max_age = stepup::keysource::parse_cache_control_max_age(header);
  if (max_age) FUZZ_CHECK(*max_age >= 0);

  const absl::StatusOr<stepup::KeySet> keys =
      stepup::keysource::keys_from_fetched_jwks(body, kIssuer + "/jwks");
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  if (keys.ok()) {
    FUZZ_CHECK(keys->size() > 0);
    for (const stepup::KeyInfo& key : keys->describe())
      FUZZ_CHECK(key.type != stepup::KeyType::kOctet);
    for (const stepup::SkippedKey& skipped : keys->skipped())
      FUZZ_CHECK(!skipped.reason.empty());
  } else {
    FUZZ_CHECK(!keys.status().message().empty());
  }

  // The refresher, holding a good set, fed this answer as a 200, then as
  // whatever status the header's first byte names.
  RemoteKeys remote;
  remote.validator_name = "idp";
  remote.source.jwks_uri = kIssuer + "/jwks";
  remote.source.refresh =
      RefreshLimits{.min_seconds = 10, .max_seconds = 1000, .unknown_kid_min_interval_seconds = 5};
  stepup::keysource::FetchedKeys initial;
  initial.jwks_uri = remote.source.jwks_uri;
  remote.initial = initial;
  std::vector<RemoteKeys> sources;
  sources.push_back(remote);
  KeyRefresher refresher(std::move(sources), 1, kStart,
                         std::make_shared<stepup::keysource::WakeSignal>());
  int64_t now = kStart;
  for (const int status :
       {200, header.empty() ? 304 : 100 + static_cast<unsigned char>(header[0])}) {
    now = *refresher.next_due();
    const std::optional<stepup::KeyFetchJob> job = refresher.take_due(now);
    FUZZ_CHECK(job.has_value());
    stepup::KeyFetchResponse answer;
    answer.status = status;
    answer.body = body;
    answer.etag = header;
    answer.max_age = max_age;
    answer.jwks_uri = remote.source.jwks_uri;
    stepup::keysource::FinishedFetch finished = refresher.finish(*job, answer, now);
    if (finished.changed) {
      FUZZ_CHECK(status == 200 && keys.ok());
      refresher.settle(finished, absl::OkStatus(), now);
    }
    const stepup::KeySourceStatus state = refresher.status(now)[0];
    FUZZ_CHECK(state.has_keys);  // The last good set is never lost.
    const int64_t next = *refresher.next_due();
    FUZZ_CHECK(next > now);
    FUZZ_CHECK(next <= now + (finished.status.ok() ? 1000 : 375));
    if (!finished.status.ok()) FUZZ_CHECK(!state.last_error.empty());
  }
  return 0;
}
