#include "app/config/parse_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include <warden/core/condition.hpp>
#include "app/config/errc.hpp"
#include "app/config/values.hpp"
#include "support/temp_dir.hpp"
#include "support/without_permission_override.hpp"

namespace warden::app {
namespace {

using namespace std::chrono_literals;
using env_map = std::map<std::string, std::string, std::less<>>;
using action = parse_outcome::action;

// A secret of exactly 32 bytes, and a recognisable one for leak checks.
constexpr std::string_view secret_32 = "0123456789abcdef0123456789abcdef";
constexpr std::string_view short_secret = "Sh0rt-S3cret-do-not-print-me";  // 28 bytes

parse_outcome parse(std::vector<std::string> const& args, env_map env = {}) {
    std::vector<char const*> argv{"wardend"};
    for (auto const& arg : args) argv.push_back(arg.c_str());
    return parse_config(static_cast<int>(argv.size()), argv.data(),
                        fixed_environment(std::move(env)));
}

config run(std::vector<std::string> const& args, env_map env = {}) {
    auto outcome = parse(args, std::move(env));
    EXPECT_EQ(outcome.next, action::run) << outcome.message;
    EXPECT_EQ(outcome.exit_code(), 0);
    return std::move(outcome.settings);
}

// Expects a failure with `expected`, a one-line message and exit status 2; returns the message.
std::string failure(std::vector<std::string> const& args, env_map env = {},
                    config_errc expected = config_errc::bad_value) {
    auto const outcome = parse(args, std::move(env));
    EXPECT_EQ(outcome.next, action::fail);
    EXPECT_EQ(outcome.error, make_error_code(expected)) << outcome.message;
    EXPECT_EQ(outcome.exit_code(), 2);
    EXPECT_FALSE(outcome.message.empty());
    EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << outcome.message;
    return outcome.message;
}

bool contains(std::string const& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A TOML file in a fresh temp dir.
class toml_file {
  public:
    explicit toml_file(std::string_view text) : path_(dir_.path() / "warden.toml") {
        std::ofstream{path_, std::ios::binary} << text;
    }
    [[nodiscard]] std::string path() const { return path_.string(); }

  private:
    test::temp_dir dir_;
    std::filesystem::path path_;
};

unsigned expected_default_threads() {
    return std::clamp(std::thread::hardware_concurrency(), 1U, 1024U);
}

std::string why_of(std::function<bool(std::string*)> const& check) {
    std::string why;
    EXPECT_FALSE(check(&why));
    EXPECT_FALSE(why.empty());
    return why;
}

// ---------------------------------------------------------------- defaults

TEST(config_defaults, match_spec_section_5) {
    auto const c = run({});
    EXPECT_EQ(c.listen, (listen_address{"127.0.0.1", 8000}));
    EXPECT_EQ(c.threads, expected_default_threads());
    EXPECT_EQ(c.data_dir, std::filesystem::path{"./warden-data"});
    EXPECT_EQ(c.database, "sqlite:///./warden-data/warden.db");
    EXPECT_FALSE(c.redis);
    EXPECT_FALSE(c.secret_key);
    EXPECT_EQ(c.secret_file, std::filesystem::path{"./warden-data/secret.key"});
    EXPECT_EQ(c.algorithm, "HS256");
    EXPECT_EQ(c.signing_key_file, std::filesystem::path{"./warden-data/signing-key.pem"});
    EXPECT_FALSE(c.issuer);
    EXPECT_FALSE(c.audience);
    EXPECT_EQ(c.access_token_ttl, 30min);
    EXPECT_EQ(c.refresh_token_ttl, 14 * 24h);
    EXPECT_EQ(c.password_scheme, password_scheme::argon2id);
    EXPECT_EQ(c.bcrypt_rounds, 12U);
    EXPECT_EQ(c.argon2, (argon2_params{19456, 2, 1}));
    EXPECT_EQ(c.registration, registration_policy::open);
    EXPECT_TRUE(c.default_scopes.empty());
    EXPECT_EQ(c.login_max_failures, 5U);
    EXPECT_EQ(c.login_lockout, 15min);
    EXPECT_TRUE(c.cors_origins.empty());
    EXPECT_EQ(c.log_level, log_level::info);
    EXPECT_EQ(c.log_format, log_format::text);
    EXPECT_EQ(c.max_connections, 10'000U);
    EXPECT_EQ(c.max_header_bytes, 16'384U);
    EXPECT_EQ(c.max_body_bytes, 65'536U);
    EXPECT_EQ(c.header_timeout, 10s);
    EXPECT_EQ(c.body_timeout, 30s);
    EXPECT_EQ(c.idle_timeout, 60s);
    EXPECT_EQ(c.write_timeout, 30s);
    EXPECT_TRUE(c.trusted_proxies.empty());
    EXPECT_TRUE(c.tls_cert.empty());
    EXPECT_TRUE(c.tls_key.empty());
    EXPECT_TRUE(c.docs);
    EXPECT_FALSE(c.metrics_listen);
}

TEST(config_defaults, do_not_read_the_process_environment) {
    // The injected environment is the only one consulted: an empty one gives the defaults even
    // if the test runner happens to export WARDEN_* variables.
    auto const c = run({}, {});
    EXPECT_EQ(c.listen.port, 8000);
}

TEST(config_defaults, empty_environment_variables_count_as_unset) {
    auto const c =
        run({}, {{"WARDEN_LISTEN", ""}, {"WARDEN_THREADS", ""}, {"WARDEN_SECRET_KEY", ""}});
    EXPECT_EQ(c.listen, (listen_address{"127.0.0.1", 8000}));
    EXPECT_EQ(c.threads, expected_default_threads());
    EXPECT_FALSE(c.secret_key);
}

// ---------------------------------------------------------------- each flag, variable, key

TEST(config_flags, set_every_setting) {
    auto const c = run({"--listen=0.0.0.0:9000",
                        "--threads",
                        "3",
                        "--data-dir",
                        "/srv/w",
                        "--database",
                        "postgresql://db/warden",
                        "--redis",
                        "redis://cache:6379/1",
                        "--secret-key",
                        std::string{secret_32},
                        "--secret-file",
                        "/run/s.key",
                        "--algorithm",
                        "ES256",
                        "--signing-key-file",
                        "/run/k.pem",
                        "--issuer",
                        "https://auth.example.com",
                        "--audience",
                        "api",
                        "--access-token-ttl",
                        "5m",
                        "--refresh-token-ttl",
                        "2h",
                        "--password-scheme",
                        "bcrypt",
                        "--bcrypt-rounds",
                        "13",
                        "--argon2",
                        "m=65536,t=3,p=4",
                        "--registration",
                        "closed",
                        "--default-scopes",
                        "read write",
                        "--login-max-failures",
                        "7",
                        "--login-lockout",
                        "1h",
                        "--cors-origin",
                        "https://a.example",
                        "--cors-origin",
                        "http://localhost:3000",
                        "--log-level",
                        "debug",
                        "--log-format",
                        "json"});
    EXPECT_EQ(c.listen, (listen_address{"0.0.0.0", 9000}));
    EXPECT_EQ(c.threads, 3U);
    EXPECT_EQ(c.data_dir, std::filesystem::path{"/srv/w"});
    EXPECT_EQ(c.database, "postgresql://db/warden");
    EXPECT_EQ(c.redis, "redis://cache:6379/1");
    ASSERT_TRUE(c.secret_key);
    EXPECT_EQ(c.secret_key->view(), secret_32);
    EXPECT_EQ(c.secret_file, std::filesystem::path{"/run/s.key"});
    EXPECT_EQ(c.algorithm, "ES256");
    EXPECT_EQ(c.signing_key_file, std::filesystem::path{"/run/k.pem"});
    EXPECT_EQ(c.issuer, "https://auth.example.com");
    EXPECT_EQ(c.audience, "api");
    EXPECT_EQ(c.access_token_ttl, 5min);
    EXPECT_EQ(c.refresh_token_ttl, 2h);
    EXPECT_EQ(c.password_scheme, password_scheme::bcrypt);
    EXPECT_EQ(c.bcrypt_rounds, 13U);
    EXPECT_EQ(c.argon2, (argon2_params{65536, 3, 4}));
    EXPECT_EQ(c.registration, registration_policy::closed);
    EXPECT_EQ(c.default_scopes, (std::vector<std::string>{"read", "write"}));
    EXPECT_EQ(c.login_max_failures, 7U);
    EXPECT_EQ(c.login_lockout, 1h);
    EXPECT_EQ(c.cors_origins,
              (std::vector<std::string>{"https://a.example", "http://localhost:3000"}));
    EXPECT_EQ(c.log_level, log_level::debug);
    EXPECT_EQ(c.log_format, log_format::json);
}

TEST(config_environment, sets_every_setting) {
    auto const c = run({}, {{"WARDEN_LISTEN", "[::1]:9001"},
                            {"WARDEN_THREADS", "2"},
                            {"WARDEN_DATA_DIR", "/var/lib/w"},
                            {"WARDEN_DATABASE", "sqlite:////tmp/x.db"},
                            {"WARDEN_REDIS", "redis://localhost"},
                            {"WARDEN_SECRET_KEY", std::string{secret_32}},
                            {"WARDEN_SECRET_FILE", "s.key"},
                            {"WARDEN_ALGORITHM", "EdDSA"},
                            {"WARDEN_SIGNING_KEY_FILE", "k.pem"},
                            {"WARDEN_ISSUER", "iss"},
                            {"WARDEN_AUDIENCE", "aud"},
                            {"WARDEN_ACCESS_TOKEN_TTL", "45s"},
                            {"WARDEN_REFRESH_TOKEN_TTL", "30d"},
                            {"WARDEN_PASSWORD_SCHEME", "bcrypt"},
                            {"WARDEN_BCRYPT_ROUNDS", "10"},
                            {"WARDEN_ARGON2", "m=8,t=1,p=1"},
                            {"WARDEN_REGISTRATION", "closed"},
                            {"WARDEN_DEFAULT_SCOPES", "b,a"},
                            {"WARDEN_LOGIN_MAX_FAILURES", "1"},
                            {"WARDEN_LOGIN_LOCKOUT", "2m"},
                            {"WARDEN_CORS_ORIGINS", "https://a.example, https://b.example"},
                            {"WARDEN_LOG_LEVEL", "off"},
                            {"WARDEN_LOG_FORMAT", "json"}});
    EXPECT_EQ(c.listen, (listen_address{"::1", 9001}));
    EXPECT_EQ(c.threads, 2U);
    EXPECT_EQ(c.data_dir, std::filesystem::path{"/var/lib/w"});
    EXPECT_EQ(c.database, "sqlite:////tmp/x.db");
    EXPECT_EQ(c.redis, "redis://localhost");
    ASSERT_TRUE(c.secret_key);
    EXPECT_EQ(c.secret_key->view(), secret_32);
    EXPECT_EQ(c.secret_file, std::filesystem::path{"s.key"});
    EXPECT_EQ(c.algorithm, "EdDSA");
    EXPECT_EQ(c.signing_key_file, std::filesystem::path{"k.pem"});
    EXPECT_EQ(c.issuer, "iss");
    EXPECT_EQ(c.audience, "aud");
    EXPECT_EQ(c.access_token_ttl, 45s);
    EXPECT_EQ(c.refresh_token_ttl, 30 * 24h);
    EXPECT_EQ(c.password_scheme, password_scheme::bcrypt);
    EXPECT_EQ(c.bcrypt_rounds, 10U);
    EXPECT_EQ(c.argon2, (argon2_params{8, 1, 1}));
    EXPECT_EQ(c.registration, registration_policy::closed);
    EXPECT_EQ(c.default_scopes, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(c.login_max_failures, 1U);
    EXPECT_EQ(c.login_lockout, 2min);
    EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
    EXPECT_EQ(c.log_level, log_level::off);
    EXPECT_EQ(c.log_format, log_format::json);
}

TEST(config_file, sets_every_setting) {
    toml_file const file{R"(
listen = "127.0.0.1:0"
threads = 4
data_dir = "data"
database = "postgres://u@h/db"
redis = "unix:///run/redis.sock"
secret_key = "0123456789abcdef0123456789abcdef"
secret_file = "f.key"
algorithm = "PS384"
signing_key_file = "f.pem"
issuer = "https://i"
audience = "a"
access_token_ttl = "10m"
refresh_token_ttl = "7d"
password_scheme = "bcrypt"
bcrypt_rounds = 11
argon2 = "t=1,p=2,m=1024"
registration = "closed"
default_scopes = ["write", "admin", "write"]
login_max_failures = 9
login_lockout = "30s"
cors_origin = ["https://x.example", "*"]
log_level = "warn"
log_format = "json"
)"};
    auto const c = run({"--config", file.path()});
    EXPECT_EQ(c.listen, (listen_address{"127.0.0.1", 0}));
    EXPECT_EQ(c.threads, 4U);
    EXPECT_EQ(c.data_dir, std::filesystem::path{"data"});
    EXPECT_EQ(c.database, "postgres://u@h/db");
    EXPECT_EQ(c.redis, "unix:///run/redis.sock");
    ASSERT_TRUE(c.secret_key);
    EXPECT_EQ(c.secret_key->view(), secret_32);
    EXPECT_EQ(c.secret_file, std::filesystem::path{"f.key"});
    EXPECT_EQ(c.algorithm, "PS384");
    EXPECT_EQ(c.signing_key_file, std::filesystem::path{"f.pem"});
    EXPECT_EQ(c.issuer, "https://i");
    EXPECT_EQ(c.audience, "a");
    EXPECT_EQ(c.access_token_ttl, 10min);
    EXPECT_EQ(c.refresh_token_ttl, 7 * 24h);
    EXPECT_EQ(c.password_scheme, password_scheme::bcrypt);
    EXPECT_EQ(c.bcrypt_rounds, 11U);
    EXPECT_EQ(c.argon2, (argon2_params{1024, 1, 2}));
    EXPECT_EQ(c.registration, registration_policy::closed);
    EXPECT_EQ(c.default_scopes, (std::vector<std::string>{"admin", "write"}));
    EXPECT_EQ(c.login_max_failures, 9U);
    EXPECT_EQ(c.login_lockout, 30s);
    EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://x.example", "*"}));
    EXPECT_EQ(c.log_level, log_level::warn);
    EXPECT_EQ(c.log_format, log_format::json);
}

TEST(config_file, accepts_default_scopes_as_a_string) {
    toml_file const file{"default_scopes = \"read, write read\"\n"};
    EXPECT_EQ(run({"--config", file.path()}).default_scopes,
              (std::vector<std::string>{"read", "write"}));
}

TEST(config_file, accepts_an_empty_file) {
    toml_file const file{""};
    EXPECT_EQ(run({"--config", file.path()}).listen.port, 8000);
}

// ---------------------------------------------------------------- precedence

struct precedence_case {
    std::string flag;
    std::string env;
    std::string toml_line;  // key = value, the file's value
    std::string flag_value;
    std::string env_value;
    std::function<std::string(config const&)> show;
    std::string shown_default, shown_file, shown_env, shown_flag;
};

std::vector<precedence_case> precedence_cases() {
    return {
        {"--listen", "WARDEN_LISTEN", "listen = \"10.0.0.1:1\"", "10.0.0.3:3", "10.0.0.2:2",
         [](config const& c) { return to_string(c.listen); }, "127.0.0.1:8000", "10.0.0.1:1",
         "10.0.0.2:2", "10.0.0.3:3"},
        {"--threads", "WARDEN_THREADS", "threads = 5", "7", "6",
         [](config const& c) { return std::to_string(c.threads); },
         std::to_string(expected_default_threads()), "5", "6", "7"},
        {"--access-token-ttl", "WARDEN_ACCESS_TOKEN_TTL", "access_token_ttl = \"1m\"", "3m", "2m",
         [](config const& c) { return format_duration(c.access_token_ttl); }, "30m", "1m", "2m",
         "3m"},
        {"--log-level", "WARDEN_LOG_LEVEL", "log_level = \"error\"", "trace", "debug",
         [](config const& c) { return std::string{to_string(c.log_level)}; }, "info", "error",
         "debug", "trace"},
        {"--cors-origin", "WARDEN_CORS_ORIGINS", "cors_origin = [\"https://file\"]", "https://flag",
         "https://env",
         [](config const& c) { return c.cors_origins.empty() ? "" : c.cors_origins[0]; }, "",
         "https://file", "https://env", "https://flag"},
        {"--default-scopes", "WARDEN_DEFAULT_SCOPES", "default_scopes = \"file\"", "flag", "env",
         [](config const& c) { return c.default_scopes.empty() ? "" : c.default_scopes[0]; }, "",
         "file", "env", "flag"},
        {"--cache-size", "WARDEN_CACHE_SIZE", "cache_size = 5", "0", "6",
         [](config const& c) { return std::to_string(c.cache_size); }, "100000", "5", "6", "0"},
        {"--sync-interval", "WARDEN_SYNC_INTERVAL", "sync_interval = \"2s\"", "1h", "3m",
         [](config const& c) { return format_duration(c.sync_interval); }, "1s", "2s", "3m", "1h"},
        {"--registration", "WARDEN_REGISTRATION", "registration = \"closed\"", "open", "closed",
         [](config const& c) { return std::string{to_string(c.registration)}; }, "open", "closed",
         "closed", "open"},
    };
}

TEST(config_precedence, flag_beats_environment_beats_file_beats_default) {
    for (auto const& k : precedence_cases()) {
        SCOPED_TRACE(k.flag);
        toml_file const file{k.toml_line + "\n"};
        env_map const env{{k.env, k.env_value}};
        EXPECT_EQ(k.show(run({})), k.shown_default);
        EXPECT_EQ(k.show(run({"--config", file.path()})), k.shown_file);
        EXPECT_EQ(k.show(run({"--config", file.path()}, env)), k.shown_env);
        EXPECT_EQ(k.show(run({"--config", file.path(), k.flag, k.flag_value}, env)), k.shown_flag);
        EXPECT_EQ(k.show(run({k.flag, k.flag_value}, env)), k.shown_flag);
        EXPECT_EQ(k.show(run({}, env)), k.shown_env);
    }
}

TEST(cache_settings, reject_values_out_of_range) {
    EXPECT_TRUE(contains(failure({"--sync-interval", "0s"}), "zero"));
    EXPECT_TRUE(contains(failure({"--sync-interval", "2h"}), "1s to 1h"));
    EXPECT_FALSE(failure({"--sync-interval", "fast"}).empty());
    EXPECT_FALSE(failure({"--cache-size", "-1"}).empty());
    EXPECT_FALSE(failure({"--cache-size", "100000001"}).empty());
    EXPECT_EQ(run({"--cache-size", "100000000"}).cache_size, 100'000'000U);
}

TEST(config_precedence, a_valid_flag_hides_a_bad_environment_value) {
    // Only the chosen source is parsed: a broken lower-precedence value does not matter.
    auto const c = run({"--threads", "2"}, {{"WARDEN_THREADS", "many"}});
    EXPECT_EQ(c.threads, 2U);
}

TEST(config_precedence, a_bad_chosen_value_fails_even_if_a_lower_source_is_good) {
    toml_file const file{"threads = 2\n"};
    auto const message = failure({"--config", file.path()}, {{"WARDEN_THREADS", "many"}});
    EXPECT_TRUE(contains(message, "WARDEN_THREADS")) << message;
}

// ---------------------------------------------------------------- derived defaults

TEST(config_derived, follow_the_data_dir_flag) {
    auto const c = run({"--data-dir", "/var/lib/w"});
    EXPECT_EQ(c.database, "sqlite:////var/lib/w/warden.db");
    EXPECT_EQ(c.secret_file, std::filesystem::path{"/var/lib/w/secret.key"});
    EXPECT_EQ(c.signing_key_file, std::filesystem::path{"/var/lib/w/signing-key.pem"});
}

TEST(config_derived, follow_a_relative_data_dir) {
    EXPECT_EQ(run({"--data-dir", "state"}).database, "sqlite:///state/warden.db");
}

TEST(config_derived, do_not_double_a_trailing_slash) {
    auto const c = run({"--data-dir", "/var/lib/w/"});
    EXPECT_EQ(c.database, "sqlite:////var/lib/w/warden.db");
    EXPECT_EQ(c.secret_file.generic_string(), "/var/lib/w/secret.key");
}

TEST(config_derived, follow_the_final_data_dir_across_sources) {
    toml_file const file{"data_dir = \"/from/file\"\n"};
    auto const from_file = run({"--config", file.path()});
    EXPECT_EQ(from_file.database, "sqlite:////from/file/warden.db");
    auto const from_env = run({"--config", file.path()}, {{"WARDEN_DATA_DIR", "/from/env"}});
    EXPECT_EQ(from_env.database, "sqlite:////from/env/warden.db");
    EXPECT_EQ(from_env.secret_file, std::filesystem::path{"/from/env/secret.key"});
    auto const from_flag = run({"--config", file.path(), "--data-dir", "/from/flag"},
                               {{"WARDEN_DATA_DIR", "/from/env"}});
    EXPECT_EQ(from_flag.signing_key_file, std::filesystem::path{"/from/flag/signing-key.pem"});
}

TEST(config_derived, give_way_to_explicit_values) {
    toml_file const file{"database = \"sqlite:///elsewhere.db\"\n"};
    auto const c = run({"--config", file.path(), "--data-dir", "/d", "--secret-file", "/s"},
                       {{"WARDEN_SIGNING_KEY_FILE", "/k"}});
    EXPECT_EQ(c.database, "sqlite:///elsewhere.db");
    EXPECT_EQ(c.secret_file, std::filesystem::path{"/s"});
    EXPECT_EQ(c.signing_key_file, std::filesystem::path{"/k"});
}

// ---------------------------------------------------------------- durations

TEST(duration, parses_each_unit) {
    EXPECT_EQ(*parse_duration("30s", nullptr), 30s);
    EXPECT_EQ(*parse_duration("15m", nullptr), 15min);
    EXPECT_EQ(*parse_duration("2h", nullptr), 2h);
    EXPECT_EQ(*parse_duration("14d", nullptr), 14 * 24h);
    EXPECT_EQ(*parse_duration("007m", nullptr), 7min);
    EXPECT_EQ(*parse_duration("36500d", nullptr), max_duration);
}

TEST(duration, rejects_zero) {
    for (auto const* text : {"0s", "0m", "0h", "0d", "000s"}) {
        auto const why = why_of([&](std::string* w) { return !!parse_duration(text, w); });
        EXPECT_TRUE(contains(why, "zero")) << why;
    }
}

TEST(duration, rejects_negative_and_signed) {
    EXPECT_TRUE(
        contains(why_of([](std::string* w) { return !!parse_duration("-5m", w); }), "negative"));
    EXPECT_FALSE(parse_duration("+5m", nullptr));
}

TEST(duration, rejects_a_missing_unit) {
    auto const why = why_of([](std::string* w) { return !!parse_duration("30", w); });
    EXPECT_TRUE(contains(why, "no unit")) << why;
}

TEST(duration, rejects_unknown_units) {
    for (auto const* text : {"5ms", "5w", "5x", "5M", "5S", "5sec", "5min", "1h30m"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(parse_duration(text, nullptr));
    }
    auto const why = why_of([](std::string* w) { return !!parse_duration("5w", w); });
    EXPECT_TRUE(contains(why, "unknown unit \"w\"")) << why;
}

TEST(duration, rejects_malformed_text) {
    for (auto const* text : {"", "m", "s30", " 5m", "5m ", "5 m", "1.5h", "5m5", "five minutes",
                             "0x10s", "5\xC2\xB5s"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(parse_duration(text, nullptr).error(), make_error_code(config_errc::bad_value));
    }
}

TEST(duration, rejects_overflow_and_more_than_the_maximum) {
    for (auto const* text :
         {"99999999999999999999s", "18446744073709551616s", "18446744073709551615d",
          "9223372036854775807s", "36501d", "876001h", "3153600001s"}) {
        SCOPED_TRACE(text);
        auto const why = why_of([&](std::string* w) { return !!parse_duration(text, w); });
        EXPECT_TRUE(contains(why, "too long")) << why;
    }
}

TEST(duration, formats_in_the_largest_exact_unit) {
    EXPECT_EQ(format_duration(30min), "30m");
    EXPECT_EQ(format_duration(14 * 24h), "14d");
    EXPECT_EQ(format_duration(90s), "90s");
    EXPECT_EQ(format_duration(2h), "2h");
    EXPECT_EQ(format_duration(25h), "25h");
}

TEST(duration, errors_name_the_flag_variable_or_key) {
    auto const flag = failure({"--access-token-ttl", "0s"});
    EXPECT_TRUE(contains(flag, "--access-token-ttl: \"0s\" is zero")) << flag;
    auto const env = failure({}, {{"WARDEN_LOGIN_LOCKOUT", "15"}});
    EXPECT_TRUE(contains(env, "WARDEN_LOGIN_LOCKOUT: \"15\" has no unit")) << env;
    toml_file const file{"\nrefresh_token_ttl = \"2w\"\n"};
    auto const key = failure({"--config", file.path()});
    EXPECT_TRUE(contains(key, file.path() + ":2: refresh_token_ttl: ")) << key;
}

// ---------------------------------------------------------------- listen

TEST(listen, parses_ipv4_ipv6_and_names) {
    EXPECT_EQ(*parse_listen("127.0.0.1:8000", nullptr), (listen_address{"127.0.0.1", 8000}));
    EXPECT_EQ(*parse_listen("0.0.0.0:65535", nullptr), (listen_address{"0.0.0.0", 65535}));
    EXPECT_EQ(*parse_listen("[::1]:8000", nullptr), (listen_address{"::1", 8000}));
    EXPECT_EQ(*parse_listen("[::]:80", nullptr), (listen_address{"::", 80}));
    EXPECT_EQ(*parse_listen("[2001:db8::1]:443", nullptr), (listen_address{"2001:db8::1", 443}));
    EXPECT_EQ(*parse_listen("localhost:8080", nullptr), (listen_address{"localhost", 8080}));
}

TEST(listen, accepts_port_zero) {
    EXPECT_EQ(run({"--listen", "127.0.0.1:0"}).listen.port, 0);
    EXPECT_EQ(run({"--listen", "[::1]:0"}).listen, (listen_address{"::1", 0}));
}

TEST(listen, prints_back_with_brackets_for_ipv6) {
    EXPECT_EQ(to_string(listen_address{"::1", 8000}), "[::1]:8000");
    EXPECT_EQ(to_string(listen_address{"127.0.0.1", 0}), "127.0.0.1:0");
}

TEST(listen, rejects_a_missing_port) {
    for (auto const* text : {"127.0.0.1", "localhost", "[::1]", "127.0.0.1:", "[::1]:"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(parse_listen(text, nullptr));
    }
    auto const why = why_of([](std::string* w) { return !!parse_listen("127.0.0.1", w); });
    EXPECT_TRUE(contains(why, "no port")) << why;
}

TEST(listen, rejects_bad_ports) {
    for (auto const* text : {"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http", "127.0.0.1:+80",
                             "127.0.0.1:80 ", "127.0.0.1:99999999999999999999", "[::1]:1e3"}) {
        SCOPED_TRACE(text);
        auto const why = why_of([&](std::string* w) { return !!parse_listen(text, w); });
        EXPECT_TRUE(contains(why, "0 to 65535")) << why;
    }
}

TEST(listen, rejects_bad_hosts) {
    for (auto const* text : {":8000", "::1:8000", "[::1:8000", "[zz::1]:80", "[127.0.0.1]:80",
                             "[::1]8000", "256.1.1.1:80", "1.2.3:80", "-bad-:80", "a..b:80",
                             "a b:80", "*:80", "host_name:80", "[]:80"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(parse_listen(text, nullptr).error(), make_error_code(config_errc::bad_value));
    }
    auto const why = why_of([](std::string* w) { return !!parse_listen("::1:8000", w); });
    EXPECT_TRUE(contains(why, "brackets")) << why;
}

TEST(listen, errors_name_the_source) {
    auto const message = failure({"--listen", "127.0.0.1"});
    EXPECT_EQ(message.rfind("--listen: ", 0), 0U) << message;
}

// ---------------------------------------------------------------- algorithms

TEST(algorithm, accepts_each_supported_name) {
    for (auto const* name : {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384",
                             "PS512", "ES256", "ES384", "ES512", "EdDSA"}) {
        SCOPED_TRACE(name);
        EXPECT_TRUE(check_algorithm(name, nullptr));
        EXPECT_EQ(run({"--algorithm", name}).algorithm, name);
    }
}

TEST(algorithm, rejects_other_names) {
    for (auto const* name : {"none", "None", "hs256", "HS1024", "", "HS256 ", "EDDSA", "Ed25519",
                             "ES256K", "RSA-OAEP"}) {
        SCOPED_TRACE(name);
        EXPECT_FALSE(check_algorithm(name, nullptr));
    }
    auto const message = failure({}, {{"WARDEN_ALGORITHM", "none"}});
    EXPECT_TRUE(contains(message, "WARDEN_ALGORITHM: unknown algorithm \"none\"")) << message;
}

// ---------------------------------------------------------------- scopes

TEST(scopes, splits_on_spaces_and_commas) {
    using list = std::vector<std::string>;
    EXPECT_EQ(*parse_scopes("read write", nullptr), (list{"read", "write"}));
    EXPECT_EQ(*parse_scopes("write,read", nullptr), (list{"read", "write"}));
    EXPECT_EQ(*parse_scopes(" a, b ,,c  ", nullptr), (list{"a", "b", "c"}));
    EXPECT_EQ(*parse_scopes("users:read admin!", nullptr), (list{"admin!", "users:read"}));
}

TEST(scopes, sorts_and_removes_duplicates) {
    using list = std::vector<std::string>;
    EXPECT_EQ(*parse_scopes("b a b a", nullptr), (list{"a", "b"}));
    EXPECT_EQ(run({"--default-scopes", "x,x x"}).default_scopes, (list{"x"}));
}

TEST(scopes, empty_or_blank_gives_none) {
    EXPECT_TRUE(parse_scopes("", nullptr)->empty());
    EXPECT_TRUE(parse_scopes(" , ", nullptr)->empty());
    EXPECT_TRUE(run({"--default-scopes", ""}).default_scopes.empty());
}

TEST(scopes, rejects_characters_outside_rfc_6749) {
    for (auto const* text : {"a\"b", "a\\b", "caf\xC3\xA9", "a\tb", "a\x7F", "a\nb", "\x01"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(parse_scopes(text, nullptr).error(), make_error_code(config_errc::bad_value));
    }
    auto const message = failure({"--default-scopes", "read wr\"ite"});
    EXPECT_TRUE(contains(message, "invalid scope \"wr\\\"ite\"")) << message;
}

TEST(scopes, token_syntax_is_exactly_rfc_6749) {
    EXPECT_TRUE(is_scope_token("!#[]~"));
    EXPECT_FALSE(is_scope_token(""));
    EXPECT_FALSE(is_scope_token(" "));
    EXPECT_FALSE(is_scope_token("\""));
    EXPECT_FALSE(is_scope_token("\\"));
    for (int c = 0x21; c <= 0x7E; ++c) {
        bool const allowed = c != 0x22 && c != 0x5C;
        EXPECT_EQ(is_scope_token(std::string(1, static_cast<char>(c))), allowed) << c;
    }
}

TEST(scopes, a_toml_array_element_is_one_token) {
    toml_file const file{"default_scopes = [\"read write\"]\n"};
    auto const message = failure({"--config", file.path()});
    EXPECT_TRUE(contains(message, "invalid scope \"read write\"")) << message;
}

// ---------------------------------------------------------------- argon2

TEST(argon2, parses_the_three_parameters_in_any_order) {
    EXPECT_EQ(*parse_argon2("m=19456,t=2,p=1", nullptr), (argon2_params{19456, 2, 1}));
    EXPECT_EQ(*parse_argon2("p=4,m=65536,t=3", nullptr), (argon2_params{65536, 3, 4}));
    EXPECT_EQ(*parse_argon2("m=4194304,t=1,p=1", nullptr), (argon2_params{4194304, 1, 1}));
    EXPECT_EQ(to_string(argon2_params{}), "m=19456,t=2,p=1");
}

TEST(argon2, rejects_bad_text) {
    for (auto const* text :
         {"", "m=19456", "m=19456,t=2", "m=19456,t=2,p=1,", ",m=19456,t=2,p=1",
          "m=19456,t=2,p=1,x=3", "m=19456;t=2;p=1", " m=19456,t=2,p=1", "M=19456,t=2,p=1",
          "m=19456, t=2,p=1", "m:19456,t=2,p=1", "memory=19456,t=2,p=1", "m=,t=2,p=1",
          "m=abc,t=2,p=1", "m=-1,t=2,p=1", "m=1.5,t=2,p=1", "m=19456,t=2,p=1 "}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(parse_argon2(text, nullptr).error(), make_error_code(config_errc::bad_value));
    }
}

TEST(argon2, rejects_repeated_parameters) {
    auto const why =
        why_of([](std::string* w) { return !!parse_argon2("m=1024,t=2,p=1,m=2048", w); });
    EXPECT_TRUE(contains(why, "m is given twice")) << why;
}

TEST(argon2, rejects_out_of_range_parameters) {
    for (auto const* text :
         {"m=19456,t=0,p=1", "m=19456,t=2,p=0", "m=7,t=1,p=1", "m=31,t=1,p=4", "m=4194305,t=1,p=1",
          "m=4294967296,t=1,p=1", "m=19456,t=1,p=16777216", "m=99999999999999999999,t=1,p=1"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(parse_argon2(text, nullptr));
    }
}

TEST(argon2, errors_name_the_source_and_the_text) {
    auto const message = failure({"--argon2", "m=19456,t=2"});
    EXPECT_TRUE(contains(message, "--argon2: \"m=19456,t=2\": p is missing")) << message;
}

// ---------------------------------------------------------------- integers

TEST(bcrypt_rounds, accepts_10_to_31) {
    EXPECT_EQ(run({"--bcrypt-rounds", "10"}).bcrypt_rounds, 10U);
    EXPECT_EQ(run({"--bcrypt-rounds", "31"}).bcrypt_rounds, 31U);
}

TEST(bcrypt_rounds, rejects_below_10_and_above_31) {
    for (auto const* value : {"9", "4", "0", "32", "-12", "twelve", "", "12.0", "1e1"}) {
        SCOPED_TRACE(value);
        auto const message = failure({"--bcrypt-rounds", value});
        EXPECT_TRUE(contains(message, "from 10 to 31")) << message;
    }
    toml_file const file{"bcrypt_rounds = 9\n"};
    EXPECT_TRUE(contains(failure({"--config", file.path()}), "got \"9\""));
}

TEST(threads, rejects_zero_negative_huge_and_text) {
    for (auto const* value : {"0", "-1", "1025", "99999999999999999999", "four", " 2"}) {
        SCOPED_TRACE(value);
        EXPECT_TRUE(contains(failure({}, {{"WARDEN_THREADS", value}}), "WARDEN_THREADS: "));
    }
}

TEST(login_limits, reject_zero_failures_and_a_zero_lockout) {
    EXPECT_TRUE(contains(failure({"--login-max-failures", "0"}), "from 1 to 4294967295"));
    EXPECT_FALSE(parse({"--login-max-failures", "4294967296"}).next == action::run);
    EXPECT_EQ(run({"--login-max-failures", "4294967295"}).login_max_failures, 4294967295U);
    failure({"--login-lockout", "0m"});
    failure({"--login-lockout", "-15m"});
}

// ---------------------------------------------------------------- names

TEST(names, parse_each_choice) {
    EXPECT_EQ(run({"--password-scheme", "argon2id"}).password_scheme, password_scheme::argon2id);
    EXPECT_EQ(run({"--registration", "open"}).registration, registration_policy::open);
    for (auto const level : {log_level::trace, log_level::debug, log_level::info, log_level::warn,
                             log_level::error, log_level::off}) {
        EXPECT_EQ(run({"--log-level", std::string{to_string(level)}}).log_level, level);
    }
    EXPECT_EQ(run({"--log-format", "text"}).log_format, log_format::text);
}

TEST(names, reject_anything_else) {
    EXPECT_TRUE(contains(failure({"--password-scheme", "scrypt"}), "argon2id, bcrypt"));
    failure({"--password-scheme", "Argon2id"});
    failure({"--password-scheme", "argon2"});
    EXPECT_TRUE(contains(failure({"--registration", "yes"}), "open, closed"));
    failure({}, {{"WARDEN_REGISTRATION", "OPEN"}});
    failure({"--log-level", "verbose"});
    failure({"--log-level", "warning"});
    failure({"--log-format", "xml"});
    failure({"--log-format", "JSON"});
}

// ---------------------------------------------------------------- urls and text

TEST(urls, accept_the_supported_schemes) {
    EXPECT_TRUE(check_database_url("sqlite:///warden.db", nullptr));
    EXPECT_TRUE(check_database_url("sqlite:////abs/warden.db", nullptr));
    EXPECT_TRUE(check_database_url("postgresql://u:p@h:5432/db", nullptr));
    EXPECT_TRUE(check_database_url("postgres://h/db", nullptr));
    EXPECT_TRUE(check_redis_url("redis://h:6379/0", nullptr));
    std::string why;
    EXPECT_FALSE(check_redis_url("rediss://h", &why));  // no TLS in Debian 12's hiredis
    EXPECT_NE(why.find("TLS"), std::string::npos) << why;
    EXPECT_TRUE(check_redis_url("unix:///run/redis.sock", nullptr));
}

TEST(urls, reject_other_database_urls) {
    for (auto const* url : {"", "sqlite:///", "sqlite://x.db", "sqlite:x.db", "mysql://h/db",
                            "warden.db", "SQLITE:///x.db", "http://h"}) {
        SCOPED_TRACE(url);
        EXPECT_FALSE(check_database_url(url, nullptr));
    }
}

TEST(urls, reject_other_redis_urls) {
    for (auto const* url : {"", "redis://", "localhost:6379", "http://h", "memcached://h"}) {
        SCOPED_TRACE(url);
        EXPECT_FALSE(check_redis_url(url, nullptr));
    }
}

TEST(urls, errors_do_not_show_a_password) {
    auto const db = failure({"--database", "mysql://user:hunter2@h/db"});
    EXPECT_FALSE(contains(db, "hunter2")) << db;
    EXPECT_TRUE(contains(db, "\"mysql\"")) << db;
    auto const redis = failure({}, {{"WARDEN_REDIS", "memcache://:hunter2@h"}});
    EXPECT_FALSE(contains(redis, "hunter2")) << redis;
}

TEST(text, rejects_empty_values_and_control_characters) {
    failure({"--issuer", ""});
    failure({"--audience", "a\x01"});
    failure({"--data-dir", ""});
    failure({"--secret-file", ""});
    failure({"--signing-key-file", "k\x7F"});
    toml_file const file{"issuer = \"a\\nb\"\n"};
    EXPECT_TRUE(contains(failure({"--config", file.path()}), "control character"));
}

// ---------------------------------------------------------------- cors

TEST(cors, accepts_origins) {
    for (auto const* origin :
         {"https://app.example.com", "http://localhost:3000", "http://127.0.0.1",
          "https://[::1]:8443", "*", "https://xn--bcher-kva.example"}) {
        SCOPED_TRACE(origin);
        EXPECT_TRUE(check_origin(origin, nullptr));
    }
}

TEST(cors, rejects_what_is_not_an_origin) {
    for (auto const* origin :
         {"", "https://", "app.example.com", "ftp://a.example", "https://a.example/",
          "https://a.example/path", "https://a.example?q", "https://A.example", "HTTPS://a.example",
          "https://a.example:", "https://a.example:0", "https://a.example:65536",
          "https://u@a.example", "https://a_b.example", "https://[::1", "https://[zz]", "**",
          " https://a.example"}) {
        SCOPED_TRACE(origin);
        EXPECT_EQ(check_origin(origin, nullptr).error(), make_error_code(config_errc::bad_value));
    }
}

TEST(cors, the_variable_is_a_comma_separated_list) {
    EXPECT_EQ(*parse_origin_list("https://a.example,https://b.example", nullptr),
              (std::vector<std::string>{"https://a.example", "https://b.example"}));
    EXPECT_EQ(*parse_origin_list(" https://a.example , https://b.example ", nullptr),
              (std::vector<std::string>{"https://a.example", "https://b.example"}));
    for (auto const* text : {"https://a.example,,https://b.example", "https://a.example,", ",", " ",
                             "https://a.example,https://b.example/"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(parse_origin_list(text, nullptr));
    }
}

TEST(cors, errors_name_the_source) {
    auto const flag =
        failure({"--cors-origin", "https://a.example", "--cors-origin", "https://b/"});
    EXPECT_EQ(flag.rfind("--cors-origin: ", 0), 0U) << flag;
    auto const env = failure({}, {{"WARDEN_CORS_ORIGINS", "https://a.example,,x"}});
    EXPECT_EQ(env.rfind("WARDEN_CORS_ORIGINS: ", 0), 0U) << env;
}

// ---------------------------------------------------------------- HTTP limits and operations

TEST(http_limits, are_set_by_flag_variable_and_file) {
    auto const flags = run({"--max-connections", "20", "--max-header-bytes", "2048",
                            "--max-body-bytes", "1024", "--header-timeout", "2s", "--body-timeout",
                            "3s", "--idle-timeout", "4s", "--write-timeout", "5s"});
    EXPECT_EQ(flags.max_connections, 20U);
    EXPECT_EQ(flags.max_header_bytes, 2048U);
    EXPECT_EQ(flags.max_body_bytes, 1024U);
    EXPECT_EQ(flags.header_timeout, 2s);
    EXPECT_EQ(flags.body_timeout, 3s);
    EXPECT_EQ(flags.idle_timeout, 4s);
    EXPECT_EQ(flags.write_timeout, 5s);
    EXPECT_EQ(run({}, {{"WARDEN_MAX_BODY_BYTES", "2000"}}).max_body_bytes, 2000U);
    toml_file const file{"max_header_bytes = 4096\nidle_timeout = \"1m\"\n"};
    auto const from_file = run({"--config", file.path()});
    EXPECT_EQ(from_file.max_header_bytes, 4096U);
    EXPECT_EQ(from_file.idle_timeout, 60s);
}

TEST(http_limits, reject_values_out_of_range) {
    for (auto const& args : std::vector<std::vector<std::string>>{{"--max-connections", "0"},
                                                                  {"--max-connections", "1000001"},
                                                                  {"--max-header-bytes", "1023"},
                                                                  {"--max-header-bytes", "1048577"},
                                                                  {"--max-body-bytes", "1023"},
                                                                  {"--max-body-bytes", "67108865"},
                                                                  {"--max-body-bytes", "-1"},
                                                                  {"--header-timeout", "0s"},
                                                                  {"--idle-timeout", "5"},
                                                                  {"--write-timeout", "soon"}}) {
        SCOPED_TRACE(args[0] + " " + args[1]);
        auto const why = failure(args);
        EXPECT_EQ(why.rfind(args[0] + ": ", 0), 0U) << why;
    }
}

TEST(trusted_proxy, is_repeatable_and_kept_in_canonical_form) {
    auto const c = run({"--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "fd00::/8",
                        "--trusted-proxy", "127.0.0.1"});
    EXPECT_EQ(c.trusted_proxies,
              (std::vector<std::string>{"10.0.0.0/8", "fd00::/8", "127.0.0.1/32"}));
}

TEST(trusted_proxy, the_variable_is_a_comma_separated_list_and_the_key_an_array) {
    EXPECT_EQ(run({}, {{"WARDEN_TRUSTED_PROXIES", "10.0.0.0/8, ::1"}}).trusted_proxies,
              (std::vector<std::string>{"10.0.0.0/8", "::1/128"}));
    toml_file const file{"trusted_proxy = [\"192.168.0.0/16\"]\n"};
    EXPECT_EQ(run({"--config", file.path()}).trusted_proxies,
              (std::vector<std::string>{"192.168.0.0/16"}));
    toml_file const wrong{"trusted_proxy = \"192.168.0.0/16\"\n"};
    failure({"--config", wrong.path()}, {}, config_errc::wrong_type);
}

TEST(trusted_proxy, rejects_what_is_not_a_network_naming_the_source) {
    auto const flag = failure({"--trusted-proxy", "10.0.0.1/8"});
    EXPECT_EQ(flag.rfind("--trusted-proxy: ", 0), 0U) << flag;
    EXPECT_TRUE(contains(flag, "zero host bits")) << flag;
    for (auto const* text : {"10.0.0.0/33", "proxy.example", "", "10.0.0.0/8 10.1.0.0/16"}) {
        SCOPED_TRACE(text);
        failure({"--trusted-proxy", text});
    }
    auto const env = failure({}, {{"WARDEN_TRUSTED_PROXIES", "10.0.0.0/8,,::1"}});
    EXPECT_EQ(env.rfind("WARDEN_TRUSTED_PROXIES: ", 0), 0U) << env;
}

TEST(tls, needs_both_the_certificate_and_the_key) {
    auto const c = run({"--tls-cert", "/etc/warden/cert.pem", "--tls-key", "/etc/warden/key.pem"});
    EXPECT_EQ(c.tls_cert, std::filesystem::path{"/etc/warden/cert.pem"});
    EXPECT_EQ(c.tls_key, std::filesystem::path{"/etc/warden/key.pem"});
    EXPECT_TRUE(contains(failure({"--tls-cert", "/c.pem"}), "--tls-key"));
    EXPECT_TRUE(contains(failure({}, {{"WARDEN_TLS_KEY", "/k.pem"}}), "--tls-cert"));
}

TEST(docs, is_on_or_off) {
    EXPECT_FALSE(run({"--docs", "off"}).docs);
    EXPECT_TRUE(run({}, {{"WARDEN_DOCS", "on"}}).docs);
    for (auto const* text : {"true", "no", "OFF", "0"}) {
        SCOPED_TRACE(text);
        EXPECT_TRUE(contains(failure({"--docs", text}), "on, off"));
    }
}

TEST(metrics, is_on_or_off_and_off_has_no_listener) {
    EXPECT_TRUE(run({}).metrics);
    EXPECT_FALSE(run({"--metrics", "off"}).metrics);
    EXPECT_FALSE(run({}, {{"WARDEN_METRICS", "off"}}).metrics);
    EXPECT_TRUE(contains(failure({"--metrics", "no"}), "on, off"));
    EXPECT_TRUE(contains(failure({"--metrics", "off", "--metrics-listen", "127.0.0.1:9100"}),
                         "--metrics off"));
}

TEST(metrics_listen, takes_an_address_of_its_own) {
    EXPECT_EQ(run({"--metrics-listen", "[::1]:9100"}).metrics_listen,
              (listen_address{"::1", 9100}));
    EXPECT_EQ(run({}, {{"WARDEN_METRICS_LISTEN", "127.0.0.1:0"}}).metrics_listen,
              (listen_address{"127.0.0.1", 0}));
    failure({"--metrics-listen", "9100"});
}

// ---------------------------------------------------------------- the secret

TEST(secret, of_32_bytes_is_kept_as_its_bytes) {
    auto const c = run({"--secret-key", std::string{secret_32}});
    ASSERT_TRUE(c.secret_key);
    EXPECT_EQ(c.secret_key->view(), secret_32);
    std::string const utf8 =
        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
    EXPECT_EQ(run({}, {{"WARDEN_SECRET_KEY", utf8}}).secret_key->size(), 32U);  // 16 characters
}

TEST(secret, shorter_than_32_bytes_is_refused_from_every_source) {
    toml_file const file{"secret_key = \"" + std::string{short_secret} + "\"\n"};
    std::vector<std::string> const messages{
        failure({"--secret-key", std::string{short_secret}}, {}, config_errc::short_secret),
        failure({}, {{"WARDEN_SECRET_KEY", std::string{short_secret}}}, config_errc::short_secret),
        failure({"--config", file.path()}, {}, config_errc::short_secret),
        failure({"--secret-key", std::string{secret_32.substr(0, 31)}}, {},
                config_errc::short_secret),
    };
    for (auto const& message : messages) {
        EXPECT_TRUE(contains(message, "at least 32")) << message;
        EXPECT_FALSE(contains(message, short_secret)) << message;
        EXPECT_FALSE(contains(message, secret_32.substr(0, 31))) << message;
    }
    EXPECT_TRUE(contains(messages[0], "--secret-key: the secret key is 28 bytes"));
    EXPECT_TRUE(contains(messages[1], "WARDEN_SECRET_KEY: "));
}

TEST(secret, wrong_type_in_the_file_does_not_show_it) {
    toml_file const file{"secret_key = [\"" + std::string{short_secret} + "\"]\n"};
    auto const message = failure({"--config", file.path()}, {}, config_errc::wrong_type);
    EXPECT_FALSE(contains(message, short_secret)) << message;
}

TEST(secret, is_never_in_help_or_describe) {
    std::string const secret = std::string{secret_32} + "-unique-marker";
    auto const help = parse({"--help"}, {{"WARDEN_SECRET_KEY", secret}});
    EXPECT_FALSE(contains(help.message, "unique-marker"));
    auto const c = run({"--secret-key", secret});
    auto const text = describe(c);
    EXPECT_FALSE(contains(text, "unique-marker")) << text;
    EXPECT_TRUE(contains(text, "# secret_key: set (not shown)")) << text;
    EXPECT_TRUE(contains(describe(run({})), "# secret_key: not set"));
}

// ---------------------------------------------------------------- the file

TEST(config_file, rejects_unknown_keys) {
    toml_file const file{"listen = \"127.0.0.1:1\"\nlisten_port = 8000\n"};
    auto const message = failure({"--config", file.path()}, {}, config_errc::unknown_key);
    EXPECT_TRUE(contains(message, file.path() + ":2: unknown key \"listen_port\"")) << message;
}

TEST(config_file, rejects_flag_spellings_tables_and_the_config_key) {
    for (auto const* text : {"access-token-ttl = \"30m\"\n", "[server]\nlisten = \"127.0.0.1:1\"\n",
                             "config = \"other.toml\"\n", "cors_origins = [\"https://a\"]\n",
                             "WARDEN_LISTEN = \"127.0.0.1:1\"\n"}) {
        SCOPED_TRACE(text);
        toml_file const file{text};
        failure({"--config", file.path()}, {}, config_errc::unknown_key);
    }
}

TEST(config_file, rejects_wrong_types) {
    struct wrong {
        char const* text;
        char const* says;
    };
    for (auto const& [text, says] :
         {wrong{"threads = \"4\"", "threads: expected an integer, got a string"},
          wrong{"bcrypt_rounds = 12.0", "expected an integer, got a float"},
          wrong{"listen = 8000", "listen: expected a string, got an integer"},
          wrong{"access_token_ttl = 1800", "expected a string, got an integer"},
          wrong{"registration = true", "expected a string, got a boolean"},
          wrong{"cors_origin = \"https://a\"", "expected an array of strings, got a string"},
          wrong{"cors_origin = [\"https://a\", 1]", "expected an array of strings, got an array"},
          wrong{"default_scopes = 3", "expected a string or an array of strings, got an integer"},
          wrong{"default_scopes = [[\"a\"]]", "got an array"},
          wrong{"data_dir = { path = \"x\" }", "expected a string, got a table"},
          wrong{"log_level = 1979-05-27", "got a date or time"}}) {
        SCOPED_TRACE(text);
        toml_file const file{std::string{text} + "\n"};
        auto const message = failure({"--config", file.path()}, {}, config_errc::wrong_type);
        EXPECT_TRUE(contains(message, says)) << message;
        EXPECT_TRUE(contains(message, file.path() + ":1: ")) << message;
    }
}

TEST(config_file, checks_integer_ranges) {
    toml_file const file{"threads = -3\n"};
    auto const message = failure({"--config", file.path()});
    EXPECT_TRUE(contains(message, "got \"-3\"")) << message;
}

TEST(config_file, rejects_invalid_toml_with_its_position) {
    for (auto const* text : {"listen = \n", "listen = \"a\"\nlisten = \"b\"\n", "threads = 4 4\n",
                             "= 1\n", "listen = 'unterminated\n"}) {
        SCOPED_TRACE(text);
        toml_file const file{text};
        auto const message = failure({"--config", file.path()}, {}, config_errc::bad_file);
        EXPECT_TRUE(contains(message, "not valid TOML")) << message;
        EXPECT_EQ(message.rfind(file.path() + ":", 0), 0U) << message;
    }
}

TEST(config_file, that_is_missing_is_an_error) {
    test::temp_dir const dir;
    auto const path = (dir.path() / "absent.toml").string();
    auto const message = failure({"--config", path}, {}, config_errc::unreadable_file);
    EXPECT_TRUE(contains(message, "--config " + path + ": cannot read the file")) << message;
    EXPECT_TRUE(contains(message, "No such file")) << message;
    failure({"--config", ""}, {}, config_errc::unreadable_file);
}

TEST(config_file, that_is_a_directory_is_an_error) {
    test::temp_dir const dir;
    auto const message =
        failure({"--config", dir.path().string()}, {}, config_errc::unreadable_file);
    EXPECT_TRUE(contains(message, "directory")) << message;
}

TEST(config_file, that_is_not_readable_is_an_error) {
    toml_file const file{"threads = 2\n"};
    std::filesystem::permissions(file.path(), std::filesystem::perms::none);
    test::without_permission_override const as_an_ordinary_user;  // CI runs as root
    std::ifstream probe{file.path()};
    if (probe) GTEST_SKIP() << "running with privileges that ignore file modes";
    auto const message = failure({"--config", file.path()}, {}, config_errc::unreadable_file);
    EXPECT_TRUE(contains(message, "Permission denied")) << message;
}

TEST(config_file, is_read_back_from_describe) {
    auto const original = run({"--listen",
                               "[::1]:0",
                               "--threads",
                               "3",
                               "--data-dir",
                               "/d",
                               "--issuer",
                               "https://i \"quoted\"",
                               "--refresh-token-ttl",
                               "90s",
                               "--default-scopes",
                               "b a",
                               "--cors-origin",
                               "https://a.example",
                               "--log-format",
                               "json",
                               "--argon2",
                               "m=1024,t=3,p=2",
                               "--trusted-proxy",
                               "10.0.0.0/8",
                               "--trusted-proxy",
                               "::1",
                               "--tls-cert",
                               "/c.pem",
                               "--tls-key",
                               "/k.pem",
                               "--docs",
                               "off",
                               "--metrics-listen",
                               "127.0.0.1:9100",
                               "--max-body-bytes",
                               "4096",
                               "--idle-timeout",
                               "5s"});
    toml_file const file{describe(original)};
    auto const again = run({"--config", file.path()});
    EXPECT_EQ(describe(again), describe(original));
    EXPECT_EQ(again.issuer, "https://i \"quoted\"");
    EXPECT_EQ(again.listen, original.listen);
    EXPECT_EQ(again.database, original.database);
    EXPECT_EQ(again.refresh_token_ttl, 90s);
    EXPECT_EQ(again.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1/128"}));
    EXPECT_EQ(again.tls_key, std::filesystem::path{"/k.pem"});
    EXPECT_FALSE(again.docs);
    EXPECT_EQ(again.metrics_listen, (listen_address{"127.0.0.1", 9100}));
    EXPECT_EQ(again.max_body_bytes, 4096U);
    EXPECT_EQ(again.idle_timeout, 5s);
}

TEST(describe, redacts_passwords_in_urls) {
    auto const c = run({"--database", "postgresql://warden:hunter2@db/warden?sslmode=require",
                        "--redis", "redis://:hunter3@cache:6379/0"});
    auto const text = describe(c);
    EXPECT_FALSE(contains(text, "hunter2")) << text;
    EXPECT_FALSE(contains(text, "hunter3")) << text;
    EXPECT_TRUE(contains(text, "postgresql://warden:***@db/warden?sslmode=require")) << text;
    EXPECT_EQ(redact_url("postgresql://h/db?user=u&password=pw&x=1"),
              "postgresql://h/db?user=u&password=***&x=1");
    EXPECT_EQ(redact_url("sqlite:///./warden-data/warden.db"), "sqlite:///./warden-data/warden.db");
    EXPECT_EQ(redact_url("redis://user@h"), "redis://user@h");
}

// ---------------------------------------------------------------- the command line

TEST(command_line, help_documents_every_flag_variable_and_default) {
    auto const outcome = parse({"--help"});
    EXPECT_EQ(outcome.next, action::show_help);
    EXPECT_EQ(outcome.exit_code(), 0);
    auto const& help = outcome.message;
    for (auto const* name : {"--listen",
                             "--threads",
                             "--data-dir",
                             "--database",
                             "--redis",
                             "--secret-key",
                             "--secret-file",
                             "--algorithm",
                             "--signing-key-file",
                             "--issuer",
                             "--audience",
                             "--access-token-ttl",
                             "--refresh-token-ttl",
                             "--password-scheme",
                             "--bcrypt-rounds",
                             "--argon2",
                             "--registration",
                             "--default-scopes",
                             "--login-max-failures",
                             "--login-lockout",
                             "--cors-origin",
                             "--log-level",
                             "--log-format",
                             "--max-connections",
                             "--max-header-bytes",
                             "--max-body-bytes",
                             "--header-timeout",
                             "--body-timeout",
                             "--idle-timeout",
                             "--write-timeout",
                             "--trusted-proxy",
                             "--tls-cert",
                             "--tls-key",
                             "--docs",
                             "--metrics-listen",
                             "WARDEN_TRUSTED_PROXIES",
                             "WARDEN_MAX_BODY_BYTES",
                             "WARDEN_DOCS",
                             "WARDEN_METRICS_LISTEN",
                             "[default: 65536]",
                             "--config",
                             "WARDEN_LISTEN",
                             "WARDEN_THREADS",
                             "WARDEN_DATA_DIR",
                             "WARDEN_DATABASE",
                             "WARDEN_REDIS",
                             "WARDEN_SECRET_KEY",
                             "WARDEN_SECRET_FILE",
                             "WARDEN_ALGORITHM",
                             "WARDEN_SIGNING_KEY_FILE",
                             "WARDEN_ISSUER",
                             "WARDEN_AUDIENCE",
                             "WARDEN_ACCESS_TOKEN_TTL",
                             "WARDEN_REFRESH_TOKEN_TTL",
                             "WARDEN_PASSWORD_SCHEME",
                             "WARDEN_BCRYPT_ROUNDS",
                             "WARDEN_ARGON2",
                             "WARDEN_REGISTRATION",
                             "WARDEN_DEFAULT_SCOPES",
                             "WARDEN_LOGIN_MAX_FAILURES",
                             "WARDEN_LOGIN_LOCKOUT",
                             "WARDEN_CORS_ORIGINS",
                             "WARDEN_LOG_LEVEL",
                             "WARDEN_LOG_FORMAT",
                             "[default: 127.0.0.1:8000]",
                             "[default: ./warden-data]",
                             "[default: sqlite:///<data-dir>/warden.db]",
                             "[default: HS256]",
                             "[default: 30m]",
                             "[default: 14d]",
                             "[default: m=19456,t=2,p=1]",
                             "[default: 15m]",
                             "[default: 12]",
                             "[default: 5]",
                             "[default: info]",
                             "[default: text]",
                             "[default: open]",
                             "[default: argon2id]",
                             "Precedence"}) {
        EXPECT_TRUE(contains(help, name)) << name << "\n" << help;
    }
}

TEST(command_line, short_help_flag_works_too) {
    EXPECT_EQ(parse({"-h"}).next, action::show_help);
    EXPECT_EQ(parse({"--threads", "0", "--help"}).next, action::show_help);
}

TEST(command_line, rejects_unknown_flags) {
    auto const message = failure({"--port", "8000"}, {}, config_errc::bad_usage);
    EXPECT_TRUE(contains(message, "--port")) << message;
    failure({"--cors-origins", "https://a"}, {}, config_errc::bad_usage);
}

TEST(command_line, rejects_positional_arguments) {
    failure({"serve"}, {}, config_errc::bad_usage);
    failure({"--cors-origin", "https://a.example", "https://b.example"}, {},
            config_errc::bad_usage);
}

TEST(command_line, rejects_a_missing_value) {
    auto const message = failure({"--threads"}, {}, config_errc::bad_usage);
    EXPECT_TRUE(contains(message, "--threads")) << message;
}

TEST(command_line, rejects_a_repeated_single_value_flag) {
    failure({"--threads", "2", "--threads", "3"}, {}, config_errc::bad_usage);
    failure({"--config", "a.toml", "--config", "b.toml"}, {}, config_errc::bad_usage);
}

TEST(command_line, accepts_the_equals_form) {
    EXPECT_EQ(run({"--threads=2", "--log-level=warn"}).threads, 2U);
}

TEST(command_line, binds_to_another_app_for_the_cli) {
    CLI::App app{"warden", "warden"};
    config_options const options{app};
    auto* user = app.add_subcommand("user");
    user->fallthrough();
    std::vector<char const*> argv{"warden", "user", "--data-dir", "/cli"};
    auto const outcome =
        parse_command_line(app, options, static_cast<int>(argv.size()), argv.data(),
                           fixed_environment({{"WARDEN_THREADS", "2"}}));
    ASSERT_EQ(outcome.next, action::run) << outcome.message;
    EXPECT_TRUE(user->parsed());
    EXPECT_EQ(outcome.settings.database, "sqlite:////cli/warden.db");
    EXPECT_EQ(outcome.settings.threads, 2U);
}

// ---------------------------------------------------------------- signing keys (issue 12)

TEST(config_keys, kek_file_follows_the_data_dir_unless_set) {
    EXPECT_EQ(run({}).kek_file, std::filesystem::path{"./warden-data/kek.key"});
    EXPECT_EQ(run({"--data-dir", "/srv/w"}).kek_file, std::filesystem::path{"/srv/w/kek.key"});
    EXPECT_EQ(run({"--kek-file", "/run/kek"}).kek_file, std::filesystem::path{"/run/kek"});
    EXPECT_EQ(run({}, {{"WARDEN_KEK_FILE", "k.key"}}).kek_file, std::filesystem::path{"k.key"});
    toml_file const file{"kek_file = \"f.key\"\n"};
    EXPECT_EQ(run({"--config", file.path()}).kek_file, std::filesystem::path{"f.key"});
}

TEST(config_keys, token_leeway_is_30s_by_default_and_at_most_5m) {
    EXPECT_EQ(run({}).token_leeway, 30s);
    EXPECT_EQ(run({"--token-leeway", "0s"}).token_leeway, 0s);
    EXPECT_EQ(run({}, {{"WARDEN_TOKEN_LEEWAY", "2m"}}).token_leeway, 2min);
    toml_file const file{"token_leeway = \"5m\"\n"};
    EXPECT_EQ(run({"--config", file.path()}).token_leeway, 5min);
    EXPECT_NE(failure({"--token-leeway", "6m"}).find("0s to 5m"), std::string::npos);
    EXPECT_NE(failure({"--token-leeway", "soon"}).find("--token-leeway"), std::string::npos);
}

// ---------------------------------------------------------------- errors

TEST(config_errc, every_code_maps_to_invalid_configuration) {
    for (auto const e : {config_errc::bad_usage, config_errc::bad_value, config_errc::short_secret,
                         config_errc::unreadable_file, config_errc::bad_file,
                         config_errc::unknown_key, config_errc::wrong_type}) {
        error_code const ec = e;
        EXPECT_EQ(ec, condition::invalid_configuration);
        EXPECT_NE(ec, condition::invalid_request);
        EXPECT_FALSE(ec.message().empty());
        EXPECT_STREQ(ec.category().name(), "warden.app.config");
    }
}

TEST(quote, escapes_and_truncates) {
    EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quote("\n\x01\xFF"), "\"\\x0a\\x01\\xff\"");
    EXPECT_EQ(quote(std::string(100, 'x')), "\"" + std::string(80, 'x') + "...\"");
}

}  // namespace
}  // namespace warden::app
