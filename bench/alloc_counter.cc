// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Replaces the global allocation functions of the benchmark binary so that
// each benchmark can report its heap allocations per call. The count is per
// thread, so counting never makes threads contend. OpenSSL's allocations
// are counted too (install_openssl_counter); other C libraries' malloc calls
// (libjwt, jansson) are not seen.
#include "alloc_counter.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <new>

namespace {
thread_local uint64_t allocations = 0;

void* allocate(std::size_t size) {
  ++allocations;
  if (size == 0) size = 1;
  if (void* p = std::malloc(size)) return p;
  throw std::bad_alloc();
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  ++allocations;
  const std::size_t align = static_cast<std::size_t>(alignment);
  // aligned_alloc needs a size that is a multiple of the alignment.
  const std::size_t rounded = (size + align - 1) / align * align;
  if (void* p = std::aligned_alloc(align, rounded == 0 ? align : rounded)) return p;
  throw std::bad_alloc();
}
}  // namespace

namespace stepup::bench {
uint64_t thread_allocations() {
  return allocations;
}

bool install_openssl_counter() {
  return CRYPTO_set_mem_functions(
             [](std::size_t size, const char*, int) {
               ++allocations;
               return std::malloc(size);
             },
             [](void* p, std::size_t size, const char*, int) {
               ++allocations;
               return std::realloc(p, size);
             },
             [](void* p, const char*, int) { std::free(p); }) == 1;
}
}  // namespace stepup::bench

void* operator new(std::size_t size) {
  return allocate(size);
}
void* operator new[](std::size_t size) {
  return allocate(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_aligned(size, alignment);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
