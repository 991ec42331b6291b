// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// HTTPS served by the gateway itself (AuthZEN's binding is HTTPS): a
// self-signed certificate made for the test, a client that verifies it, the
// same answers as over plain HTTP, plain HTTP refused on the TLS port, and
// clear errors for missing or mismatched files.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <string>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::HasSubstr;

// Writes a P-256 key and a self-signed certificate for 127.0.0.1 and
// "localhost" into `dir` as key.pem and cert.pem.
void write_certificate(const TempDir& dir) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
  ASSERT_NE(key, nullptr);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600);
  X509_set_pubkey(certificate.get(), key.get());
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate.get(), name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  X509_EXTENSION* names =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  ASSERT_NE(names, nullptr);
  X509_add_ext(certificate.get(), names, -1);
  X509_EXTENSION_free(names);
  ASSERT_GT(X509_sign(certificate.get(), key.get(), EVP_sha256()), 0);

  FILE* key_file = std::fopen((dir.path() + "/key.pem").c_str(), "w");
  ASSERT_NE(key_file, nullptr);
  PEM_write_PrivateKey(key_file, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(key_file);
  FILE* cert_file = std::fopen((dir.path() + "/cert.pem").c_str(), "w");
  ASSERT_NE(cert_file, nullptr);
  PEM_write_X509(cert_file, certificate.get());
  std::fclose(cert_file);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_certificate(dir_);
    GatewayOptions options = test_options();
    options.http.tls = TlsFiles{dir_.path() + "/cert.pem", dir_.path() + "/key.pem"};
    gateway_ = std::make_unique<RunningGateway>(make_engine(), options);
  }

  std::unique_ptr<httplib::SSLClient> client() {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", gateway_->port());
    client->set_ca_cert_path((dir_.path() + "/cert.pem").c_str());
    client->enable_server_certificate_verification(true);
    client->set_connection_timeout(5);
    return client;
  }

  TempDir dir_;
  std::unique_ptr<RunningGateway> gateway_;
};

TEST_F(TlsTest, AnswersOverVerifiedTls) {
  std::unique_ptr<httplib::SSLClient> https = client();
  httplib::Result health = https->Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);

  const std::string token = example_credentials().weak.substr(7);
  const std::string body =
      R"({"subject": {"type": "user", "id": "alice", "properties": {"token": ")" + token +
      R"("}}, "action": {"name": "POST"}, "resource": {"type": "http",)"
      R"( "id": "/payments/transfers/7"}})";
  httplib::Result decided = https->Post("/access/v1/evaluation", body, "application/json");
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->status, 200);
  EXPECT_THAT(decided->body, HasSubstr("insufficient_user_authentication"));
  // Kept alive across requests.
  for (int i = 0; i < 5; ++i) {
    httplib::Result again = https->Get("/healthz");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
  }
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortGetsNoAnswer) {
  RawConnection plain(gateway_->port());
  plain.send("GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n");
  EXPECT_EQ(plain.read_response(std::chrono::milliseconds(2000)).status, 0);
  // The server is still there for TLS clients.
  httplib::Result health = client()->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(TlsFilesTest, MissingOrMismatchedFilesAreClearErrors) {
  TempDir dir;
  write_certificate(dir);
  TempDir other;
  write_certificate(other);
  struct Case {
    std::string certificate;
    std::string key;
    std::string message;
  };
  const std::vector<Case> cases = {
      {dir.path() + "/none.pem", dir.path() + "/key.pem", "certificate chain"},
      {dir.path() + "/cert.pem", dir.path() + "/none.pem", "private key"},
      {dir.path() + "/key.pem", dir.path() + "/key.pem", "certificate chain"},
      {dir.path() + "/cert.pem", other.path() + "/key.pem", "private key"},
  };
  for (const Case& c : cases) {
    GatewayOptions options = test_options();
    options.http.tls = TlsFiles{c.certificate, c.key};
    GatewayServer server(make_engine(), options);
    const absl::Status bound = server.bind();
    EXPECT_FALSE(bound.ok()) << c.certificate << " " << c.key;
    EXPECT_THAT(std::string(bound.message()), HasSubstr(c.message));
    EXPECT_EQ(ERR_peek_error(), 0u);
  }
}

}  // namespace
}  // namespace stepup::gateway::testing
