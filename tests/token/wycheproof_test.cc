// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Runs Project Wycheproof's signature and MAC vectors through the one verify
// routine every token goes through (token_internal::verify_signature), with
// keys built by the same loaders the JWKS and PEM paths use. Each vector file
// is one parameterized test, so each file is one ctest test.
//
// Verdicts:
//  - "valid" vectors must verify (TokenError::kOk).
//  - "invalid" vectors must be refused (any code but kOk).
//  - "acceptable" vectors must be refused too. Wycheproof marks a vector
//    acceptable when a verifier may go either way; in these files the only
//    such case is an RSASSA-PKCS1-v1_5 signature whose DigestInfo omits the
//    ASN.1 NULL parameters. RFC 8017 §8.2.2 has verifiers compare against the
//    one DER encoding they construct themselves, so refusing it is allowed,
//    and a strict JWT verifier should accept exactly one encoding per
//    signature: stepup refuses them.
//  - Vectors that cannot occur in a JWS are "not mapped": counted, never run.
//    The only such case is an HMAC group whose tag is truncated below the hash
//    size, since JWS HS256/384/512 always use the full MAC (RFC 7518 §3.2).
//
// Every run vector is counted, and the counts must add up to the file's
// numberOfTests minus the not mapped ones, so a vector skipped by mistake
// fails the test.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "json/strict_json.h"
#include "stepup/algorithm.h"
#include "stepup/json_value.h"
#include "stepup/key_set.h"
#include "stepup/token_error.h"
#include "support/files.h"
#include "token/signature.h"
#include "token/verification_key.h"

namespace stepup::token_internal {
namespace {

// Far deeper than any Wycheproof file nests (about 6 levels).
constexpr int kVectorFileMaxDepth = 64;

// One Wycheproof file and the JWS algorithm its vectors map onto. The other
// members are what the file must declare for that mapping to hold; a file
// that says otherwise fails rather than being run under the wrong algorithm.
struct VectorFile {
  const char* stem;                  // The file is wycheproof/<stem>_test.json.
  Algorithm algorithm;               // The JWS algorithm the vectors are run as.
  const char* wycheproof_algorithm;  // The file's "algorithm".
  const char* group_type;            // Every group's "type".
  const char* sha;                   // Every group's "sha"; nullptr where absent.
  int hash_bytes;                    // Digest size (also the PSS salt size); 0 for EdDSA.
};

// Pretty names for ctest and --gtest_filter, such as
// Wycheproof/WycheproofFile.VectorsMatchExpectedVerdicts/ed25519.
void PrintTo(const VectorFile& file, std::ostream* os) {
  *os << file.stem;
}

constexpr VectorFile kVectorFiles[] = {
    {"ecdsa_secp256r1_sha256_p1363", Algorithm::kES256, "ECDSA", "EcdsaP1363Verify", "SHA-256", 32},
    {"ecdsa_secp384r1_sha384_p1363", Algorithm::kES384, "ECDSA", "EcdsaP1363Verify", "SHA-384", 48},
    {"ecdsa_secp521r1_sha512_p1363", Algorithm::kES512, "ECDSA", "EcdsaP1363Verify", "SHA-512", 64},
    {"ed25519", Algorithm::kEdDSA, "EDDSA", "EddsaVerify", nullptr, 0},
    {"hmac_sha256", Algorithm::kHS256, "HMACSHA256", "MacTest", nullptr, 32},
    {"hmac_sha384", Algorithm::kHS384, "HMACSHA384", "MacTest", nullptr, 48},
    {"hmac_sha512", Algorithm::kHS512, "HMACSHA512", "MacTest", nullptr, 64},
    {"rsa_pss_2048_sha256_mgf1_32", Algorithm::kPS256, "RSASSA-PSS", "RsassaPssVerify", "SHA-256",
     32},
    {"rsa_pss_2048_sha384_mgf1_48", Algorithm::kPS384, "RSASSA-PSS", "RsassaPssVerify", "SHA-384",
     48},
    {"rsa_pss_4096_sha512_mgf1_64", Algorithm::kPS512, "RSASSA-PSS", "RsassaPssVerify", "SHA-512",
     64},
    {"rsa_signature_2048_sha256", Algorithm::kRS256, "RSASSA-PKCS1-v1_5", "RsassaPkcs1Verify",
     "SHA-256", 32},
    {"rsa_signature_2048_sha384", Algorithm::kRS384, "RSASSA-PKCS1-v1_5", "RsassaPkcs1Verify",
     "SHA-384", 48},
    {"rsa_signature_2048_sha512", Algorithm::kRS512, "RSASSA-PKCS1-v1_5", "RsassaPkcs1Verify",
     "SHA-512", 64},
    {"rsa_signature_3072_sha256", Algorithm::kRS256, "RSASSA-PKCS1-v1_5", "RsassaPkcs1Verify",
     "SHA-256", 32},
    {"rsa_signature_4096_sha256", Algorithm::kRS256, "RSASSA-PKCS1-v1_5", "RsassaPkcs1Verify",
     "SHA-256", 32},
};

std::string file_name(const VectorFile& file) {
  return std::string(file.stem) + "_test.json";
}

bool is_hmac(const VectorFile& file) {
  return file.algorithm == Algorithm::kHS256 || file.algorithm == Algorithm::kHS384 ||
         file.algorithm == Algorithm::kHS512;
}

// What running one file produced. Mismatches are kept as messages rather than
// reported at once, so that each test decides what to report.
struct FileResult {
  int64_t number_of_tests = -1;  // As the file declares it.
  int64_t vectors_seen = 0;      // Test entries actually present in the file.
  int valid_accepted = 0;
  int invalid_rejected = 0;
  int acceptable_rejected = 0;
  int not_mapped = 0;
  int mismatched = 0;                 // Run, with the wrong verdict.
  int not_run = 0;                    // Mapped but never verified (broken vector or refused key).
  std::vector<std::string> failures;  // One message per problem.
  std::vector<std::string> not_mapped_reasons;  // One per not mapped group.

