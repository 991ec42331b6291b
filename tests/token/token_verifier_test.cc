// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Validation end to end, and the RFC 8725 attack list, one test per attack.
#include "stepup/token_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>

#include "support/token_fixture.h"
#include "token/base64url.h"

namespace stepup {
namespace {

using testing::base64url;
using testing::compact;
using ::testing::HasSubstr;
using testing::kTestNow;
using testing::standard_claims;
using testing::standard_header;
using testing::TestKey;

class TokenVerifierTest : public ::testing::Test {
 protected:
  TokenVerifierTest()
      : verifier_(testing::make_verifier(testing::standard_validator(testing::all_shared_keys()))) {
  }

  TokenError verify(std::string_view token) const {
    return verifier_.verify_at(token, kTestNow).error;
  }

  // Signs arbitrary header and claims with the shared key of `algorithm`.
  static std::string mint(Algorithm algorithm, std::string_view header, std::string_view claims) {
    return TestKey::shared(algorithm).mint(header, claims);
  }

  TokenVerifier verifier_;
};

TEST_F(TokenVerifierTest, AcceptsAValidTokenForEveryAlgorithm) {
  for (Algorithm algorithm : testing::all_algorithms()) {
    const TokenResult result = verifier_.verify_at(testing::valid_token(algorithm), kTestNow);
    ASSERT_TRUE(result.ok()) << algorithm_name(algorithm) << ": " << token_error_name(result.error);
    EXPECT_EQ(result.validator, "test-as");
    EXPECT_EQ(result.claims.algorithm(), algorithm);
    EXPECT_EQ(result.claims.key_id(), TestKey::shared(algorithm).kid());
    EXPECT_EQ(result.claims.issuer(), testing::kTestIssuer);
    EXPECT_EQ(result.claims.subject(), "alice");
    EXPECT_EQ(result.claims.auth_time(), kTestNow - 60);
    EXPECT_EQ(result.claims.expires_at(), kTestNow + 600);
    EXPECT_EQ(result.claims.find("acr")->as_string(), "urn:example:mfa");
  }
}

TEST_F(TokenVerifierTest, UsesTheInjectedClock) {
  ManualClock clock(kTestNow);
  TokenVerifierOptions options;
  options.validators.push_back(testing::standard_validator(testing::all_shared_keys()));
  options.clock = &clock;
  const auto verifier = TokenVerifier::create(std::move(options));
  ASSERT_TRUE(verifier.ok());
  const std::string token = testing::valid_token(Algorithm::kES256);
  EXPECT_EQ(verifier->verify(token).error, TokenError::kOk);
  clock.advance(600 + 60);
  EXPECT_EQ(verifier->verify(token).error, TokenError::kExpired);
}

// RFC 8725 §2.1 / §3.1: "none" is never accepted, whatever its spelling.
TEST_F(TokenVerifierTest, RejectsAlgNone) {
  const std::string claims = standard_claims();
  EXPECT_EQ(verify(base64url(R"({"alg":"none","typ":"at+jwt"})") + "." + base64url(claims) + "."),
            TokenError::kAlgNone);
  EXPECT_EQ(verify(compact(R"({"alg":"none","typ":"at+jwt"})", claims, "x")), TokenError::kAlgNone);
  EXPECT_EQ(verify(compact(R"({"alg":"NONE","typ":"at+jwt"})", claims, "x")), TokenError::kAlgNone);
  EXPECT_EQ(verify(compact(R"({"alg":"nOnE","typ":"at+jwt"})", claims, "x")), TokenError::kAlgNone);
}

// RFC 8725 §2.1: an RSA public key used as an HMAC secret. The allow-list
// admits both algorithms here, so only the key's type binding stops it.
TEST_F(TokenVerifierTest, RejectsHs256SignedWithTheRsaPublicKey) {
  const TestKey& rsa = TestKey::shared(Algorithm::kRS256);
  // The issuer also has a genuine HMAC key, so HS256 is a configured choice.
  const auto keys = KeySet::from_jwks("{\"keys\":[" + rsa.public_jwk(true, false) + "," +
                                      TestKey::shared(Algorithm::kHS256).public_jwk() + "]}");
  ASSERT_TRUE(keys.ok()) << keys.status();
  const TokenVerifier verifier = testing::make_verifier(
      testing::standard_validator(*keys, {Algorithm::kRS256, Algorithm::kHS256}));
  const std::string header = R"({"alg":"HS256","kid":"RS256-key","typ":"at+jwt"})";
  const std::string signing_input = base64url(header) + "." + base64url(standard_claims());
  for (const std::string& secret : {rsa.public_pem(), rsa.public_jwk(true, false)}) {
    const TestKey forger = TestKey::hmac_with_secret(Algorithm::kHS256, secret);
    const std::string token = signing_input + "." + base64url(forger.sign(signing_input));
    EXPECT_EQ(verifier.verify_at(token, kTestNow).error, TokenError::kKeyAlgorithmMismatch);
  }
  // Without a kid, only the genuine HMAC key is tried, and it does not match.
  const std::string no_kid = R"({"alg":"HS256","typ":"at+jwt"})";
  const TestKey forger = TestKey::hmac_with_secret(Algorithm::kHS256, rsa.public_pem());
  EXPECT_EQ(verifier.verify_at(forger.mint(no_kid, standard_claims()), kTestNow).error,
            TokenError::kSignatureInvalid);
}

TEST_F(TokenVerifierTest, RejectsAlgorithmOutsideTheAllowList) {
  const TokenVerifier rs_only = testing::make_verifier(
      testing::standard_validator(testing::all_shared_keys(), {Algorithm::kRS256}));
  EXPECT_EQ(rs_only.verify_at(testing::valid_token(Algorithm::kRS256), kTestNow).error,
            TokenError::kOk);
  EXPECT_EQ(rs_only.verify_at(testing::valid_token(Algorithm::kHS256), kTestNow).error,
            TokenError::kAlgNotAllowed);
  EXPECT_EQ(rs_only.verify_at(testing::valid_token(Algorithm::kPS256), kTestNow).error,
            TokenError::kAlgNotAllowed);
}

TEST_F(TokenVerifierTest, RejectsUnknownOrMissingAlg) {
  EXPECT_EQ(verify(compact(R"({"alg":"RS1","typ":"at+jwt"})", standard_claims(), "x")),
            TokenError::kAlgUnknown);
  EXPECT_EQ(verify(compact(R"({"alg":"rs256","typ":"at+jwt"})", standard_claims(), "x")),
            TokenError::kAlgUnknown);
  EXPECT_EQ(verify(compact(R"({"typ":"at+jwt"})", standard_claims(), "x")),
            TokenError::kAlgMissing);
  EXPECT_EQ(verify(compact(R"({"alg":256})", standard_claims(), "x")), TokenError::kAlgMissing);
}

TEST_F(TokenVerifierTest, RejectsUnknownKid) {
  const std::string header = R"({"alg":"ES256","kid":"no-such-key","typ":"at+jwt"})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, header, standard_claims())), TokenError::kKeyNotFound);
}

TEST_F(TokenVerifierTest, RejectsRightKidWithWrongKey) {
  const TestKey other = TestKey::generate(Algorithm::kES256, "ES256-key");
  EXPECT_EQ(verify(other.mint(standard_header(Algorithm::kES256), standard_claims())),
            TokenError::kSignatureInvalid);
  const TestKey other_hmac = TestKey::generate(Algorithm::kHS256, "HS256-key");
  EXPECT_EQ(verify(other_hmac.mint(standard_header(Algorithm::kHS256), standard_claims())),
            TokenError::kSignatureInvalid);
}

TEST_F(TokenVerifierTest, KidOfAKeyBoundToAnotherAlgIsAMismatch) {
  // The ES256 key's kid with an ES384 header: never tried with ES384.
  const std::string header = R"({"alg":"ES384","kid":"ES256-key","typ":"at+jwt"})";
  EXPECT_EQ(verify(mint(Algorithm::kES384, header, standard_claims())),
            TokenError::kKeyAlgorithmMismatch);
  // An RS256-bound key refuses a PS256 token even though both are RSA.
  const std::string ps = R"({"alg":"PS256","kid":"RS256-key","typ":"at+jwt"})";
  const std::string input = base64url(ps) + "." + base64url(standard_claims());
  const std::string token =
      input + "." + base64url(TestKey::shared(Algorithm::kRS256).sign_as(Algorithm::kPS256, input));
  EXPECT_EQ(verify(token), TokenError::kKeyAlgorithmMismatch);
}

TEST_F(TokenVerifierTest, TokenWithoutKidTriesOnlyKeysBoundToItsAlg) {
  const std::string header = R"({"alg":"EdDSA","typ":"at+jwt"})";
  EXPECT_EQ(verify(mint(Algorithm::kEdDSA, header, standard_claims())), TokenError::kOk);
  const TestKey stranger = TestKey::generate(Algorithm::kEdDSA);
  EXPECT_EQ(verify(stranger.mint(header, standard_claims())), TokenError::kSignatureInvalid);
}

TEST_F(TokenVerifierTest, RejectsDuplicateClaims) {
  const std::string claims = standard_claims(R"("sub":"mallory")");
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256), claims)),
            TokenError::kPayloadDuplicateMember);
  const std::string nested = standard_claims(R"("cnf":{"jkt":"a","jkt":"b"})");
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256), nested)),
            TokenError::kPayloadDuplicateMember);
}

