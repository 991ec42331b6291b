// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The whole public API in one include.
#ifndef STEPUP_STEPUP_H_
#define STEPUP_STEPUP_H_

#include "stepup/algorithm.h"
#include "stepup/challenge_client.h"
#include "stepup/claims.h"
#include "stepup/clock.h"
#include "stepup/decision.h"
#include "stepup/decision_log.h"
#include "stepup/dpop_prover.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/key_refresh.h"
#include "stepup/key_set.h"
#include "stepup/metrics.h"
#include "stepup/request.h"
#include "stepup/resource_metadata.h"
#include "stepup/signing_key.h"
#include "stepup/status.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "stepup/version.h"

#endif  // STEPUP_STEPUP_H_