  int run() const { return valid_accepted + invalid_rejected + acceptable_rejected + mismatched; }
};

std::optional<std::string> hex_decode(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high << 4 | low));
  }
  return out;
}

// The string member `name`, or nullopt when absent or not a string.
std::optional<std::string_view> string_member(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->as_string();
}

std::optional<int64_t> integer_member(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  if (value == nullptr || !value->is_integer()) return std::nullopt;
  return value->as_integer();
}

// "tcId 8 (comment "Missing NULL", flags [MissingNull])" for failure messages.
std::string describe_vector(const JsonValue& vector) {
  std::ostringstream out;
  out << "tcId " << integer_member(vector, "tcId").value_or(-1) << " (comment \""
      << string_member(vector, "comment").value_or("") << "\", flags [";
  if (const JsonValue* flags = vector.find("flags"); flags != nullptr) {
    for (std::size_t i = 0; i < flags->items().size(); ++i) {
      out << (i == 0 ? "" : ", ") << flags->items()[i].as_string();
    }
  }
  out << "])";
  return out.str();
}

// The keys of one asymmetric group, loaded every way the group offers.
struct GroupKeys {
  std::optional<VerificationKey> jwk;  // From "publicKeyJwk" or "keyJwk".
  std::optional<VerificationKey> pem;  // From "publicKeyPem".
};

// Loads the group's JWK with key_from_jwk (the JWKS path) and its PEM with
// key_from_pem (the PEM path). A key that is offered but refused is a failure:
// these are ordinary public keys a deployment could publish.
GroupKeys load_group_keys(const JsonValue& group, const std::string& where, FileResult& result) {
  GroupKeys keys;
  const JsonValue* jwk = group.find("publicKeyJwk");
  if (jwk == nullptr) jwk = group.find("keyJwk");  // The rsa_signature_* files' name.
  if (jwk != nullptr) {
    absl::StatusOr<VerificationKey> key = key_from_jwk(*jwk);
    if (key.ok()) {
      keys.jwk = std::move(*key);
    } else {
      result.failures.push_back(
          where + ": key_from_jwk refused the group's JWK: " + std::string(key.status().message()));
    }
  }
  if (std::optional<std::string_view> pem = string_member(group, "publicKeyPem")) {
    absl::StatusOr<VerificationKey> key = key_from_pem(*pem, PemKeyOptions{});
    if (key.ok()) {
      keys.pem = std::move(*key);
    } else {
      result.failures.push_back(
          where + ": key_from_pem refused the group's PEM: " + std::string(key.status().message()));
    }
  }
  if (jwk == nullptr && !group.find("publicKeyPem")) {
    result.failures.push_back(where + ": the group has neither a JWK nor a PEM key");
  }
  return keys;
}