TEST_F(TokenVerifierTest, RejectsDuplicateHeaderMembers) {
  const std::string header = R"({"alg":"HS256","kid":"HS256-key","typ":"at+jwt","alg":"ES256"})";
  EXPECT_EQ(verify(mint(Algorithm::kHS256, header, standard_claims())),
            TokenError::kHeaderDuplicateMember);
}

TEST_F(TokenVerifierTest, RejectsNonCanonicalBase64Url) {
  const std::string token = testing::valid_token(Algorithm::kES256);
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  // Padding, standard alphabet, whitespace, and non-zero unused bits.
  EXPECT_EQ(verify(token.substr(0, dot1) + "=" + token.substr(dot1)),
            TokenError::kHeaderBase64Invalid);
  EXPECT_EQ(verify(token.substr(0, dot2) + "==" + token.substr(dot2)),
            TokenError::kPayloadBase64Invalid);
  EXPECT_EQ(verify(token + "="), TokenError::kSignatureBase64Invalid);
  std::string plus = token;
  plus[dot2 + 5] = '+';
  EXPECT_EQ(verify(plus), TokenError::kSignatureBase64Invalid);
  EXPECT_EQ(verify(token.substr(0, dot1 + 3) + " " + token.substr(dot1 + 3)),
            TokenError::kPayloadBase64Invalid);
  // An ES256 signature is 64 bytes: 86 characters, the last carrying 4 unused
  // bits. Setting one of them keeps the bytes but changes the spelling.
  std::string unused_bits = token;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t last = alphabet.find(token.back());
  unused_bits.back() = alphabet[last | 1];
  ASSERT_NE(unused_bits, token);
  EXPECT_EQ(verify(unused_bits), TokenError::kSignatureBase64Invalid);
}

