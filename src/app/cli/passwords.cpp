#include "app/cli/passwords.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <warden/password/errc.hpp>
#include <warden/password/scheme.hpp>

#include "app/cli/exit_status.hpp"
#include "app/cli/password_input.hpp"
#include "app/cli/service_access.hpp"

namespace warden::app::cli {
namespace {

constexpr std::string_view footer =
    "The scheme and costs are the configured ones (--password-scheme, --bcrypt-rounds, --argon2\n"
    "and their WARDEN_* variables); see 'warden --help'.";

}  // namespace

password_commands::password_commands(CLI::App& root) {
    hash_ =
        root.add_subcommand("hash", "Hash a password read from standard input; print the hash.");
    hash_->fallthrough()->footer("Prints a PHC (argon2id) or modular-crypt (bcrypt) string. " +
                                 std::string{footer});
    hash_
        ->add_flag("--password-stdin", password_stdin_,
                   "Required: read the password from the first line of standard input.")
        ->required()
        ->disable_flag_override();

    verify_ =
        root.add_subcommand("verify", "Check a password read from standard input against a hash.");
    verify_->fallthrough()->footer(
        "Accepts argon2id, argon2i, bcrypt ($2a$/$2b$/$2y$), passlib bcrypt_sha256 and\n"
        "pbkdf2_sha256. Exit 0 and print \"match\" (with a note when the next login would\n"
        "re-hash it); exit 1 on a mismatch; exit 2 for a hash that cannot be used (malformed,\n"
        "unknown scheme, cost above the limits). " +
        std::string{footer});
    verify_->add_option("--hash", stored_hash_, "The stored hash (quote it: it contains $).")
        ->required()
        ->type_name("HASH");
    verify_
        ->add_flag("--password-stdin", password_stdin_,
                   "Required: read the password from the first line of standard input.")
        ->required()
        ->disable_flag_override();
}

bool password_commands::selected() const { return hash_->parsed() || verify_->parsed(); }

int password_commands::run(config const& settings) const {
    return hash_->parsed() ? hash(settings) : verify(settings);
}

int password_commands::hash(config const& settings) const {
    std::string why;
    auto const password = read_password_stdin(&why);
    if (!password) return fail(exit_status::bad_usage, why);
    auto const context = password_context(settings);
    if (!context) return fail(exit_status::failed, "cannot hash: " + context.error().message());
    auto const& policy = context->settings().policy;
    if (auto const ok = context->check_new_password(password->view()); !ok) {
        return fail(exit_status::bad_usage,
                    fmt::format("--password-stdin: {} (the policy is {} to {} bytes of UTF-8)",
                                ok.error().message(), policy.min_length, policy.max_length));
    }
    auto const hashed = context->hash(password->view());
    if (!hashed) return fail(exit_status::failed, "cannot hash: " + hashed.error().message());
    std::fputs((*hashed + "\n").c_str(), stdout);
    return code(exit_status::ok);
}

int password_commands::verify(config const& settings) const {
    std::string why;
    auto const password = read_password_stdin(&why);
    if (!password) return fail(exit_status::bad_usage, why);
    auto const context = password_context(settings);
    if (!context) return fail(exit_status::failed, "cannot verify: " + context.error().message());
    // The hash is checked first, so a mistyped one is bad usage, never a "mismatch".
    auto const scheme = context->identify(stored_hash_);
    if (!scheme) {
        return fail(exit_status::bad_usage, "--hash: " + scheme.error().message());
    }
    auto const verdict = context->verify(password->view(), stored_hash_);
    if (!verdict) {
        auto const status = verdict.error().category() == password::password_category() &&
                                    verdict.error() != password::errc::hash_failed
                                ? exit_status::bad_usage
                                : exit_status::failed;
        return fail(status, "cannot verify: " + verdict.error().message());
    }
    if (*verdict != password::verdict::match) {
        return fail(exit_status::failed, "the password does not match the hash");
    }
    std::fputs("match\n", stdout);
    if (auto const update = context->needs_update(stored_hash_);
        update && *update == password::update::rehash) {
        note(fmt::format(
            "this {} hash would be replaced by a new {} hash at the next login "
            "(old scheme, legacy variant or low cost)",
            password::name(*scheme), password::name(context->settings().default_scheme)));
    }
    return code(exit_status::ok);
}

}  // namespace warden::app::cli