// Why a group cannot occur in a JWS with `file.algorithm`, or nullopt when it
// can. A group that declares parameters contradicting the file's mapping is a
// failure, not "not mapped": it means the table above is wrong.
std::optional<std::string> unmapped_reason(const VectorFile& file, const JsonValue& group,
                                           const std::string& where, FileResult& result) {
  if (string_member(group, "type") != file.group_type) {
    result.failures.push_back(where + ": group type is not " + file.group_type);
  }
  if (file.sha != nullptr && string_member(group, "sha") != file.sha) {
    result.failures.push_back(where + ": group sha is not " + file.sha);
  }
  if (string_member(group, "type") == "RsassaPssVerify") {
    // RFC 7518 §3.5: MGF1 with the signature's hash, salt as long as the hash.
    if (string_member(group, "mgf") != "MGF1" || string_member(group, "mgfSha") != file.sha ||
        integer_member(group, "sLen") != file.hash_bytes) {
      result.failures.push_back(where + ": PSS parameters are not those of " +
                                std::string(algorithm_name(file.algorithm)));
    }
  }
  if (is_hmac(file)) {
    const int64_t tag_bits = integer_member(group, "tagSize").value_or(-1);
    if (tag_bits != 8 * file.hash_bytes) {
      return "tagSize " + std::to_string(tag_bits) + " bits is a truncated MAC; JWS " +
             std::string(algorithm_name(file.algorithm)) + " always uses the full " +
             std::to_string(8 * file.hash_bytes) + "-bit MAC (RFC 7518 §3.2)";
    }
  }
  return std::nullopt;
}

// Checks one verdict against the vector's expected result and counts it.
void judge(std::string_view expected, TokenError actual, const std::string& what,
           FileResult& result) {
  const bool accepted = actual == TokenError::kOk;
  // A key bound to another algorithm refuses before any cryptography runs, so
  // such a refusal says nothing about the vector: it means the mapping is wrong.
  if (actual == TokenError::kKeyAlgorithmMismatch) {
    ++result.mismatched;
    result.failures.push_back(what + ": refused with KeyAlgorithmMismatch, so the signature " +
                              "was never checked");
    return;
  }
  if (expected == "valid" && accepted) {
    ++result.valid_accepted;
  } else if (expected == "invalid" && !accepted) {
    ++result.invalid_rejected;
  } else if (expected == "acceptable" && !accepted) {
    ++result.acceptable_rejected;  // Strict: see the comment at the top of the file.
  } else {
    ++result.mismatched;
    result.failures.push_back(what + ": expected " + std::string(expected) +
                              (expected == "valid" ? " (must verify)" : " (must be refused)") +
                              ", got " + std::string(token_error_name(actual)));
  }
}