TEST_F(TokenVerifierTest, RejectsDerEcdsaSignature) {
  for (Algorithm algorithm : {Algorithm::kES256, Algorithm::kES384, Algorithm::kES512}) {
    const std::string input =
        base64url(standard_header(algorithm)) + "." + base64url(standard_claims());
    const std::string token = input + "." + base64url(TestKey::shared(algorithm).sign_der(input));
    EXPECT_EQ(verify(token), TokenError::kSignatureLengthInvalid) << algorithm_name(algorithm);
  }
}

TEST_F(TokenVerifierTest, RejectsPsychicEcdsaSignatureWithZeroRAndS) {
  const std::string input =
      base64url(standard_header(Algorithm::kES256)) + "." + base64url(standard_claims());
  EXPECT_EQ(verify(input + "." + base64url(std::string(64, '\0'))), TokenError::kSignatureInvalid);
  const std::string real = TestKey::shared(Algorithm::kES256).sign(input);
  EXPECT_EQ(verify(input + "." + base64url(std::string(32, '\0') + real.substr(32))),
            TokenError::kSignatureInvalid);
  EXPECT_EQ(verify(input + "." + base64url(real.substr(0, 32) + std::string(32, '\0'))),
            TokenError::kSignatureInvalid);
}

TEST_F(TokenVerifierTest, RejectsJweShapes) {
  EXPECT_EQ(verify("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"),
            TokenError::kJweNotSupported);
  const std::string header = R"({"alg":"ES256","enc":"A256GCM","kid":"ES256-key","typ":"at+jwt"})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, header, standard_claims())),
            TokenError::kJweNotSupported);
}

