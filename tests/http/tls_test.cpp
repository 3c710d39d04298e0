#include <warden/http/tls.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/temp_dir.hpp"
#include "support/test_data.hpp"
#include "support/without_permission_override.hpp"

namespace warden::http {
namespace {

std::filesystem::path tls_data(char const* name) { return test::data_path("tls") / name; }

/// The message of the tls_error that loading `files` throws ("" if none is thrown).
std::string load_error(tls_files const& files) {
    try {
        (void)tls_context::load(files);
    } catch (tls_error const& e) {
        return e.what();
    }
    return {};
}

::testing::AssertionResult mentions(std::string const& message, std::string const& part) {
    if (message.find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << '"' << message << "\" does not mention \"" << part << '"';
}

tls_files const good{tls_data("server.pem"), tls_data("server-key.pem")};

TEST(tls_context, loads_a_certificate_and_its_key) {
    EXPECT_NO_THROW((void)tls_context::load(good));
}

TEST(tls_context, a_missing_certificate_is_named_with_the_reason) {
    auto const missing = tls_data("no-such-cert.pem");
    auto const message = load_error({missing, good.private_key});
    EXPECT_TRUE(mentions(message, "TLS certificate " + missing.string()));
    EXPECT_TRUE(mentions(message, "No such file or directory"));
}

TEST(tls_context, a_missing_key_is_named_with_the_reason) {
    auto const missing = tls_data("no-such-key.pem");
    auto const message = load_error({good.certificate_chain, missing});
    EXPECT_TRUE(mentions(message, "TLS private key " + missing.string()));
    EXPECT_TRUE(mentions(message, "No such file or directory"));
}

TEST(tls_context, a_certificate_that_is_not_pem_is_refused) {
    auto const readme = tls_data("README.md");
    auto const message = load_error({readme, good.private_key});
    EXPECT_TRUE(mentions(message, "TLS certificate " + readme.string()));
    EXPECT_TRUE(mentions(message, "not a PEM certificate chain"));
}

TEST(tls_context, a_key_that_is_not_pem_is_refused) {
    auto const readme = tls_data("README.md");
    auto const message = load_error({good.certificate_chain, readme});
    EXPECT_TRUE(mentions(message, "TLS private key " + readme.string()));
    EXPECT_TRUE(mentions(message, "not a PEM private key"));
}

TEST(tls_context, a_certificate_given_as_the_key_is_refused) {
    auto const message = load_error({good.certificate_chain, good.certificate_chain});
    EXPECT_TRUE(mentions(message, "not a PEM private key"));
}

TEST(tls_context, a_key_of_another_certificate_is_refused_naming_both_files) {
    auto const other = tls_data("other-key.pem");
    auto const message = load_error({good.certificate_chain, other});
    EXPECT_TRUE(mentions(message, "TLS private key " + other.string()));
    EXPECT_TRUE(
        mentions(message, "does not match the certificate " + good.certificate_chain.string()));
}

TEST(tls_context, an_encrypted_key_is_refused_without_asking_for_a_passphrase) {
    auto const message = load_error({good.certificate_chain, tls_data("encrypted-key.pem")});
    EXPECT_TRUE(mentions(message, "is encrypted"));
}

TEST(tls_context, an_empty_file_or_a_directory_is_refused) {
    test::temp_dir const dir;
    auto const empty = dir.path() / "empty.pem";
    std::ofstream{empty}.flush();
    EXPECT_TRUE(mentions(load_error({empty, good.private_key}), "is empty"));
    EXPECT_TRUE(mentions(load_error({good.certificate_chain, dir.path()}), "not a regular file"));
}

TEST(tls_context, an_unreadable_key_is_refused) {
    test::temp_dir const dir;
    auto const locked = dir.path() / "key.pem";
    std::filesystem::copy_file(good.private_key, locked);
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    test::without_permission_override const as_a_user;
    EXPECT_TRUE(mentions(load_error({good.certificate_chain, locked}), "Permission denied"));
}

}  // namespace
}  // namespace warden::http
