// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The JWS signature examples of RFC 7520 ("Examples of Protecting Content
// Using JSON Object Signing and Encryption"), §4.1 to §4.4, checked with the
// keys the RFC publishes in §3. These were produced by other implementations,
// so they pin stepup's parser, key loaders and verify routine to the standard
// rather than to stepup's own test signer.
//
// The payloads are plain text, not JSON claims, so these tests stop at
// parse_jws and verify_signature instead of going through TokenVerifier.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <cstddef>
#include <initializer_list>
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
#include "token/base64url.h"
#include "token/jws.h"
#include "token/key_set_access.h"
#include "token/openssl_util.h"
#include "token/signature.h"
#include "token/verification_key.h"

namespace stepup::token_internal {
namespace {

using ::testing::HasSubstr;

constexpr int kVectorFileMaxDepth = 16;

// One RFC 7520 §4 example and the §3 file holding its public key.
struct Example {
  const char* file;        // Under tests/vectors/rfc7520/.
  const char* public_key;  // The published key that verifies it.
  Algorithm algorithm;     // The example's "alg".
};

constexpr Example kRsaV15{"4_1.rsa_v15_signature.json", "3_3.rsa_public_key.json",
                          Algorithm::kRS256};
constexpr Example kRsaPss{"4_2.rsa-pss_signature.json", "3_3.rsa_public_key.json",
                          Algorithm::kPS384};
constexpr Example kEcdsa{"4_3.ecdsa_signature.json", "3_1.ec_public_key.json", Algorithm::kES512};
constexpr Example kHmac{"4_4.hmac-sha2_integrity_protection.json",
                        "3_5.symmetric_key_mac_computation.json", Algorithm::kHS256};
constexpr Example kAllExamples[] = {kRsaV15, kRsaPss, kEcdsa, kHmac};

std::string read_rfc7520(const char* file) {
  return stepup::testing::read_vector_file(std::string("rfc7520/") + file);
}

JsonValue parse_document(const std::string& text) {
  JsonValue document;
  const json_internal::JsonParseResult parsed =
      json_internal::parse_json_object(text, kVectorFileMaxDepth, document);
  EXPECT_EQ(parsed.error, json_internal::JsonError::kOk) << parsed.where;
  return document;
}

// The string at a path of member names, or "" (with a test failure).
std::string string_at(const JsonValue& document, std::initializer_list<std::string_view> path) {
  const JsonValue* value = &document;
  for (std::string_view name : path) {
    value = value->find(name);
    if (value == nullptr) {
      ADD_FAILURE() << "the vector file has no member \"" << name << "\"";
      return "";
    }
  }
  EXPECT_TRUE(value->is_string());
  return std::string(value->as_string());
}

// A JSON object of strings serialized back to text, for KeySet::from_jwk.
// Every RFC 7520 key member is a base64url, id or "sig" string, so no value
// needs escaping.
std::string object_as_json(const JsonValue& object) {
  std::string json = "{";
  for (const JsonMember& member : object.members()) {
    EXPECT_TRUE(member.value.is_string()) << member.name;
    if (json.size() > 1) json += ",";
    json += "\"" + member.name + "\":\"" + std::string(member.value.as_string()) + "\"";
  }
  return json + "}";
}

// Loads an example's published public key through the public JWK loader and
// checks its signature the way TokenVerifier does: parse, then verify the
// signing input with the key and the header's algorithm.
void expect_example_verifies(const Example& example) {
  SCOPED_TRACE(example.file);
  const absl::StatusOr<KeySet> keys = KeySet::from_jwk(read_rfc7520(example.public_key));
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 1u);
  const VerificationKey& key = *token_internal::KeySetAccess::data(*keys).keys[0];

  const JsonValue document = parse_document(read_rfc7520(example.file));
  const std::string compact = string_at(document, {"output", "compact"});
  ParsedJws parsed;
  ASSERT_EQ(parse_jws(compact, parsed), TokenError::kOk);

  EXPECT_EQ(parsed.header.algorithm, example.algorithm);
  EXPECT_EQ(algorithm_name(parsed.header.algorithm), string_at(document, {"input", "alg"}));
  ASSERT_TRUE(parsed.header.has_kid);
  EXPECT_EQ(parsed.header.kid, string_at(document, {"signing", "protected", "kid"}));
  EXPECT_EQ(parsed.header.kid, key.kid);  // The kid selects the published key.

  // The payload is the RFC's text, UTF-8 apostrophes included.
  EXPECT_EQ(std::string_view(parsed.payload).substr(0, parsed.payload_size),
            string_at(document, {"input", "payload"}));
  // What is signed and the signature are exactly the RFC's intermediate values.
  EXPECT_EQ(parsed.signing_input, string_at(document, {"signing", "sig-input"}));
  std::string published_signature;
  ASSERT_TRUE(decode_base64url(string_at(document, {"signing", "sig"}), published_signature));
  EXPECT_EQ(parsed.signature, published_signature);