TEST_F(TokenVerifierTest, RejectsWrongSegmentCounts) {
  EXPECT_EQ(verify("abc"), TokenError::kMalformedCompact);
  EXPECT_EQ(verify("abc.def"), TokenError::kMalformedCompact);
  EXPECT_EQ(verify("a.b.c.d"), TokenError::kMalformedCompact);
  EXPECT_EQ(verify("a.b.c.d.e.f"), TokenError::kMalformedCompact);
  EXPECT_EQ(verify(".."), TokenError::kMalformedCompact);
  EXPECT_EQ(verify(".e30.x"), TokenError::kMalformedCompact);
  EXPECT_EQ(verify("e30..x"), TokenError::kMalformedCompact);
  // A real algorithm with an empty signature fails on the signature's length.
  const std::string unsigned_es256 =
      base64url(standard_header(Algorithm::kES256)) + "." + base64url(standard_claims()) + ".";
  EXPECT_EQ(verify(unsigned_es256), TokenError::kSignatureLengthInvalid);
  EXPECT_EQ(verify(""), TokenError::kMalformedCompact);
}

TEST_F(TokenVerifierTest, RejectsExpiredToken) {
  const std::string claims = R"({"iss":"https://as.example.com","aud":"https://api.example.com",)"
                             R"("exp":1799999900})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256), claims)),
            TokenError::kExpired);
}

TEST_F(TokenVerifierTest, RejectsTokenNotYetValid) {
  const std::string claims = standard_claims(R"("nbf":1800000100)");
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256), claims)),
            TokenError::kNotYetValid);
}

TEST_F(TokenVerifierTest, RejectsWrongIssuer) {
  const std::string claims = R"({"iss":"https://evil.example.com","aud":"https://api.example.com",)"
                             R"("exp":1800000600})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256), claims)),
            TokenError::kIssuerUnknown);
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256),
                        R"({"aud":"https://api.example.com","exp":1800000600})")),
            TokenError::kIssuerMissing);
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256),
                        R"({"iss":["https://as.example.com"],"exp":1800000600})")),
            TokenError::kIssuerInvalid);
}

TEST_F(TokenVerifierTest, RejectsWrongAudience) {
  const std::string claims = R"({"iss":"https://as.example.com","aud":"https://other.example.com",)"
                             R"("exp":1800000600})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, standard_header(Algorithm::kES256), claims)),
            TokenError::kAudienceMismatch);
}

TEST_F(TokenVerifierTest, RejectsWrongOrMissingTyp) {
  for (const char* header :
       {R"({"alg":"ES256","kid":"ES256-key","typ":"JWT"})", R"({"alg":"ES256","kid":"ES256-key"})",
        R"({"alg":"ES256","kid":"ES256-key","typ":"at+jwt;q=1"})"}) {
    EXPECT_EQ(verify(mint(Algorithm::kES256, header, standard_claims())), TokenError::kTypMismatch)
        << header;
  }
  EXPECT_EQ(verify(mint(Algorithm::kES256,
                        R"({"alg":"ES256","kid":"ES256-key","typ":"application/AT+JWT"})",
                        standard_claims())),
            TokenError::kOk);
  EXPECT_EQ(verify(mint(Algorithm::kES256, R"({"alg":"ES256","kid":"ES256-key","typ":7})",
                        standard_claims())),
            TokenError::kHeaderMemberInvalid);
}

