#include "app/cli/tokens.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <optional>
#include <warden/auth/scopes.hpp>
#include <warden/core/clock.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/exit_status.hpp"
#include "app/cli/output.hpp"
#include "app/cli/run_sync.hpp"
#include "app/cli/service_access.hpp"
#include "app/cli/token_inspect.hpp"
#include "app/cli/user_ref.hpp"
#include "app/config/values.hpp"

namespace warden::app::cli {
namespace {

namespace asio = boost::asio;

constexpr std::string_view config_footer =
    "Configuration options (--data-dir, --secret-key, --algorithm, --issuer, --audience,\n"
    "--access-token-ttl, ...) apply as for wardend. See 'warden --help'.";

/// A login session for the user, as the password grant starts one: the access token is recorded
/// in a new refresh-token family, so logout, password change and deactivation revoke it.
asio::awaitable<result<auth::token_response>> start_session(services& svc, store::user user,
                                                            auth::scope_list scopes) {
    co_return co_await svc.sessions->start(std::move(user), std::move(scopes));
}

}  // namespace

token_commands::token_commands(CLI::App& root) {
    group_ = root.add_subcommand("token", "Issue, decode and verify access tokens.");
    group_->require_subcommand(1)->fallthrough()->footer(std::string{config_footer});

    issue_ = group_->add_subcommand(
        "issue",
        "Issue an access token for an active user with the service's key and TTL,\n"
        "as a login would (revocable like one). Prints the token.");
    issue_->fallthrough()->footer(std::string{config_footer});
    issue_->add_option("--user", user_, "The user's id or email.")
        ->required()
        ->type_name("ID|EMAIL");
    scope_option_ = issue_->add_option(
        "--scope", scope_,
        "Scopes to carry, space- or comma-separated; each must be granted to the user.\n"
        "Default: all the user's scopes.");
    scope_option_->type_name("LIST");
    issue_
        ->add_flag("--json", json_,
                   "Print the token response as JSON instead: access_token, token_type,\n"
                   "expires_in, refresh_token, scope.")
        ->disable_flag_override();

    decode_ = group_->add_subcommand(
        "decode",
        "Print a token's header and payload as JSON, UNVERIFIED: nothing is checked\n"
        "(\"verified\": false). No key needed.");
    decode_->fallthrough();
    decode_->add_option("token", token_, "The token, or - to read it from standard input.")
        ->required()
        ->type_name("TOKEN|-");

    verify_ = group_->add_subcommand(
        "verify",
        "Verify a token's signature and claims (exp, nbf, iat, iss, aud) with the\n"
        "configured key; exit 0 and print the claims, or exit 1 with the reason.\n"
        "Does not consult the database (revocation, user state).");
    verify_->fallthrough()->footer(std::string{config_footer});
    verify_->add_option("token", token_, "The token, or - to read it from standard input.")
        ->required()
        ->type_name("TOKEN|-");
}

bool token_commands::selected() const { return group_->parsed(); }

int token_commands::run(config const& settings) const {
    if (issue_->parsed()) return issue(settings);
    if (decode_->parsed()) return decode();
    return verify(settings);
}

int token_commands::issue(config const& settings) const {
    std::string why;
    auto const ref = parse_user_ref(user_, &why);
    if (!ref) return fail(exit_status::bad_usage, "--user: " + why);
    std::optional<auth::scope_list> requested;
    if (scope_option_->count() > 0) {
        auto parsed = parse_scopes(scope_, &why);
        if (!parsed) return fail(exit_status::bad_usage, "--scope: " + why);
        requested = std::move(*parsed);
    }
    auto const svc = open_services(settings);
    if (!svc) return code(exit_status::failed);
    auto const who = describe(*ref);
    auto user = run_sync(find_user(*svc->db, *ref));
    if (!user) {
        return fail(exit_status::failed, user.error() == store::errc::not_found
                                             ? fmt::format("{}: no such user", who)
                                             : fmt::format("{}: {}", who, user.error().message()));
    }
    if (!user->is_active)
        return fail(exit_status::failed, fmt::format("{}: the user is inactive", who));
    auto scopes = requested.value_or(user->scopes);
    auth::scope_list missing;
    std::set_difference(scopes.begin(), scopes.end(), user->scopes.begin(), user->scopes.end(),
                        std::back_inserter(missing));
    if (!missing.empty()) {
        return fail(exit_status::failed, fmt::format("{}: scope not granted to the user: {}", who,
                                                     auth::join_scopes(missing)));
    }
    auto const issued = run_sync(start_session(*svc, std::move(*user), std::move(scopes)));
    if (!issued)
        return fail(exit_status::failed,
                    fmt::format("{}: cannot issue a token: {}", who, issued.error().message()));
    if (json_) {
        print_json(boost::json::object{{"access_token", issued->access_token},
                                       {"token_type", "bearer"},
                                       {"expires_in", issued->expires_in},
                                       {"refresh_token", issued->refresh_token},
                                       {"scope", issued->scope}});
    } else {
        std::fputs((issued->access_token + "\n").c_str(), stdout);
    }
    return code(exit_status::ok);
}

int token_commands::decode() const {
    std::string why;
    auto const token = token_argument(token_, &why);
    if (!token) return fail(exit_status::bad_usage, why);
    auto const decoded = decode_unverified(*token, &why);
    if (!decoded) return fail(exit_status::bad_usage, "cannot decode the token: " + why);
    print_json(*decoded);
    note("UNVERIFIED: the signature and claims were not checked (use 'warden token verify')");
    return code(exit_status::ok);
}

int token_commands::verify(config const& settings) const {
    std::string why;
    auto const token = token_argument(token_, &why);
    if (!token) return fail(exit_status::bad_usage, why);
    warden::system_clock const clock;
    auto const verifier = configured_verifier(settings, clock, &why);
    if (!verifier) return fail(exit_status::failed, why);
    auto const claims = verifier->verify(*token);
    if (!claims) return fail(exit_status::failed, "invalid token: " + claims.error().message());
    print_json(verified_view(*claims));
    return code(exit_status::ok);
}

}  // namespace warden::app::cli