  EXPECT_EQ(verify_signature(key, parsed.header.algorithm, parsed.signing_input, parsed.signature),
            TokenError::kOk);
}

TEST(Rfc7520, LoadsThePublishedPublicKeys) {
  // §3.1 (EC P-521), §3.3 (RSA) and §3.5 (HMAC), each with "use": "sig".
  const absl::StatusOr<KeySet> ec = KeySet::from_jwk(read_rfc7520("3_1.ec_public_key.json"));
  ASSERT_TRUE(ec.ok()) << ec.status();
  EXPECT_EQ(ec->describe()[0].type, KeyType::kEcP521);
  EXPECT_EQ(ec->describe()[0].kid, "bilbo.baggins@hobbiton.example");

  const absl::StatusOr<KeySet> rsa = KeySet::from_jwk(read_rfc7520("3_3.rsa_public_key.json"));
  ASSERT_TRUE(rsa.ok()) << rsa.status();
  EXPECT_EQ(rsa->describe()[0].type, KeyType::kRsa);
  EXPECT_EQ(rsa->describe()[0].kid, "bilbo.baggins@hobbiton.example");

  const absl::StatusOr<KeySet> hmac =
      KeySet::from_jwk(read_rfc7520("3_5.symmetric_key_mac_computation.json"));
  ASSERT_TRUE(hmac.ok()) << hmac.status();
  EXPECT_EQ(hmac->describe()[0].type, KeyType::kOctet);
  // The JWK says "alg": "HS256", which binds the key to HS256 alone.
  EXPECT_THAT(hmac->describe()[0].allowed, ::testing::ElementsAre(Algorithm::kHS256));
}

TEST(Rfc7520, VerifiesRsaV15SignatureWithPublishedKey) {
  expect_example_verifies(kRsaV15);
}

TEST(Rfc7520, VerifiesRsaPssSignatureWithPublishedKey) {
  expect_example_verifies(kRsaPss);
}

TEST(Rfc7520, VerifiesEcdsaP521SignatureWithPublishedKey) {
  expect_example_verifies(kEcdsa);
}

TEST(Rfc7520, VerifiesHmacSha256WithPublishedKey) {
  expect_example_verifies(kHmac);
}

TEST(Rfc7520, RejectsEverySingleBitFlipOfTheSignature) {
  // Flipping any one bit must break the signature: no bit of it is ignored,
  // including the top bits of the P-521 R and S (padded to 66 bytes each).
  for (const Example& example : kAllExamples) {
    SCOPED_TRACE(example.file);
    const absl::StatusOr<KeySet> keys = KeySet::from_jwk(read_rfc7520(example.public_key));
    ASSERT_TRUE(keys.ok()) << keys.status();
    const JsonValue document = parse_document(read_rfc7520(example.file));
    const std::string compact = string_at(document, {"output", "compact"});
    ParsedJws parsed;
    ASSERT_EQ(parse_jws(compact, parsed), TokenError::kOk);
    const VerificationKey& key = *token_internal::KeySetAccess::data(*keys).keys[0];
    ASSERT_EQ(verify_signature(key, example.algorithm, parsed.signing_input, parsed.signature),
              TokenError::kOk);

    int accepted = 0;
    for (std::size_t bit = 0; bit < 8 * parsed.signature.size(); ++bit) {
      std::string flipped = parsed.signature;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (0x80 >> (bit % 8)));
      const TokenError error =
          verify_signature(key, example.algorithm, parsed.signing_input, flipped);
      if (error == TokenError::kOk) ++accepted;
      EXPECT_EQ(error, TokenError::kSignatureInvalid) << "bit " << bit;
    }
    EXPECT_EQ(accepted, 0);
  }
}

TEST(Rfc7520, RejectsTheSignatureOverAnotherPayload) {
  // The signature covers the payload: one changed payload byte fails.
  for (const Example& example : kAllExamples) {
    SCOPED_TRACE(example.file);
    const absl::StatusOr<KeySet> keys = KeySet::from_jwk(read_rfc7520(example.public_key));
    ASSERT_TRUE(keys.ok()) << keys.status();
    const JsonValue document = parse_document(read_rfc7520(example.file));
    const std::string compact = string_at(document, {"output", "compact"});
    ParsedJws parsed;  // Points into `compact`.
    ASSERT_EQ(parse_jws(compact, parsed), TokenError::kOk);
    std::string other_input(parsed.signing_input);
    other_input.back() = other_input.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(verify_signature(*token_internal::KeySetAccess::data(*keys).keys[0],
                               example.algorithm, other_input, parsed.signature),
              TokenError::kSignatureInvalid);
  }
}