TEST_F(TokenVerifierTest, NullTypAcceptsAnyOrNone) {
  ValidatorOptions validator = testing::standard_validator(testing::all_shared_keys());
  validator.typ = std::nullopt;
  const TokenVerifier verifier = testing::make_verifier(std::move(validator));
  for (const char* header : {R"({"alg":"ES256","kid":"ES256-key","typ":"JWT"})",
                             R"({"alg":"ES256","kid":"ES256-key"})"}) {
    EXPECT_EQ(
        verifier.verify_at(mint(Algorithm::kES256, header, standard_claims()), kTestNow).error,
        TokenError::kOk);
  }
}

TEST_F(TokenVerifierTest, RejectsOversizeToken) {
  const std::string padding(9000, 'x');
  const std::string claims = standard_claims("\"pad\":\"" + padding + "\"");
  EXPECT_EQ(verify(mint(Algorithm::kHS256, standard_header(Algorithm::kHS256), claims)),
            TokenError::kTokenTooLarge);
  // A megabyte of header is refused before any decoding.
  EXPECT_EQ(verify(std::string(1 << 20, 'e') + ".e.e"), TokenError::kTokenTooLarge);
  // The validator's own limit applies once the issuer is known.
  ValidatorOptions small = testing::standard_validator(testing::all_shared_keys());
  small.max_token_bytes = 300;
  ValidatorOptions other = testing::standard_validator(testing::all_shared_keys());
  other.issuer = "https://other.example.com";
  TokenVerifierOptions options;
  options.validators = {small, other};
  const auto verifier = TokenVerifier::create(options);
  ASSERT_TRUE(verifier.ok());
  const std::string token = testing::valid_token(Algorithm::kHS256);
  ASSERT_GT(token.size(), 300u);
  EXPECT_EQ(verifier->verify_at(token, kTestNow).error, TokenError::kTokenTooLarge);
}

TEST_F(TokenVerifierTest, RejectsDeepNesting) {
  const std::string deep_claims =
      standard_claims("\"x\":" + std::string(40, '[') + std::string(40, ']'));
  EXPECT_EQ(verify(mint(Algorithm::kHS256, standard_header(Algorithm::kHS256), deep_claims)),
            TokenError::kPayloadTooDeep);
  const std::string deep_header = R"({"alg":"HS256","kid":"HS256-key","typ":"at+jwt","x":)" +
                                  std::string(40, '{') + std::string(40, '}') + "}";
  // "{{...}}" is not valid JSON (objects need keys), so nest arrays instead.
  const std::string deep_header_arrays = R"({"alg":"HS256","kid":"HS256-key","typ":"at+jwt","x":)" +
                                         std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(verify(mint(Algorithm::kHS256, deep_header, standard_claims())),
            TokenError::kHeaderNotJson);
  EXPECT_EQ(verify(mint(Algorithm::kHS256, deep_header_arrays, standard_claims())),
            TokenError::kHeaderTooDeep);
}

TEST_F(TokenVerifierTest, RejectsHugeAndNonIntegerNumericDates) {
  const std::string base = R"({"iss":"https://as.example.com","aud":"https://api.example.com",)";
  const std::pair<const char*, TokenError> cases[] = {
      // Integers beyond 64 bits are refused by the parser itself (simdjson).
      {R"("exp":99999999999999999999})", TokenError::kPayloadNotJson},
      {R"("exp":18446744073709551615})", TokenError::kExpInvalid},
      {R"("exp":1800000600.5})", TokenError::kExpInvalid},
      {R"("exp":1.8000006e9})", TokenError::kExpInvalid},
      {R"("exp":"1800000600"})", TokenError::kExpInvalid},
      {R"("exp":-5})", TokenError::kExpInvalid},
      {R"("exp":1800000600,"nbf":1e300})", TokenError::kNbfInvalid},
      {R"("exp":1800000600,"iat":9223372036854775807})", TokenError::kIatInvalid},
      {R"("exp":1800000600,"auth_time":1799999000.25})", TokenError::kAuthTimeInvalid},
      {R"("exp":1800000600,"auth_time":"yesterday"})", TokenError::kAuthTimeInvalid},
      {R"("exp":1800000600,"auth_time":1800000061})", TokenError::kAuthTimeInFuture},
      {R"("exp":1e400})",
       TokenError::kPayloadNotJson},  // Not representable: refused by the parser.
  };
  for (const auto& [members, expected] : cases) {
    const std::string claims = base + members;
    EXPECT_EQ(verify(mint(Algorithm::kHS256, standard_header(Algorithm::kHS256), claims)), expected)
        << claims;
  }
}

