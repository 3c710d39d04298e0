#include "app/cli/users.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <warden/auth/email.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/exit_status.hpp"
#include "app/cli/field_rules.hpp"
#include "app/cli/normalize_emails.hpp"
#include "app/cli/output.hpp"
#include "app/cli/password_input.hpp"
#include "app/cli/run_sync.hpp"
#include "app/cli/service_access.hpp"
#include "app/cli/user_ref.hpp"
#include "app/config/values.hpp"
#include "app/routes/user_json.hpp"

namespace warden::app::cli {
namespace {

namespace asio = boost::asio;

constexpr std::string_view config_footer =
    "Configuration options (--data-dir, --database, ...) and WARDEN_* variables apply as for\n"
    "wardend; they may come before or after the command. See 'warden --help'.";

/// Creates a user with a ready hash; the email is checked before the (slow) hash is spent.
asio::awaitable<result<store::user>> create_account(services& svc, store::new_user user,
                                                    secret_bytes password) {
    auto const existing =
        co_await svc.db->run([&]() { return svc.db->users().find_user_by_email(user.email); });
    if (existing) co_return make_error_code(store::errc::email_taken);
    if (existing.error() != store::errc::not_found) co_return existing.error();
    auto hash = co_await svc.hashes->hash(std::move(password));
    if (!hash) co_return hash.error();
    user.password_hash = std::move(*hash);
    auto const now = svc.tokens->now();
    co_return co_await svc.db->run([&]() { return svc.db->users().create_user(user, now); });
}

/// Finds the user, then applies `change` through the account service (deactivation revokes
/// every session of the user).
asio::awaitable<result<store::user>> change_account(services& svc, user_ref ref,
                                                    auth::account_change change) {
    auto const found = co_await find_user(*svc.db, ref);
    if (!found) co_return found.error();
    co_return co_await svc.accounts->update(found->id, std::move(change));
}

/// Finds the user and deletes it (with its sessions); returns the user as it was.
asio::awaitable<result<store::user>> delete_account(services& svc, user_ref ref) {
    auto found = co_await find_user(*svc.db, ref);
    if (!found) co_return found.error();
    auto const removed = co_await svc.accounts->remove(found->id);
    if (!removed) co_return removed.error();
    co_return found;
}

/// Finds the user and turns its TOTP second factor off (a lost authenticator and spent recovery
/// codes); returns the user.
asio::awaitable<result<store::user>> disable_totp(services& svc, user_ref ref) {
    auto found = co_await find_user(*svc.db, ref);
    if (!found) co_return found.error();
    auto const disabled = co_await svc.totp->disable(found->id);
    if (!disabled) co_return disabled.error();
    co_return found;
}

/// The `true|false` argument of set-active and set-verified; empty for anything else.
std::optional<bool> parse_true_false(std::string_view value) {
    if (value == "true") return true;
    if (value == "false") return false;
    return std::nullopt;
}

int not_true_false(std::string_view command, std::string const& value) {
    return fail(exit_status::bad_usage,
                fmt::format("{}: expected true or false, got {}", command, quote(value)));
}

int store_failure(error_code ec, std::string_view who) {
    if (ec == store::errc::not_found)
        return fail(exit_status::failed, fmt::format("{}: no such user", who));
    if (ec == store::errc::email_taken || ec == condition::conflict) {
        return fail(exit_status::failed, fmt::format("{}: the email is already registered", who));
    }
    return fail(exit_status::failed, fmt::format("{}: {}", who, ec.message()));
}

int print_user(result<store::user> const& user, services const& svc, std::string_view who) {
    if (!user) return store_failure(user.error(), who);
    print_json(user_view(*user, svc.hashes->hashing_context()));
    return code(exit_status::ok);
}

void print_table(store::user_page const& page, std::int64_t offset, services const& svc) {
    std::size_t email_width = 5;
    for (auto const& u : page.items) email_width = std::max(email_width, u.email.size());
    auto line = [&](auto const& id, auto const& email, auto const& active, auto const& verified,
                    auto const& scheme, auto const& created, auto const& scopes) {
        auto text = fmt::format("{:>6}  {:<{}}  {:<6}  {:<8}  {:<13}  {:<20}  {}", id, email,
                                email_width, active, verified, scheme, created, scopes);
        text.erase(text.find_last_not_of(' ') + 1);
        std::fputs((text + "\n").c_str(), stdout);
    };
    line("ID", "EMAIL", "ACTIVE", "VERIFIED", "SCHEME", "CREATED", "SCOPES");
    for (auto const& u : page.items) {
        auto const scheme = svc.hashes->hashing_context().identify(u.password_hash);
        line(u.id, u.email, u.is_active ? "yes" : "no", u.is_verified ? "yes" : "no",
             scheme ? password::name(*scheme) : std::string_view{"unknown"}, rfc3339(u.created_at),
             fmt::format("{}", fmt::join(u.scopes, " ")));
    }
    auto const first = page.items.empty() ? offset : offset + 1;
    std::fputs(fmt::format("{}-{} of {} users\n", first,
                           offset + static_cast<std::int64_t>(page.items.size()), page.total)
                   .c_str(),
               stdout);
}

}  // namespace

user_commands::user_commands(CLI::App& root) {
    group_ = root.add_subcommand("user",
                                 "Manage users: add, list, show, set-active, set-verified,\n"
                                 "set-scopes, disable-totp, delete, normalize-emails.");
    group_->require_subcommand(1)->fallthrough()->footer(std::string{config_footer});

    add_ = group_->add_subcommand(
        "add",
        "Create a user; the password is read from the first line of standard input.\n"
        "Prints the user as JSON.");
    add_->fallthrough()->footer(std::string{config_footer});
    add_->add_option("--email", email_, "Email address (unique, case-insensitively).")->required();
    add_->add_option("--full-name", full_name_,
                     "Full name (at most 200 characters, no control characters or line breaks).")
        ->type_name("NAME");
    scopes_option_ = add_->add_option(
        "--scopes", scopes_,
        "Granted scopes, space- or comma-separated (\"admin users:read\" or admin,users:read).\n"
        "Default: the configured --default-scopes.");
    scopes_option_->type_name("LIST");
    add_->add_flag("--inactive", inactive_, "Create the user deactivated.")
        ->disable_flag_override();
    add_->add_flag("--verified", verified_,
                   "Create the user with its e-mail address verified (no verification mail\n"
                   "needed to log in under --require-verified-email).")
        ->disable_flag_override();
    add_->add_flag("--password-stdin", password_stdin_,
                   "Required: read the password from standard input (never from the command line).")
        ->required()
        ->disable_flag_override();

    list_ = group_->add_subcommand(
        "list", "List users ordered by id: one JSON object per line, or a table with --table.");
    list_->fallthrough()->footer(std::string{config_footer});
    list_->add_option("--limit", limit_, "At most N users (1 to 100000).")
        ->capture_default_str()
        ->type_name("N")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000}));
    list_->add_option("--offset", offset_, "Skip the first N users.")
        ->capture_default_str()
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    list_->add_flag("--table", table_, "Print an aligned table for people instead of JSON lines.")
        ->disable_flag_override();

    show_ = group_->add_subcommand("show", "Print one user as JSON.");
    show_->fallthrough()->footer(std::string{config_footer});
    show_->add_option("user", user_, "The user's id or email.")->required()->type_name("ID|EMAIL");

    set_active_ = group_->add_subcommand(
        "set-active",
        "Activate or deactivate a user; deactivation revokes every session.\n"
        "Prints the user as JSON.");
    set_active_->fallthrough()->footer(std::string{config_footer});
    set_active_->add_option("user", user_, "The user's id or email.")
        ->required()
        ->type_name("ID|EMAIL");
    set_active_->add_option("active", active_, "true or false.")
        ->required()
        ->type_name("true|false");

    set_verified_ = group_->add_subcommand(
        "set-verified",
        "Mark a user's e-mail address verified or not (as PATCH /api/users/{id} with\n"
        "is_verified). Prints the user as JSON.");
    set_verified_->fallthrough()->footer(std::string{config_footer});
    set_verified_->add_option("user", user_, "The user's id or email.")
        ->required()
        ->type_name("ID|EMAIL");
    set_verified_->add_option("verified", verified_arg_, "true or false.")
        ->required()
        ->type_name("true|false");

    set_scopes_ = group_->add_subcommand(
        "set-scopes",
        "Replace a user's granted scopes (\"\" grants none). Prints the user as JSON.");
    set_scopes_->fallthrough()->footer(std::string{config_footer});
    set_scopes_->add_option("user", user_, "The user's id or email.")
        ->required()
        ->type_name("ID|EMAIL");
    set_scopes_->add_option("scopes", scopes_, "Scopes, space- or comma-separated.")
        ->required()
        ->type_name("LIST");

    normalize_emails_ = group_->add_subcommand(
        "normalize-emails",
        "Rewrite e-mails stored before the normalization rule into the form logins use now\n"
        "(prints {\"id\", \"from\", \"to\"} per change; exit 1 if a look-alike collides).");
    normalize_emails_->fallthrough()->footer(std::string{config_footer});

    disable_totp_ = group_->add_subcommand(
        "disable-totp",
        "Turn a user's TOTP second factor off, for a user who lost the authenticator and the\n"
        "recovery codes (exit 1 if it is off). Prints the user as JSON.");
    disable_totp_->fallthrough()->footer(std::string{config_footer});
    disable_totp_->add_option("user", user_, "The user's id or email.")
        ->required()
        ->type_name("ID|EMAIL");

    delete_ = group_->add_subcommand(
        "delete", "Delete a user and its sessions. Prints the deleted user as JSON.");
    delete_->fallthrough()->footer(std::string{config_footer});
    delete_->add_option("user", user_, "The user's id or email.")
        ->required()
        ->type_name("ID|EMAIL");
}

