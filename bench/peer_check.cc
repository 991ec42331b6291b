// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Checks the benchmark peers (LibjwtPeer, CppjwtPeer) before their numbers are trusted: each
// must accept a valid token and refuse a flipped signature byte, an expired token, a wrong
// audience and a wrong issuer, for RS256, PS256, ES256, EdDSA and HS256 (an algorithm the peer
// reports unsupported is skipped, but its validate() must refuse). A few extra cases guard the
// adapters' own logic (missing exp, aud array, now_seconds honoured, alg "none", HS256 keyed
// with the public PEM). Also prints informational results (typ handling) and a rough per-call
// time. Exit code 0 only if every checked case passes.
//
// Tokens and keys are minted by Debian's /usr/bin/python3 (python3-jwt, python3-cryptography),
// an implementation independent of both peers and of stepup. Keys are fresh on every run.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "peer_cppjwt.h"
#include "peer_libjwt.h"

namespace {

// Prints, for every algorithm: "K <alg> <hex key>" and then, per case,
// "T <alg> <case> <expect> <now offset> <token>" where expect is 1 (accept), 0 (refuse) or
// - (informational), and validate() is called with now + <now offset>.
// Must not contain a single quote: it is passed to python3 -c inside single quotes.
constexpr std::string_view kMinter = R"PY(
import base64, hashlib, hmac, json, os, sys
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

now = int(sys.argv[1])
ISS, AUD = "https://as.example.test", "api://bench"
FAR = now + 10 * 365 * 86400  # cpp-jwt checks exp against the real clock.

def pem(k):
    return k.public_key().public_bytes(serialization.Encoding.PEM,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)

def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def unb64(t):
    return base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))

def claims(**kw):
    c = {"iss": ISS, "aud": AUD, "sub": "alice", "iat": now, "exp": FAR}
    c.update(kw)
    return {k: v for k, v in c.items() if v is not None}

def flip(tok):
    h, p, s = tok.split(".")
    b = bytearray(unb64(s))
    b[len(b) // 2] ^= 0x01
    return h + "." + p + "." + b64(bytes(b))

def unsigned(header, payload, mac_key):
    si = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    if mac_key is None:
        return si + "."
    return si + "." + b64(hmac.new(mac_key, si.encode(), hashlib.sha256).digest())

rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ec_key = ec.generate_private_key(ec.SECP256R1())
ed_key = ed25519.Ed25519PrivateKey.generate()
secret = os.urandom(32)
keys = [("RS256", rsa_key, pem(rsa_key)), ("PS256", rsa_key, pem(rsa_key)),
        ("ES256", ec_key, pem(ec_key)), ("EdDSA", ed_key, pem(ed_key)),
        ("HS256", secret, secret)]

for alg, sk, pk in keys:
    print("K", alg, pk.hex())
    def t(case, expect, tok, offset=0):
        print("T", alg, case, expect, offset, tok)
    def enc(c, headers=None):
        return jwt.encode(c, sk, algorithm=alg, headers=headers)
    valid = enc(claims())
    t("valid", 1, valid)
    t("bad_sig", 0, flip(valid))
    t("expired", 0, enc(claims(exp=now - 3600)))
    t("wrong_aud", 0, enc(claims(aud="api://other")))
    t("wrong_iss", 0, enc(claims(iss="https://evil.example.test")))
    t("no_exp", 0, enc(claims(exp=None)))
    t("aud_array", 1, enc(claims(aud=["api://other", AUD])))
    t("aud_array_miss", 0, enc(claims(aud=["api://other", "api://x"])))
    t("exp_vs_now", 0, enc(claims(exp=now + 100)), 200)
    t("alg_none", 0, unsigned({"alg": "none", "typ": "JWT"}, claims(), None))
    if alg != "HS256":
        t("hs256_with_pem", 0, unsigned({"alg": "HS256", "typ": "JWT"}, claims(), pk))
    t("info_no_typ", "-", enc(claims(), {"typ": None}))
    t("info_typ_at+jwt", "-", enc(claims(), {"typ": "at+jwt"}))
)PY";

struct TokenCase {
  std::string name;
  char expect;  // '1' accept, '0' refuse, '-' informational.
  int64_t now_offset;
  std::string token;
};

struct AlgData {
  std::string key;
  std::vector<TokenCase> cases;
};

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