// RFC 7519 §5.2 reserves cty "JWT" for a nested token: refused with its own
// reason, whatever case or prefix, even over ordinary claims. Other content
// types pass.
TEST_F(TokenVerifierTest, RejectsNestedTokens) {
  for (const char* cty : {"JWT", "jwt", "application/JWT", "Application/jwt"}) {
    const std::string header =
        std::string(R"({"alg":"ES256","kid":"ES256-key","typ":"at+jwt","cty":")") + cty + "\"}";
    EXPECT_EQ(verify(mint(Algorithm::kES256, header, standard_claims())), TokenError::kNestedToken)
        << cty;
  }
  for (const char* cty : {"json", "JWTX", "application/json"}) {
    const std::string header =
        std::string(R"({"alg":"ES256","kid":"ES256-key","typ":"at+jwt","cty":")") + cty + "\"}";
    EXPECT_EQ(verify(mint(Algorithm::kES256, header, standard_claims())), TokenError::kOk) << cty;
  }
}

TEST_F(TokenVerifierTest, RejectsCritAndUnencodedPayload) {
  const std::string crit =
      R"({"alg":"ES256","kid":"ES256-key","typ":"at+jwt","crit":["exp"],"exp":1})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, crit, standard_claims())), TokenError::kCritUnsupported);
  const std::string b64 = R"({"alg":"ES256","kid":"ES256-key","typ":"at+jwt","b64":false})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, b64, standard_claims())),
            TokenError::kHeaderMemberInvalid);
  const std::string kid = R"({"alg":"ES256","kid":7,"typ":"at+jwt"})";
  EXPECT_EQ(verify(mint(Algorithm::kES256, kid, standard_claims())),
            TokenError::kHeaderMemberInvalid);
}

TEST_F(TokenVerifierTest, IgnoresKeysCarriedInTheToken) {
  // RFC 8725 §3.10: jwk/jku/x5u in the header must not choose the key.
  const TestKey attacker = TestKey::generate(Algorithm::kES256);
  const std::string header = R"({"alg":"ES256","typ":"at+jwt","jwk":)" + attacker.public_jwk() +
                             R"(,"jku":"https://evil.example/jwks"})";
  EXPECT_EQ(verify(attacker.mint(header, standard_claims())), TokenError::kSignatureInvalid);
}

TEST_F(TokenVerifierTest, RejectsNonObjectHeaderOrPayload) {
  EXPECT_EQ(verify(compact("[1]", standard_claims(), "x")), TokenError::kHeaderNotObject);
  EXPECT_EQ(verify(compact("{\"alg\":\"ES256\"", standard_claims(), "x")),
            TokenError::kHeaderNotJson);
  EXPECT_EQ(verify(compact(standard_header(Algorithm::kES256), "\"claims\"", "x")),
            TokenError::kPayloadNotObject);
  EXPECT_EQ(verify(compact(standard_header(Algorithm::kES256), "{\"a\":\"\xff\"}", "x")),
            TokenError::kPayloadNotJson);
  EXPECT_EQ(verify(compact(standard_header(Algorithm::kES256), std::string("{\"a\":1}\0", 8), "x")),
            TokenError::kPayloadNotJson);
}