TEST(Rfc7520, RefusesTheExamplesPrivateSigningKeys) {
  // §4.1-§4.3 give the signer's private JWK (with "d", and "p", "q"... for
  // RSA). A verification key set must never hold private key material, so
  // loading it is refused rather than silently using its public half.
  for (const Example& example : {kRsaV15, kRsaPss, kEcdsa}) {
    SCOPED_TRACE(example.file);
    const JsonValue document = parse_document(read_rfc7520(example.file));
    const JsonValue* private_key = document.find("input");
    ASSERT_NE(private_key, nullptr);
    private_key = private_key->find("key");
    ASSERT_NE(private_key, nullptr);
    ASSERT_NE(private_key->find("d"), nullptr);
    const absl::StatusOr<KeySet> keys = KeySet::from_jwk(object_as_json(*private_key));
    ASSERT_FALSE(keys.ok());
    EXPECT_THAT(std::string(keys.status().message()), HasSubstr("private"));
  }
}

TEST(Rfc7520, HmacExampleKeyIsThePublishedSymmetricKey) {
  // §4.4's input key is a symmetric "oct" key: the secret is the key, there is
  // no private half to refuse, and it is the §3.5 key verbatim.
  const JsonValue document = parse_document(read_rfc7520(kHmac.file));
  const JsonValue* input = document.find("input");
  ASSERT_NE(input, nullptr);
  ASSERT_NE(input->find("key"), nullptr);
  const absl::StatusOr<KeySet> from_example = KeySet::from_jwk(object_as_json(*input->find("key")));
  ASSERT_TRUE(from_example.ok()) << from_example.status();
  const absl::StatusOr<KeySet> published = KeySet::from_jwk(read_rfc7520(kHmac.public_key));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(token_internal::KeySetAccess::data(*from_example).keys[0]->secret,
            token_internal::KeySetAccess::data(*published).keys[0]->secret);
  EXPECT_EQ(token_internal::KeySetAccess::data(*from_example).keys[0]->kid,
            token_internal::KeySetAccess::data(*published).keys[0]->kid);
}

// RSASSA-PKCS1-v1_5 and HMAC are deterministic, so the RFC marks §4.1 and
// §4.4 "reproducible": signing the published signing input with the published
// key must give the published signature byte for byte. Reproducing them with
// OpenSSL directly checks that the vector files are intact and that the
// signing input stepup verifies is exactly what the RFC's signer signed.

TEST(Rfc7520, RsaV15SignatureIsReproducibleFromThePrivateKey) {
  const JsonValue document = parse_document(read_rfc7520(kRsaV15.file));
  ASSERT_TRUE(document.find("reproducible") != nullptr && document.find("reproducible")->as_bool());
  const JsonValue& jwk = *document.find("input")->find("key");

  // Build the private key from the JWK members (RFC 7518 §6.3.2).
  const std::pair<const char*, const char*> members[] = {
      {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
      {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  ASSERT_TRUE(builder);
  std::vector<BignumPtr> numbers;
  for (const auto& [member, param] : members) {
    std::string bytes;
    ASSERT_TRUE(decode_base64url(string_at(jwk, {member}), bytes)) << member;
    numbers.emplace_back(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()), nullptr));
    ASSERT_TRUE(numbers.back());
    ASSERT_EQ(OSSL_PARAM_BLD_push_BN(builder.get(), param, numbers.back().get()), 1);
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  ASSERT_TRUE(params && context);
  ASSERT_EQ(EVP_PKEY_fromdata_init(context.get()), 1);
  ASSERT_EQ(EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_KEYPAIR, params.get()), 1);
  EvpPkeyPtr private_key(raw);

  const std::string signing_input = string_at(document, {"signing", "sig-input"});
  EvpMdCtxPtr sign(EVP_MD_CTX_new());
  EVP_PKEY_CTX* sign_context = nullptr;
  ASSERT_EQ(EVP_DigestSignInit(sign.get(), &sign_context, EVP_sha256(), nullptr, private_key.get()),
            1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(sign_context, RSA_PKCS1_PADDING), 1);
  std::size_t size = 0;
  ASSERT_EQ(EVP_DigestSign(sign.get(), nullptr, &size,
                           reinterpret_cast<const unsigned char*>(signing_input.data()),
                           signing_input.size()),
            1);
  std::string signature(size, '\0');
  ASSERT_EQ(EVP_DigestSign(sign.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                           reinterpret_cast<const unsigned char*>(signing_input.data()),
                           signing_input.size()),
            1);
  signature.resize(size);
  EXPECT_EQ(encode_base64url(signature), string_at(document, {"signing", "sig"}));
}

TEST(Rfc7520, HmacSignatureIsReproducibleFromTheSecret) {
  const JsonValue document = parse_document(read_rfc7520(kHmac.file));
  ASSERT_TRUE(document.find("reproducible") != nullptr && document.find("reproducible")->as_bool());
  std::string secret;
  ASSERT_TRUE(decode_base64url(string_at(document, {"input", "key", "k"}), secret));
  const std::string signing_input = string_at(document, {"signing", "sig-input"});
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
                 mac, &mac_size),
            nullptr);
  EXPECT_EQ(encode_base64url(std::string(reinterpret_cast<const char*>(mac), mac_size)),
            string_at(document, {"signing", "sig"}));
}

}  // namespace
}  // namespace stepup::token_internal