bool user_commands::selected() const { return group_->parsed(); }

int user_commands::run(config const& settings) const {
    std::string why;
    if (add_->parsed()) {
        auto email = auth::normalize_email(email_);
        if (!email) {
            return fail(exit_status::bad_usage,
                        fmt::format("--email: {} is not a valid email address", quote(email_)));
        }
        if (auto const problem = full_name_problem(full_name_); !problem.empty()) {
            return fail(exit_status::bad_usage, "--full-name: " + problem);
        }
        auto scopes = settings.default_scopes;
        if (scopes_option_->count() > 0) {
            auto parsed = parse_grantable_scopes(scopes_, &why);
            if (!parsed) return fail(exit_status::bad_usage, "--scopes: " + why);
            scopes = std::move(*parsed);
        }
        auto password = read_password_stdin(&why);
        if (!password) return fail(exit_status::bad_usage, why);
        auto const svc = open_services(settings);
        if (!svc) return code(exit_status::failed);
        auto const& policy = svc->hashes->hashing_context().settings().policy;
        if (auto const ok = svc->hashes->hashing_context().check_new_password(password->view());
            !ok) {
            return fail(exit_status::bad_usage,
                        fmt::format("--password-stdin: {} (the policy is {} to {} bytes of UTF-8)",
                                    ok.error().message(), policy.min_length, policy.max_length));
        }
        store::new_user user{*email, {}, full_name_, !inactive_, std::move(scopes), verified_};
        auto const created = run_sync(create_account(*svc, std::move(user), std::move(*password)));
        return print_user(created, *svc, *email);
    }

    if (list_->parsed()) {
        auto const svc = open_services(settings);
        if (!svc) return code(exit_status::failed);
        auto const page = run_sync(svc->accounts->list(limit_, offset_));
        if (!page) return fail(exit_status::failed, "cannot list users: " + page.error().message());
        if (table_) {
            print_table(*page, offset_, *svc);
        } else {
            for (auto const& u : page->items)
                print_json(user_view(u, svc->hashes->hashing_context()));
        }
        return code(exit_status::ok);
    }

    if (normalize_emails_->parsed()) {
        auto const svc = open_services(settings);
        if (!svc) return code(exit_status::failed);
        return normalize_stored_emails(*svc);
    }

    auto const ref = parse_user_ref(user_, &why);
    if (!ref) return fail(exit_status::bad_usage, why);
    auth::account_change change;
    if (set_active_->parsed()) {
        change.is_active = parse_true_false(active_);
        if (!change.is_active) return not_true_false("set-active", active_);
    }
    if (set_verified_->parsed()) {
        change.is_verified = parse_true_false(verified_arg_);
        if (!change.is_verified) return not_true_false("set-verified", verified_arg_);
    }
    if (set_scopes_->parsed()) {
        auto parsed = parse_grantable_scopes(scopes_, &why);
        if (!parsed) return fail(exit_status::bad_usage, "scopes: " + why);
        change.scopes = std::move(*parsed);
    }
    auto const svc = open_services(settings);
    if (!svc) return code(exit_status::failed);
    auto const who = describe(*ref);
    if (show_->parsed()) return print_user(run_sync(find_user(*svc->db, *ref)), *svc, who);
    if (delete_->parsed()) return print_user(run_sync(delete_account(*svc, *ref)), *svc, who);
    if (disable_totp_->parsed()) return print_user(run_sync(disable_totp(*svc, *ref)), *svc, who);
    return print_user(run_sync(change_account(*svc, *ref, std::move(change))), *svc, who);
}

}  // namespace warden::app::cli
