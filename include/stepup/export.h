// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_EXPORT_H_
#define STEPUP_EXPORT_H_

// Marks a declaration of the public API. The library is compiled with hidden
// visibility, so in libstepup.so only what carries this mark is exported;
// everything else (the lib/ internals) is not reachable from outside.
#if defined(__GNUC__) || defined(__clang__)
#define STEPUP_EXPORT __attribute__((visibility("default")))
#else
#define STEPUP_EXPORT
#endif

#endif  // STEPUP_EXPORT_H_