bool run_minter(int64_t now, std::map<std::string, AlgData>& out) {
  if (kMinter.find('\'') != std::string_view::npos) return false;
  const std::string cmd =
      "/usr/bin/python3 -c '" + std::string(kMinter) + "' " + std::to_string(now);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return false;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
    text.append(buf, n);
  if (pclose(pipe) != 0) return false;

  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string kind, alg;
    f >> kind >> alg;
    if (kind == "K") {
      std::string hex;
      f >> hex;
      out[alg].key = from_hex(hex);
    } else if (kind == "T") {
      TokenCase c;
      std::string expect;
      f >> c.name >> expect >> c.now_offset >> c.token;
      c.expect = expect[0];
      out[alg].cases.push_back(std::move(c));
    }
  }
  return !out.empty();
}

// Runs every case against one peer; returns the number of failures.
template <typename Peer>
int check_peer(const char* peer_name, const std::string& alg, const AlgData& data, int64_t now,
               const std::string& issuer, const std::string& audience) {
  const Peer peer(alg, data.key, issuer, audience);
  std::printf("%-6s %-7s", alg.c_str(), peer_name);
  if (!peer.supported()) {
    const bool refuses = !peer.validate(data.cases.front().token, now);
    std::printf(" unsupported, validate() refuses: %s\n", refuses ? "ok" : "FAIL");
    return refuses ? 0 : 1;
  }
  int failures = 0;
  std::string info;
  for (const TokenCase& c : data.cases) {
    const bool accepted = peer.validate(c.token, now + c.now_offset);
    if (c.expect == '-') {
      info += " " + c.name.substr(5) + "=" + (accepted ? "accepted" : "refused");
      continue;
    }
    const bool pass = accepted == (c.expect == '1');
    failures += pass ? 0 : 1;
    std::printf(" %s:%s", c.name.c_str(),
                pass ? "ok" : (accepted ? "FAIL(accepted)" : "FAIL(refused)"));
  }
  std::printf("\n%-14s info:%s\n", "", info.c_str());
  return failures;
}

template <typename Peer>
void time_peer(const char* peer_name, const std::string& alg, const AlgData& data, int64_t now,
               const std::string& issuer, const std::string& audience) {
  const Peer peer(alg, data.key, issuer, audience);
  if (!peer.supported()) return;
  const std::string& token = data.cases.front().token;  // "valid".
  constexpr int kWarmup = 50;
  constexpr int kIterations = 1000;
  for (int i = 0; i < kWarmup; ++i)
    peer.validate(token, now);
  int accepted = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i)
    accepted += peer.validate(token, now) ? 1 : 0;
  const std::chrono::duration<double, std::micro> elapsed =
      std::chrono::steady_clock::now() - start;
  std::printf("  %-6s %-7s %8.2f us/call (%d/%d accepted)\n", alg.c_str(), peer_name,
              elapsed.count() / kIterations, accepted, kIterations);
}

}  // namespace

int main() {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::map<std::string, AlgData> algs;
  if (!run_minter(now, algs)) {
    std::fprintf(stderr, "peer_check: minting tokens with /usr/bin/python3 failed\n");
    return 2;
  }
  const std::string issuer = "https://as.example.test";
  const std::string audience = "api://bench";
  constexpr const char* kOrder[] = {"RS256", "PS256", "ES256", "EdDSA", "HS256"};

  int failures = 0;
  for (const char* alg : kOrder) {
    const auto it = algs.find(alg);
    if (it == algs.end() || it->second.cases.empty() || it->second.cases.front().name != "valid") {
      std::fprintf(stderr, "peer_check: no tokens for %s\n", alg);
      return 2;
    }
    failures +=
        check_peer<stepup::bench::LibjwtPeer>("libjwt", alg, it->second, now, issuer, audience);
    failures +=
        check_peer<stepup::bench::CppjwtPeer>("cpp-jwt", alg, it->second, now, issuer, audience);
  }

  std::printf("timing (valid token, 1000 calls after 50 warm-up, one thread):\n");
  for (const char* alg : kOrder) {
    time_peer<stepup::bench::LibjwtPeer>("libjwt", alg, algs[alg], now, issuer, audience);
    time_peer<stepup::bench::CppjwtPeer>("cpp-jwt", alg, algs[alg], now, issuer, audience);
  }

  std::printf("%s: %d failure(s)\n", failures == 0 ? "PASS" : "FAIL", failures);
  return failures == 0 ? 0 : 1;
}
