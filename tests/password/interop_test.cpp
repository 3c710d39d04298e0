// Hashes made by warden verify in passlib and argon2-cffi: the Python side runs here, through
// Debian's /usr/bin/python3 (CI installs python3-passlib, python3-argon2, python3-bcrypt).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>
#include <warden/password/context.hpp>

#include "support/temp_dir.hpp"
#include "support/test_data.hpp"
#include "test_options.hpp"

namespace warden::password {
namespace {

struct python_case {
    std::string hash;
    std::string password;
    bool expected;
};

struct python_verdict {
    bool passlib = false;
    std::optional<bool> argon2_cffi;
};

std::string quoted(std::string const& s) {
    EXPECT_EQ(s.find('\''), std::string::npos) << s;
    return "'" + s + "'";
}

/// Runs tests/data/password/verify.py over `cases`; fails the test with Python's message when
/// it cannot run (a missing module included).
std::vector<python_verdict> verify_in_python(std::vector<python_case> const& cases) {
    warden::test::temp_dir dir;
    auto const input = dir.path() / "cases.json";
    auto const errors = dir.path() / "stderr.txt";
    boost::json::array array;
    for (auto const& c : cases) array.push_back({{"hash", c.hash}, {"password", c.password}});
    std::ofstream{input} << boost::json::serialize(array);

    auto const script = warden::test::data_path("password/verify.py");
    std::string const command = "/usr/bin/python3 " + quoted(script.string()) + " " +
                                quoted(input.string()) + " 2>" + quoted(errors.string());
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot start /usr/bin/python3";
        return {};
    }
    std::string output;
    char buffer[4096];
    while (auto n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    int const status = pclose(pipe);
    if (status != 0) {
        ADD_FAILURE() << "/usr/bin/python3 verify.py failed (status " << status
                      << "): " << warden::test::read_file(errors);
        return {};
    }
    std::vector<python_verdict> verdicts;
    auto const parsed = boost::json::parse(output);
    for (auto const& v : parsed.as_array()) {
        python_verdict verdict;
        verdict.passlib = v.at("passlib").as_bool();
        if (v.at("argon2_cffi").is_bool()) verdict.argon2_cffi = v.at("argon2_cffi").as_bool();
        verdicts.push_back(verdict);
    }
    return verdicts;
}

TEST(python_interop, warden_hashes_verify_in_passlib_and_argon2_cffi) {
    std::vector<python_case> cases;
    std::string const unicode = "p\xc3\xa4ssw\xc3\xb6rd-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x94\x91";
    std::string const long_password(300, 'L');
    for (auto const s : {scheme::argon2id, scheme::bcrypt}) {
        auto o = test::cheap_options(s);
        for (auto const& pw :
             {std::string{"correct horse battery staple"}, unicode, std::string(72, 'x')}) {
            auto const h = test::make_context(o).hash(pw);
            ASSERT_TRUE(h.has_value()) << h.error().message();
            cases.push_back({*h, pw, true});
            cases.push_back({*h, pw + "!", s == scheme::bcrypt && pw.size() >= 72});
            cases.push_back({*h, "wrong password", false});
        }
    }
    // The production costs, parallelism above 1, and a long password argon2id takes whole.
    auto o = test::cheap_options();
    o.argon2 = {.memory_kib = 19456, .iterations = 2, .parallelism = 1};
    cases.push_back({test::make_context(o).hash(long_password).value(), long_password, true});
    cases.push_back(
        {test::make_context(o).hash(long_password).value(), long_password.substr(0, 72), false});
    o.argon2 = {.memory_kib = 256, .iterations = 3, .parallelism = 4};
    cases.push_back({test::make_context(o).hash(unicode).value(), unicode, true});
    auto ob = test::cheap_options(scheme::bcrypt);
    ob.bcrypt_rounds = 10;
    cases.push_back(
        {test::make_context(ob).hash("secret-password").value(), "secret-password", true});

    auto const verdicts = verify_in_python(cases);
    ASSERT_EQ(verdicts.size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        EXPECT_EQ(verdicts[i].passlib, cases[i].expected) << "passlib: " << cases[i].hash;
        if (cases[i].hash.starts_with("$argon2")) {
            ASSERT_TRUE(verdicts[i].argon2_cffi.has_value());
            EXPECT_EQ(*verdicts[i].argon2_cffi, cases[i].expected)
                << "argon2-cffi: " << cases[i].hash;
        }
    }
}

TEST(python_interop, upgraded_hashes_verify_in_passlib) {
    // A FastAPI user logs in through warden: the bcrypt row becomes argon2id, which the old
    // Python service (CryptContext with argon2 added) still accepts.
    auto const ctx = test::cheap_context();
    auto const r = ctx.verify_and_update(
        "secret", "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW");
    ASSERT_TRUE(r.has_value() && r->new_hash.has_value());
    auto const verdicts = verify_in_python({{*r->new_hash, "secret", true}});
    ASSERT_EQ(verdicts.size(), 1U);
    EXPECT_TRUE(verdicts[0].passlib);
    EXPECT_EQ(verdicts[0].argon2_cffi, std::optional<bool>{true});
}

}  // namespace
}  // namespace warden::password