TEST_F(TokenVerifierTest, ChoosesTheValidatorByIssuer) {
  const auto es_keys = KeySet::from_jwk(TestKey::shared(Algorithm::kES256).public_jwk());
  const auto ed_keys = KeySet::from_jwk(TestKey::shared(Algorithm::kEdDSA).public_jwk());
  ASSERT_TRUE(es_keys.ok() && ed_keys.ok());
  ValidatorOptions first = testing::standard_validator(*es_keys, {Algorithm::kES256});
  first.name = "first";
  ValidatorOptions second = testing::standard_validator(*ed_keys, {Algorithm::kEdDSA});
  second.name = "second";
  second.issuer = "https://as2.example.com";
  TokenVerifierOptions options;
  options.validators = {first, second};
  const auto verifier = TokenVerifier::create(options);
  ASSERT_TRUE(verifier.ok());
  const std::string claims2 = R"({"iss":"https://as2.example.com","aud":"https://api.example.com",)"
                              R"("exp":1800000600})";
  const TokenResult result = verifier->verify_at(
      mint(Algorithm::kEdDSA, standard_header(Algorithm::kEdDSA), claims2), kTestNow);
  EXPECT_EQ(result.error, TokenError::kOk);
  EXPECT_EQ(result.validator, "second");
  // The first issuer's key cannot vouch for the second issuer's tokens.
  EXPECT_EQ(verifier
                ->verify_at(mint(Algorithm::kES256, standard_header(Algorithm::kES256), claims2),
                            kTestNow)
                .error,
            TokenError::kAlgNotAllowed);
}

TEST_F(TokenVerifierTest, FailuresLeaveNoOpenSslErrors) {
  std::string token = testing::valid_token(Algorithm::kRS256);
  token[token.size() - 10] = token[token.size() - 10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify(token), TokenError::kSignatureInvalid);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST_F(TokenVerifierTest, ReportsTheTimeWindowOfAnAcceptedToken) {
  // standard_claims(): iat kTestNow - 10, auth_time kTestNow - 60, exp
  // kTestNow + 600, skew 60; the window is where verify_at() would accept
  // the same bytes.
  const std::string token = testing::valid_token(Algorithm::kES256);
  const TokenResult result = verifier_.verify_at(token, kTestNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.valid_from, kTestNow - 10 - 60);
  EXPECT_EQ(result.valid_until, kTestNow + 600 + 60);
  EXPECT_TRUE(verifier_.verify_at(token, result.valid_from).ok());
  EXPECT_EQ(verifier_.verify_at(token, result.valid_from - 1).error, TokenError::kIatInFuture);
  EXPECT_TRUE(verifier_.verify_at(token, result.valid_until - 1).ok());
  EXPECT_EQ(verifier_.verify_at(token, result.valid_until).error, TokenError::kExpired);
}

TEST(TokenVerifierHmac, ManyKeysAndAlgorithmsOnOneThreadStayApart) {
  // Each thread keeps a few keyed HMAC contexts; more keys than that, and one
  // secret under three algorithms, must never verify with the wrong context.
  std::vector<TestKey> keys;
  std::string jwks = R"({"keys":[)";
  for (int i = 0; i < 6; ++i) {
    const Algorithm algorithm = i % 3 == 0   ? Algorithm::kHS256
                                : i % 3 == 1 ? Algorithm::kHS384
                                             : Algorithm::kHS512;
    keys.push_back(TestKey::generate(algorithm, "hmac-" + std::to_string(i)));
    jwks += (i > 0 ? "," : "") + keys.back().public_jwk();
  }
  jwks += "]}";
  const TokenVerifier verifier = testing::make_verifier(testing::standard_validator(
      *KeySet::from_jwks(jwks), {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512}));
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const TestKey& key = keys[(i * 5 + round) % keys.size()];
      const std::string header = R"({"alg":")" + std::string(algorithm_name(key.algorithm())) +
                                 R"(","kid":")" + key.kid() + R"(","typ":"at+jwt"})";
      const std::string token = key.mint(header, standard_claims());
      EXPECT_TRUE(verifier.verify_at(token, kTestNow).ok()) << key.kid();
      // The same token under another key's kid (same algorithm family): refused.
      const TestKey& other = keys[(i * 5 + round + 3) % keys.size()];
      const std::string forged_header = R"({"alg":")" +
                                        std::string(algorithm_name(key.algorithm())) +
                                        R"(","kid":")" + other.kid() + R"(","typ":"at+jwt"})";
      const TokenError forged =
          verifier.verify_at(key.mint(forged_header, standard_claims()), kTestNow).error;
      EXPECT_TRUE(forged == TokenError::kSignatureInvalid ||
                  forged == TokenError::kKeyAlgorithmMismatch)
          << key.kid() << " as " << other.kid() << ": " << token_error_name(forged);
    }
  }
}

