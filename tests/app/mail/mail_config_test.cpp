// The mail settings of wardend's configuration (docs/mail.md): --public-url, --smtp-url,
// --smtp-user, WARDEN_SMTP_PASSWORD, --mail-from, --mail-templates, --mail-retries,
// --mail-retry-delay.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "app/config/errc.hpp"
#include "app/config/parse_config.hpp"
#include "app/mail/configured_mailer.hpp"
#include "support/temp_dir.hpp"

namespace warden::app {
namespace {

using namespace std::chrono_literals;
using env_map = std::map<std::string, std::string, std::less<>>;

parse_outcome parse(std::vector<std::string> const& args, env_map env = {}) {
    std::vector<char const*> argv{"wardend"};
    for (auto const& arg : args) argv.push_back(arg.c_str());
    return parse_config(static_cast<int>(argv.size()), argv.data(),
                        fixed_environment(std::move(env)));
}

config run(std::vector<std::string> const& args, env_map env = {}) {
    auto outcome = parse(args, std::move(env));
    EXPECT_EQ(outcome.next, parse_outcome::action::run) << outcome.message;
    return std::move(outcome.settings);
}

std::string failure(std::vector<std::string> const& args, env_map env = {}) {
    auto const outcome = parse(args, std::move(env));
    EXPECT_EQ(outcome.next, parse_outcome::action::fail);
    EXPECT_EQ(outcome.error, make_error_code(config_errc::bad_value)) << outcome.message;
    EXPECT_EQ(outcome.exit_code(), 2);
    return outcome.message;
}

bool contains(std::string const& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

TEST(mail_config, sends_no_mail_by_default) {
    auto const c = run({});
    EXPECT_FALSE(c.smtp_url);
    EXPECT_FALSE(c.public_url);
    EXPECT_EQ(c.mail_retries, 8U);
    EXPECT_EQ(c.mail_retry_delay, 5s);
    EXPECT_EQ(effective_public_url(c, 8123), "http://127.0.0.1:8123");
}

TEST(mail_config, reads_flags_and_variables) {
    auto const c =
        run({"--smtp-url", "smtps://mail.example.com:465", "--mail-from",
             "Accounts <noreply@example.com>", "--public-url", "https://auth.example.com/",
             "--mail-retries", "2", "--mail-retry-delay", "30s"},
            {{"WARDEN_SMTP_USER", "mailer"}, {"WARDEN_SMTP_PASSWORD", "pw d"}});
    EXPECT_EQ(c.smtp_url, "smtps://mail.example.com:465");
    EXPECT_EQ(c.mail_from, "Accounts <noreply@example.com>");
    EXPECT_EQ(c.public_url, "https://auth.example.com");  // the trailing '/' dropped
    EXPECT_EQ(c.smtp_user, "mailer");
    ASSERT_TRUE(c.smtp_password);
    EXPECT_EQ(c.smtp_password->view(), "pw d");
    EXPECT_EQ(c.mail_retries, 2U);
    EXPECT_EQ(c.mail_retry_delay, 30s);
    EXPECT_EQ(effective_public_url(c, 1), "https://auth.example.com");
    auto const env = run({}, {{"WARDEN_SMTP_URL", "smtp://[::1]:2525"},
                              {"WARDEN_MAIL_FROM", "a@example.com"},
                              {"WARDEN_PUBLIC_URL", "http://localhost:8000"},
                              {"WARDEN_MAIL_TEMPLATES", "/etc/warden/mail"}});
    EXPECT_EQ(env.smtp_url, "smtp://[::1]:2525");
    EXPECT_EQ(env.mail_templates, std::filesystem::path{"/etc/warden/mail"});
}

TEST(mail_config, the_default_public_url_follows_tls_and_the_bound_port) {
    auto const c = run({"--listen", "[::1]:0", "--tls-cert", "/c.pem", "--tls-key", "/k.pem"});
    EXPECT_EQ(effective_public_url(c, 8443), "https://[::1]:8443");
}

TEST(mail_config, refuses_bad_urls) {
    for (auto const& url :
         {"http://mail.example.com", "smtp://", "smtp://host:0", "smtp://host:99999",
          "smtp://host/path", "smtp://host?x=1", "smtp://bad host"}) {
        EXPECT_TRUE(
            contains(failure({"--smtp-url", url, "--mail-from", "a@example.com"}), "--smtp-url"))
            << url;
    }
    for (auto const& url : {"ftp://x", "https://", "https://a.example?x", "https://a.example#f",
                            "https://u@a.example", "example.com"}) {
        EXPECT_TRUE(contains(failure({"--public-url", url}), "--public-url")) << url;
    }
}

TEST(mail_config, never_takes_or_shows_a_password_in_the_smtp_url) {
    auto const message = failure(
        {"--smtp-url", "smtp://mailer:hunter2@mail.example.com", "--mail-from", "a@example.com"});
    EXPECT_FALSE(contains(message, "hunter2")) << message;
    EXPECT_TRUE(contains(message, "WARDEN_SMTP_PASSWORD")) << message;
}

TEST(mail_config, the_password_comes_from_the_environment_only) {
    auto const flag = parse({"--smtp-password", "x"});
    EXPECT_EQ(flag.next, parse_outcome::action::fail);
    test::temp_dir const dir;
    auto const file = dir.path() / "w.toml";
    std::ofstream{file} << "smtp_password = \"hunter2\"\n";
    auto const from_file = parse({"--config", file.string()});
    EXPECT_EQ(from_file.next, parse_outcome::action::fail);
    EXPECT_FALSE(contains(from_file.message, "hunter2")) << from_file.message;
}

TEST(mail_config, smtp_needs_a_sender_and_a_password_needs_a_user) {
    EXPECT_TRUE(contains(failure({"--smtp-url", "smtp://localhost:25"}), "--mail-from"));
    EXPECT_TRUE(contains(failure({}, {{"WARDEN_SMTP_PASSWORD", "x"}}), "--smtp-user"));
}

TEST(mail_config, checks_the_retry_settings) {
    EXPECT_TRUE(contains(failure({"--mail-retries", "101"}), "--mail-retries"));
    EXPECT_TRUE(contains(failure({"--mail-retry-delay", "2h"}), "--mail-retry-delay"));
    EXPECT_EQ(run({"--mail-retries", "0"}).mail_retries, 0U);
}

TEST(mail_config, help_lists_every_mail_setting) {
    auto const help = parse({"--help"}).message;
    for (auto const* name : {"--public-url",
                             "WARDEN_PUBLIC_URL",
                             "--smtp-url",
                             "WARDEN_SMTP_URL",
                             "--smtp-user",
                             "WARDEN_SMTP_USER",
                             "WARDEN_SMTP_PASSWORD",
                             "--mail-from",
                             "WARDEN_MAIL_FROM",
                             "--mail-templates",
                             "WARDEN_MAIL_TEMPLATES",
                             "--mail-retries",
                             "--mail-retry-delay",
                             "--require-verified-email",
                             "WARDEN_REQUIRE_VERIFIED_EMAIL",
                             "--mail-limit-per-email",
                             "WARDEN_MAIL_LIMIT_PER_EMAIL",
                             "--mail-limit-per-client",
                             "WARDEN_MAIL_LIMIT_PER_CLIENT",
                             "--verify-token-ttl",
                             "WARDEN_VERIFY_TOKEN_TTL",
                             "--reset-token-ttl",
                             "WARDEN_RESET_TOKEN_TTL",
                             "[default: none; no mail is sent]",
                             "[default: http://<listen>]"}) {
        EXPECT_TRUE(contains(help, name)) << name;
    }
}

TEST(mail_config, describe_reads_back_and_never_shows_the_password) {
    auto const original = run(
        {"--smtp-url", "smtp://mail.example.com:587", "--smtp-user", "mailer", "--mail-from",
         "\"Example, Inc.\" <noreply@example.com>", "--public-url", "https://a.example",
         "--mail-templates", "/etc/warden/mail", "--mail-retries", "3", "--mail-retry-delay", "1m"},
        {{"WARDEN_SMTP_PASSWORD", "hunter2-secret"}});
    auto const text = describe(original);
    EXPECT_FALSE(contains(text, "hunter2-secret")) << text;
    EXPECT_TRUE(contains(text, "# smtp_password: set")) << text;
    test::temp_dir const dir;
    auto const file = dir.path() / "w.toml";
    std::ofstream{file} << text;
    auto const again = run({"--config", file.string()}, {{"WARDEN_SMTP_PASSWORD", "p"}});
    EXPECT_EQ(again.smtp_url, original.smtp_url);
    EXPECT_EQ(again.smtp_user, "mailer");
    EXPECT_EQ(again.mail_from, original.mail_from);
    EXPECT_EQ(again.public_url, original.public_url);
    EXPECT_EQ(again.mail_templates, original.mail_templates);
    EXPECT_EQ(again.mail_retries, 3U);
    EXPECT_EQ(again.mail_retry_delay, 60s);
}

TEST(account_mail_config, defaults) {
    auto const c = run({});
    EXPECT_FALSE(c.require_verified_email);
    EXPECT_EQ(c.mail_limit_per_email, 5U);
    EXPECT_EQ(c.mail_limit_per_client, 20U);
    EXPECT_EQ(c.verify_token_ttl, 24h);
    EXPECT_EQ(c.reset_token_ttl, 1h);
}

TEST(account_mail_config, flags_variables_and_file) {
    auto const flags =
        run({"--require-verified-email", "--mail-limit-per-email", "2", "--mail-limit-per-client",
             "9", "--verify-token-ttl", "2d", "--reset-token-ttl", "15m"});
    EXPECT_TRUE(flags.require_verified_email);
    EXPECT_EQ(flags.mail_limit_per_email, 2U);
    EXPECT_EQ(flags.mail_limit_per_client, 9U);
    EXPECT_EQ(flags.verify_token_ttl, 48h);
    EXPECT_EQ(flags.reset_token_ttl, 15min);
    EXPECT_FALSE(run({"--require-verified-email", "off"}).require_verified_email);
    EXPECT_TRUE(run({"--require-verified-email", "on"}).require_verified_email);
    auto const env = run({}, {{"WARDEN_REQUIRE_VERIFIED_EMAIL", "true"},
                              {"WARDEN_MAIL_LIMIT_PER_EMAIL", "7"},
                              {"WARDEN_MAIL_LIMIT_PER_CLIENT", "70"},
                              {"WARDEN_VERIFY_TOKEN_TTL", "1h"},
                              {"WARDEN_RESET_TOKEN_TTL", "10m"}});
    EXPECT_TRUE(env.require_verified_email);
    EXPECT_EQ(env.mail_limit_per_email, 7U);
    EXPECT_EQ(env.mail_limit_per_client, 70U);
    EXPECT_EQ(env.verify_token_ttl, 1h);
    EXPECT_EQ(env.reset_token_ttl, 10min);
    auto const text = describe(flags);
    test::temp_dir const dir;
    auto const file = dir.path() / "w.toml";
    std::ofstream{file} << text;
    auto const again = run({"--config", file.string()});
    EXPECT_TRUE(again.require_verified_email) << text;
    EXPECT_EQ(again.mail_limit_per_email, 2U);
    EXPECT_EQ(again.mail_limit_per_client, 9U);
    EXPECT_EQ(again.verify_token_ttl, 48h);
    EXPECT_EQ(again.reset_token_ttl, 15min);
}

TEST(account_mail_config, refuses_bad_values) {
    EXPECT_TRUE(contains(failure({"--require-verified-email", "maybe"}), "on or off"));
    EXPECT_TRUE(contains(failure({"--mail-limit-per-email", "0"}), "--mail-limit-per-email"));
    EXPECT_TRUE(contains(failure({"--mail-limit-per-client", "0"}), "--mail-limit-per-client"));
    EXPECT_TRUE(contains(failure({"--verify-token-ttl", "31d"}), "1s to 30d"));
    EXPECT_TRUE(contains(failure({"--reset-token-ttl", "0s"}), "--reset-token-ttl"));
}

TEST(configured_mailer, is_built_from_valid_settings) {
    auto const c = run(
        {"--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "Accounts <noreply@example.com>"});
    manual_clock clock;
    std::string why;
    auto const built = configured_mailer(c, clock, &why);
    ASSERT_TRUE(built) << why;
    EXPECT_EQ(built->from().address, "noreply@example.com");
    EXPECT_EQ(built->from().display_name, "Accounts");
}

TEST(configured_mailer, refuses_a_bad_sender_or_template_directory) {
    manual_clock clock;
    std::string why;
    auto c = run({"--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "not an address"});
    EXPECT_FALSE(configured_mailer(c, clock, &why));
    EXPECT_TRUE(contains(why, "--mail-from")) << why;
    c = run({"--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "a@example.com",
             "--mail-templates", "/nonexistent/mail-templates"});
    EXPECT_FALSE(configured_mailer(c, clock, &why));
    EXPECT_TRUE(contains(why, "/nonexistent/mail-templates")) << why;
}

}  // namespace
}  // namespace warden::app
