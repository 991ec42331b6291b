// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_STATUS_H_
#define STEPUP_STATUS_H_

// The error types of the stepup API: every call that can fail returns an
// Abseil absl::Status, or an absl::StatusOr<T> holding its value. Its
// message says what, where and why; its code is InvalidArgument for bad
// input, FailedPrecondition for a call the object's state does not allow,
// Unavailable for an identity provider that cannot be reached, and
// ResourceExhausted when memory runs out. Include this header, not
// Abseil's, to name them.
#include "absl/status/status.h"    // IWYU pragma: export
#include "absl/status/statusor.h"  // IWYU pragma: export

#endif  // STEPUP_STATUS_H_
