#include "app/cli/keys.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <warden/auth/signing_keys.hpp>
#include <warden/core/sealed_box.hpp>
#include <warden/jwt/algorithm.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/exit_status.hpp"
#include "app/cli/output.hpp"
#include "app/cli/service_access.hpp"
#include "app/keys.hpp"
#include "app/routes/user_json.hpp"

namespace warden::app::cli {
namespace {

constexpr std::string_view config_footer =
    "Configuration options (--data-dir, --database, --algorithm, --kek-file,\n"
    "--access-token-ttl, --token-leeway, ...) apply as for wardend. Running wardend processes\n"
    "pick up a change within their --sync-interval. See 'warden --help'.";

boost::json::value optional_date(std::optional<std::int64_t> const& at) {
    if (!at) return nullptr;
    return boost::json::string{rfc3339(*at)};
}

std::string date_or_dash(std::optional<std::int64_t> const& at) {
    return at ? rfc3339(*at) : std::string{"-"};
}

/// A key as `list --json` shows it: never any private material.
boost::json::object key_view(auth::signing_key_summary const& key) {
    return {{"kid", key.kid},
            {"algorithm", key.algorithm},
            {"state", auth::to_string(key.state)},
            {"created_at", rfc3339(key.created_at)},
            {"activated_at", optional_date(key.activated_at)},
            {"retired_at", optional_date(key.retired_at)},
            {"expires_at", optional_date(key.expires_at)}};
}

void print_table(std::vector<auth::signing_key_summary> const& keys) {
    auto line = [](auto const& kid, auto const& alg, auto const& state, auto const& created,
                   auto const& activated, auto const& retired, auto const& expires) {
        auto text = fmt::format("{:<43}  {:<5}  {:<7}  {:<20}  {:<20}  {:<20}  {}", kid, alg, state,
                                created, activated, retired, expires);
        text.erase(text.find_last_not_of(' ') + 1);
        std::fputs((text + "\n").c_str(), stdout);
    };
    line("KID", "ALG", "STATE", "CREATED", "ACTIVATED", "RETIRED", "EXPIRES");
    for (auto const& key : keys) {
        line(key.kid, key.algorithm, auth::to_string(key.state), rfc3339(key.created_at),
             date_or_dash(key.activated_at), date_or_dash(key.retired_at),
             date_or_dash(key.expires_at));
    }
}

/// The algorithm of `--algorithm` (asymmetric only), or none when not given.
result<std::optional<jwt::algorithm>> chosen_algorithm(CLI::Option const* option,
                                                       std::string const& name) {
    if (option == nullptr || option->count() == 0) return std::optional<jwt::algorithm>{};
    auto const alg = jwt::algorithm_from_string(name);
    if (!alg || jwt::is_symmetric(*alg)) return make_error_code(jwt::errc::unsupported_key);
    return std::optional<jwt::algorithm>{*alg};
}

int key_failure(config const& settings, auth::signing_keys const& keys, error_code ec,
                std::string_view what) {
    if (ec == seal_errc::not_authentic) {
        auto const loaded = keys.load();
        if (loaded && !loaded->unreadable.empty())
            return fail(exit_status::failed, unreadable_keys_message(settings, loaded->unreadable));
    }
    return fail(exit_status::failed, fmt::format("{}: {}", what, ec.message()));
}

}  // namespace

key_commands::key_commands(CLI::App& root) {
    group_ = root.add_subcommand(
        "key",
        "Manage the signing keys of the asymmetric algorithms (RS*, PS*, ES*, EdDSA):\n"
        "generate, rotate, list, retire. The keys live in the store, sealed under --kek-file.");
    group_->require_subcommand(1)->fallthrough()->footer(std::string{config_footer});

    generate_ = group_->add_subcommand(
        "generate",
        "Add a pending key: published in the JWK Set at once, signing from the next rotate.\n"
        "Prints the key as JSON.");
    generate_->fallthrough()->footer(std::string{config_footer});
    generate_algorithm_ = generate_->add_option(
        "--algorithm", algorithm_,
        "The key's algorithm (RS256 ... EdDSA). Default: the configured --algorithm.");
    generate_algorithm_->type_name("ALG");

    rotate_ = group_->add_subcommand(
        "rotate",
        "Make a new key current: the newest pending key (of --algorithm when given), or a new\n"
        "one. The previous key keeps verifying, and stays in the JWK Set, until the tokens it\n"
        "signed have expired (--access-token-ttl + --token-leeway). Prints the new key as JSON.");
    rotate_->fallthrough()->footer(std::string{config_footer});
    rotate_algorithm_ = rotate_->add_option(
        "--algorithm", algorithm_,
        "Promote a pending key of this algorithm, or generate one. Default: any pending key,\n"
        "else a new key of the configured --algorithm.");
    rotate_algorithm_->type_name("ALG");

    list_ = group_->add_subcommand(
        "list",
        "List the keys, oldest first: kid, algorithm, state (pending, current, retired,\n"
        "expired) and dates; never private material. A table, or JSON lines with --json.");
    list_->fallthrough()->footer(std::string{config_footer});
    list_->add_flag("--json", json_, "One JSON object per key and line.")->disable_flag_override();

    retire_ = group_->add_subcommand(
        "retire",
        "Withdraw a pending key, or a retired key before its expiry (a compromised key): it\n"
        "leaves the JWK Set and verifies nothing from now on. The current key cannot be\n"
        "retired: rotate first.");
    retire_->fallthrough()->footer(std::string{config_footer});
    retire_->add_option("kid", kid_, "The key's kid (see 'warden key list').")
        ->required()
        ->type_name("KID");
}

bool key_commands::selected() const { return group_->parsed(); }

int key_commands::run(config const& settings) const {
    auto const configured = jwt::algorithm_from_string(settings.algorithm);
    if (!configured || jwt::is_symmetric(*configured)) {
        return fail(exit_status::bad_usage,
                    fmt::format("--algorithm {} signs with the secret (--secret-file), which has "
                                "no key set: 'warden key' manages the keys of RS*, PS*, ES* and "
                                "EdDSA (docs/keys.md tells how to rotate an HS* secret)",
                                settings.algorithm));
    }
    auto const chosen = chosen_algorithm(generate_->parsed() ? generate_algorithm_
                                         : rotate_->parsed() ? rotate_algorithm_
                                                             : nullptr,
                                         algorithm_);
    if (!chosen) {
        return fail(exit_status::bad_usage,
                    fmt::format("--algorithm {}: not an asymmetric algorithm (RS256, RS384, "
                                "RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA)",
                                algorithm_));
    }
    auto const svc = open_services(settings);
    if (!svc) return code(exit_status::failed);
    auto const& keys = *svc->signing_keys;
    if (generate_->parsed()) {
        auto const added = keys.generate(chosen->value_or(*configured));
        if (!added) return key_failure(settings, keys, added.error(), "cannot generate a key");
        print_json(key_view(*added));
        return code(exit_status::ok);
    }
    if (rotate_->parsed()) {
        auto const rotated = keys.rotate(*chosen, *configured);
        if (!rotated) return key_failure(settings, keys, rotated.error(), "cannot rotate");
        print_json(key_view(*rotated));
        note(
            fmt::format("{} signs from now on (running wardend processes within their "
                        "--sync-interval)",
                        rotated->kid));
        return code(exit_status::ok);
    }
    if (retire_->parsed()) {
        auto const retired = keys.retire(kid_);
        if (!retired) {
            if (retired.error() == store::errc::not_found)
                return fail(exit_status::failed, fmt::format("{}: no such key", kid_));
            if (retired.error() == store::errc::wrong_state) {
                return fail(
                    exit_status::failed,
                    fmt::format("{} is the current key: run 'warden key rotate' first", kid_));
            }
            return fail(exit_status::failed,
                        fmt::format("{}: {}", kid_, retired.error().message()));
        }
        note(fmt::format("{} is withdrawn from the key set", kid_));
        return code(exit_status::ok);
    }
    auto const listed = keys.list();
    if (!listed)
        return fail(exit_status::failed, "cannot list the keys: " + listed.error().message());
    if (json_) {
        for (auto const& key : *listed) print_json(key_view(key));
    } else {
        print_table(*listed);
    }
    return code(exit_status::ok);
}

}  // namespace warden::app::cli
