// Round trips with Debian's PyJWT (/usr/bin/python3 + python3-jwt), both directions: the FastAPI
// pattern's HS256 with a UTF-8 string secret, and RS256/PS256/ES256/EdDSA with PEM keys.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <warden/core/clock.hpp>
#include <warden/jwt.hpp>

#include "support/temp_dir.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

constexpr char const* python = "/usr/bin/python3";

// decode ALG KEYFILE TOKEN -> {"claims":..,"header":..};  encode ALG KEYFILE CLAIMS -> token
constexpr char const* script = R"PY(
import json, sys
import jwt
mode, alg, key_path, arg = sys.argv[1:5]
with open(key_path, encoding="utf-8") as f:
    key = f.read()
if mode == "decode":
    claims = jwt.decode(arg, key, algorithms=[alg], options={"require": ["exp", "sub"]})
    print(json.dumps({"claims": claims, "header": jwt.get_unverified_header(arg)}))
else:
    headers = None if alg == "HS256" else {"kid": "py"}
    print(jwt.encode(json.loads(arg), key, algorithm=alg, headers=headers))
)PY";

struct run_result {
    int status;
    std::string out;
};

run_result run(std::string const& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, {}};
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) out += buf.data();
    int const status = ::pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return {status, out};
}

// Arguments here are file paths, algorithm names, base64url tokens and JSON from this test.
std::string quote(std::string const& s) {
    std::string q = "'";
    for (char const c : s) q += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    return q + "'";
}

class pyjwt_interop : public ::testing::Test {
  protected:
    void SetUp() override {
        auto const check = run(std::string{python} + " -c 'import jwt' 2>&1");
        ASSERT_EQ(check.status, 0) << "PyJWT is missing for " << python
                                   << " (install the Debian package python3-jwt): " << check.out;
        std::ofstream{dir.path() / "interop.py"} << script;
    }

    std::string write_key(std::string_view name, std::string_view text) {
        auto const path = dir.path() / std::string{name};
        std::ofstream{path, std::ios::binary} << text;
        return path.string();
    }

    run_result py(std::string_view mode, algorithm alg, std::string const& key_file,
                  std::string const& arg) {
        return run(std::string{python} + " " + quote((dir.path() / "interop.py").string()) + " " +
                   std::string{mode} + " " + std::string{to_string(alg)} + " " + quote(key_file) +
                   " " + quote(arg) + " 2>&1");
    }

    test::temp_dir dir;
    system_clock clock;
};

std::int64_t now() { return to_unix_seconds(std::chrono::system_clock::now()); }

// A secret with non-ASCII characters: both sides must use its UTF-8 bytes.
constexpr std::string_view secret =
    "cl\xc3\xa9-secr\xc3\xa8te-partag\xc3\xa9"
    "e-de-plus-de-32-octets";

TEST_F(pyjwt_interop, pyjwt_decodes_our_hs256_token) {
    auto const k = *key::from_utf8_secret(algorithm::hs256, secret);
    auto const token =
        *signer::create(k)->sign({{"sub", "42"}, {"exp", now() + 600}, {"scope", "read"}});
    auto const r = py("decode", algorithm::hs256, write_key("secret.txt", secret), token);
    ASSERT_EQ(r.status, 0) << r.out;
    auto const out = json::parse(r.out);
    EXPECT_EQ(out.at("claims").at("sub").as_string(), "42");
    EXPECT_EQ(out.at("claims").at("scope").as_string(), "read");
    EXPECT_EQ(out.at("header").at("alg").as_string(), "HS256");
    EXPECT_EQ(out.at("header").at("typ").as_string(), "JWT");
}

TEST_F(pyjwt_interop, we_verify_pyjwts_hs256_token) {
    auto const made = py("encode", algorithm::hs256, write_key("secret.txt", secret),
                         R"({"sub":"42","exp":)" + std::to_string(now() + 600) + "}");
    ASSERT_EQ(made.status, 0) << made.out;
    auto const k = *key::from_utf8_secret(algorithm::hs256, secret);
    auto const v = *verifier::create(*key_set::from_keys({k}), {}, clock);
    auto const c = v.verify(made.out);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    EXPECT_EQ(c->sub(), "42");
    EXPECT_EQ(c->typ(), "JWT");
}

TEST_F(pyjwt_interop, both_sides_refuse_the_other_secret_and_expired_tokens) {
    auto const other =
        *key::from_utf8_secret(algorithm::hs256, "another-secret-entirely-32-bytes-long");
    auto const token = *signer::create(other)->sign({{"sub", "42"}, {"exp", now() + 600}});
    auto const r = py("decode", algorithm::hs256, write_key("secret.txt", secret), token);
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.out.find("InvalidSignatureError"), std::string::npos) << r.out;

    auto const expired = py("encode", algorithm::hs256, write_key("secret2.txt", secret),
                            R"({"sub":"42","exp":)" + std::to_string(now() - 3600) + "}");
    ASSERT_EQ(expired.status, 0) << expired.out;
    auto const k = *key::from_utf8_secret(algorithm::hs256, secret);
    auto const v = *verifier::create(*key_set::from_keys({k}), {}, clock);
    EXPECT_EQ(v.verify(expired.out).error(), errc::expired);
}

TEST_F(pyjwt_interop, asymmetric_tokens_round_trip_through_pem_keys) {
    for (auto const alg :
         {algorithm::rs256, algorithm::ps256, algorithm::es256, algorithm::eddsa}) {
        SCOPED_TRACE(std::string{to_string(alg)});
        auto const k = *key::generate(alg, {.kid = "py"});
        auto const private_file = write_key("private.pem", k.private_pem()->view());
        auto const public_file = write_key("public.pem", *k.public_pem());

        auto const ours = *signer::create(k)->sign({{"sub", "7"}, {"exp", now() + 600}});
        auto const decoded = py("decode", alg, public_file, ours);
        ASSERT_EQ(decoded.status, 0) << decoded.out;
        EXPECT_EQ(json::parse(decoded.out).at("claims").at("sub").as_string(), "7");

        auto const theirs = py("encode", alg, private_file,
                               R"({"sub":"8","exp":)" + std::to_string(now() + 600) + "}");
        ASSERT_EQ(theirs.status, 0) << theirs.out;
        auto const v = *verifier::create(*key_set::from_keys({*k.public_key()}), {}, clock);
        auto const c = v.verify(theirs.out);
        ASSERT_TRUE(c.has_value()) << c.error().message();
        EXPECT_EQ(c->sub(), "8");
        EXPECT_EQ(c->kid(), "py");
    }
}

}  // namespace
}  // namespace warden::jwt