FileResult run_vector_file(const VectorFile& file) {
  FileResult result;
  const std::string text = stepup::testing::read_vector_file("wycheproof/" + file_name(file));
  JsonValue document;
  const json_internal::JsonParseResult parsed =
      json_internal::parse_json_object(text, kVectorFileMaxDepth, document);
  if (parsed.error != json_internal::JsonError::kOk) {
    result.failures.push_back("the file is not a strict JSON object (at \"" + parsed.where + "\")");
    return result;
  }
  result.number_of_tests = integer_member(document, "numberOfTests").value_or(-1);
  if (string_member(document, "algorithm") != file.wycheproof_algorithm) {
    result.failures.push_back(std::string("the file's algorithm is not ") +
                              file.wycheproof_algorithm);
  }
  const JsonValue* groups = document.find("testGroups");
  if (groups == nullptr || !groups->is_array()) {
    result.failures.push_back("the file has no testGroups list");
    return result;
  }

  for (std::size_t g = 0; g < groups->items().size(); ++g) {
    const JsonValue& group = groups->items()[g];
    const std::string where = "testGroups[" + std::to_string(g) + "]";
    const JsonValue* vectors = group.find("tests");
    if (vectors == nullptr || !vectors->is_array()) {
      result.failures.push_back(where + ": no tests list");
      continue;
    }
    result.vectors_seen += static_cast<int64_t>(vectors->items().size());

    if (std::optional<std::string> reason = unmapped_reason(file, group, where, result)) {
      result.not_mapped += static_cast<int>(vectors->items().size());
      result.not_mapped_reasons.push_back(where + " (" + std::to_string(vectors->items().size()) +
                                          " vectors): " + *reason);
      continue;
    }

    GroupKeys keys;
    if (!is_hmac(file)) keys = load_group_keys(group, where, result);

    for (const JsonValue& vector : vectors->items()) {
      const std::string what = where + " " + describe_vector(vector);
      const std::optional<std::string_view> expected = string_member(vector, "result");
      const std::optional<std::string> msg = hex_decode(string_member(vector, "msg").value_or("?"));
      // MAC files name the MAC "tag"; signature files name it "sig".
      const std::optional<std::string> sig =
          hex_decode(string_member(vector, is_hmac(file) ? "tag" : "sig").value_or("?"));
      if (!expected || !msg || !sig) {
        ++result.not_run;
        result.failures.push_back(what + ": missing or malformed result, msg or signature");
        continue;
      }

      if (is_hmac(file)) {
        // Wycheproof HMAC keys are per vector, and some are shorter than the
        // hash (e.g. 128-bit keys for HMAC-SHA256). The JWK loader refuses such
        // secrets (RFC 7518 §3.2 minimum key size), so they are built with
        // hmac_key_for_vectors, which skips only that length rule: the MAC
        // computation and comparison under test are the ones tokens use.
        const std::optional<std::string> secret =
            hex_decode(string_member(vector, "key").value_or("?"));
        if (!secret) {
          ++result.not_run;
          result.failures.push_back(what + ": missing or malformed key");
          continue;
        }
        const VerificationKey key = hmac_key_for_vectors(*secret, file.algorithm);
        judge(*expected, verify_signature(key, file.algorithm, *msg, *sig), what, result);
        continue;
      }

      if (!keys.jwk && !keys.pem) {
        // The group's key was refused (reported above), so nothing can be run.
        ++result.not_run;
        if (*expected == "valid") {
          result.failures.push_back(what + ": a valid vector cannot verify: its key was refused");
        }
        continue;
      }
      const VerificationKey& primary = keys.jwk ? *keys.jwk : *keys.pem;
      const TokenError verdict = verify_signature(primary, file.algorithm, *msg, *sig);
      if (keys.jwk && keys.pem) {
        // The same key through the PEM path must reach the same verdict.
        const TokenError pem_verdict = verify_signature(*keys.pem, file.algorithm, *msg, *sig);
        if (pem_verdict != verdict) {
          result.failures.push_back(
              what + ": the JWK key gives " + std::string(token_error_name(verdict)) +
              " but the PEM key gives " + std::string(token_error_name(pem_verdict)));
        }
      }
      judge(*expected, verdict, what, result);
    }
  }
  return result;
}

class WycheproofFile : public ::testing::TestWithParam<VectorFile> {};

TEST_P(WycheproofFile, VectorsMatchExpectedVerdicts) {
  const VectorFile& file = GetParam();
  const FileResult result = run_vector_file(file);
  for (const std::string& failure : result.failures)
    ADD_FAILURE() << failure;
  for (std::size_t i = 0; i < result.not_mapped_reasons.size(); ++i) {
    // Kept out of stdout (one summary line per file) but in the XML report.
    RecordProperty("not_mapped_" + std::to_string(i), result.not_mapped_reasons[i]);
  }

  std::cout << "wycheproof " << file_name(file) << ": " << result.valid_accepted
            << " valid accepted, " << result.invalid_rejected << " invalid rejected, "
            << result.acceptable_rejected << " acceptable rejected, " << result.not_mapped
            << " not mapped" << std::endl;

  // Every vector is accounted for: a vector skipped by mistake, mismatched or
  // not run makes these differ.
  EXPECT_EQ(result.vectors_seen, result.number_of_tests) << "numberOfTests disagrees with the file";
  EXPECT_EQ(result.valid_accepted + result.invalid_rejected + result.acceptable_rejected,
            result.number_of_tests - result.not_mapped)
      << result.mismatched << " mismatched, " << result.not_run << " not run";
  EXPECT_GT(result.run(), 0);
}

INSTANTIATE_TEST_SUITE_P(Wycheproof, WycheproofFile, ::testing::ValuesIn(kVectorFiles),
                         [](const ::testing::TestParamInfo<VectorFile>& file_info) {
                           return std::string(file_info.param.stem);
                         });

// Guards against a mapping that quietly runs nothing: every file must put at
// least one vector through verify_signature. (Mismatches are reported by the
// test above; here only the count matters.)
TEST(WycheproofCoverage, EveryFileRunsSomeVectors) {
  for (const VectorFile& file : kVectorFiles) {
    const FileResult result = run_vector_file(file);
    EXPECT_GT(result.run(), 0) << file_name(file) << " ran no vectors";
    EXPECT_GT(result.valid_accepted, 0) << file_name(file) << " verified no valid vector";
    EXPECT_GT(result.invalid_rejected, 0) << file_name(file) << " refused no invalid vector";
  }
}

}  // namespace
}  // namespace stepup::token_internal
