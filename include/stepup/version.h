// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_VERSION_H_
#define STEPUP_VERSION_H_

#define STEPUP_VERSION_MAJOR 0
#define STEPUP_VERSION_MINOR 1
#define STEPUP_VERSION_PATCH 0

namespace stepup {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace stepup

#endif  // STEPUP_VERSION_H_