TEST(TokenVerifierHeaders, RepeatedHeadersAreReadAfreshWhenTheyDiffer) {
  // Headers are remembered per thread by their exact bytes; a different
  // header (another kid, another typ) must never reuse a remembered one.
  const TestKey& key = TestKey::shared(Algorithm::kHS256);
  const TokenVerifier verifier =
      testing::make_verifier(testing::standard_validator(testing::all_shared_keys()));
  const std::string good = R"({"alg":"HS256","kid":")" + key.kid() + R"(","typ":"at+jwt"})";
  const std::string wrong_typ = R"({"alg":"HS256","kid":")" + key.kid() + R"(","typ":"JWT"})";
  const std::string wrong_kid = R"({"alg":"HS256","kid":"nobody","typ":"at+jwt"})";
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(verifier.verify_at(key.mint(good, standard_claims()), kTestNow).ok());
    EXPECT_EQ(verifier.verify_at(key.mint(wrong_typ, standard_claims()), kTestNow).error,
              TokenError::kTypMismatch);
    EXPECT_EQ(verifier.verify_at(key.mint(wrong_kid, standard_claims()), kTestNow).error,
              TokenError::kKeyNotFound);
    EXPECT_EQ(
        verifier
            .verify_at(key.mint(R"({"alg":"HS256","alg":"HS256"})", standard_claims()), kTestNow)
            .error,
        TokenError::kHeaderDuplicateMember);
  }
}

TEST(TokenVerifierCreate, RefusesOptionsThatWouldFailOpen) {
  const KeySet keys = testing::all_shared_keys();
  auto error_of = [](ValidatorOptions validator) {
    TokenVerifierOptions options;
    options.validators.push_back(std::move(validator));
    const auto verifier = TokenVerifier::create(std::move(options));
    return verifier.ok() ? std::string() : std::string(verifier.status().message());
  };
  EXPECT_THAT(std::string(TokenVerifier::create({}).status().message()), HasSubstr("at least one"));
  ValidatorOptions v = testing::standard_validator(keys);
  v.issuer.clear();
  EXPECT_THAT(error_of(v), HasSubstr("\"issuer\""));
  v = testing::standard_validator(keys);
  v.audience.clear();
  EXPECT_THAT(error_of(v), HasSubstr("\"audience\""));
  v = testing::standard_validator(keys, {});
  EXPECT_THAT(error_of(v), HasSubstr("\"algorithms\""));
  v = testing::standard_validator(KeySet());
  EXPECT_THAT(error_of(v), HasSubstr("no verification keys"));
  v = testing::standard_validator(keys);
  v.clock_skew_seconds = -1;
  EXPECT_THAT(error_of(v), HasSubstr("clock_skew_seconds"));
  v = testing::standard_validator(keys);
  v.max_token_bytes = 0;
  EXPECT_THAT(error_of(v), HasSubstr("max_token_bytes"));
  const auto es_only = KeySet::from_jwk(TestKey::shared(Algorithm::kES256).public_jwk());
  v = testing::standard_validator(*es_only, {Algorithm::kES256, Algorithm::kRS256});
  EXPECT_THAT(error_of(v), HasSubstr("no key can verify RS256"));
  TokenVerifierOptions twice;
  twice.validators = {testing::standard_validator(keys), testing::standard_validator(keys)};
  EXPECT_THAT(std::string(TokenVerifier::create(twice).status().message()), HasSubstr("already"));
}

}  // namespace
}  // namespace stepup
