#!/usr/bin/env python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""Checks a shared libstepup.so: its SONAME carries the major version, and its
dynamic symbol table holds the public API only (namespace stepup, outside any
*_internal namespace, plus type information and vtables of stepup classes),
with the entry points a user calls. Prints the exported count.

Usage: check_exports.py path/to/libstepup.so
"""
import re
import subprocess
import sys

# Entry points that must be exported (demangled name up to the parameters).
REQUIRED = [
    "stepup_engine_create_from_file",
    "stepup_decide",
    "stepup::Engine::create",
    "stepup::Engine::decide",
    "stepup::Engine::reload",
    "stepup::Decision::to_json",
    "stepup::KeySet::from_jwks",
    "stepup::TokenVerifier::create",
    "stepup::TokenVerifier::verify",
    "stepup::SigningKey::generate",
    "stepup::JsonValue::parse_object",
    "stepup::parse_www_authenticate",
    "stepup::find_step_up",
    "stepup::StepUpRetryGuard::on_challenge",
    "stepup::token_error_name",
    "stepup::system_clock",
]
RTTI = ("typeinfo for stepup::", "typeinfo name for stepup::", "vtable for stepup::")


def qualified_name(symbol):
    """The symbol's name without parameters, return type or ABI tags."""
    depth = 0
    for index, char in enumerate(symbol):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        elif char in "([" and depth == 0:
            return symbol[:index]
    return symbol


def main():
    library = sys.argv[1]
    dynamic = subprocess.run(["readelf", "-d", library], capture_output=True, text=True,
                             check=True).stdout
    soname = re.search(r"Library soname: \[([^\]]+)\]", dynamic)
    problems = []
    if not soname or not re.fullmatch(r"libstepup\.so\.\d+", soname.group(1)):
        problems.append("SONAME is not libstepup.so.<major>: %s" % (soname and soname.group(1)))
    listing = subprocess.run(["nm", "-D", "--defined-only", "-C", library], capture_output=True,
                             text=True, check=True).stdout
    symbols = []
    for line in listing.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3:
            symbols.append(parts[2])
    names = set()
    for symbol in symbols:
        if symbol.startswith(RTTI):
            continue
        name = qualified_name(symbol)
        names.add(name)
        if re.fullmatch(r"stepup_[a-z_]+", name):
            continue  # The C API (include/stepup/stepup_c.h).
        if not name.startswith("stepup::") or "_internal::" in name:
            problems.append("exported but not public API: " + symbol)
    for required in REQUIRED:
        if required not in names:
            problems.append("public entry point not exported: " + required)
    print("%s: SONAME %s, %d exported symbols (%d distinct names)" %
          (library, soname and soname.group(1), len(symbols), len(names)))
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
