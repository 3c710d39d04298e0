#include "app/cli/clients.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string_view>
#include <warden/auth/clients.hpp>
#include <warden/auth/errc.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/exit_status.hpp"
#include "app/cli/field_rules.hpp"
#include "app/cli/output.hpp"
#include "app/cli/run_sync.hpp"
#include "app/cli/service_access.hpp"
#include "app/config/values.hpp"
#include "app/routes/user_json.hpp"

namespace warden::app::cli {
namespace {

constexpr std::string_view config_footer =
    "Configuration options (--data-dir, --database, ...) and WARDEN_* variables apply as for\n"
    "wardend; they may come before or after the command. See 'warden --help'.";

boost::json::array scope_array(auth::scope_list const& scopes) {
    boost::json::array out;
    for (auto const& s : scopes) out.emplace_back(s);
    return out;
}

/// A client as `list --json` shows it: never its secret or the secret's hash.
boost::json::object client_view(auth::client const& c) {
    return {{"client_id", c.client_id},
            {"scopes", scope_array(c.scopes)},
            {"created_at", rfc3339(c.created_at)},
            {"updated_at", rfc3339(c.updated_at)}};
}

int client_failure(error_code ec, std::string_view client_id) {
    if (ec == store::errc::not_found)
        return fail(exit_status::failed, fmt::format("client {}: no such client", client_id));
    if (ec == store::errc::already_exists)
        return fail(exit_status::failed, fmt::format("client {}: already exists", client_id));
    return fail(exit_status::failed, fmt::format("client {}: {}", client_id, ec.message()));
}

void print_line(std::string const& text) { std::fputs((text + "\n").c_str(), stdout); }

/// The new secret, printed once: the store keeps only its hash.
int print_secret(auth::client_with_secret const& made, bool json) {
    auto const& c = made.client;
    if (json) {
        auto view = client_view(c);
        view["client_secret"] = made.secret.view();
        print_json(view);
    } else {
        print_line(fmt::format("client_id      {}", c.client_id));
        print_line(fmt::format("client_secret  {}", made.secret.view()));
        print_line(fmt::format("scope          {}", auth::join_scopes(c.scopes)));
    }
    note("the client secret is shown only now: warden keeps only its hash");
    return code(exit_status::ok);
}

void print_table(std::vector<auth::client> const& clients) {
    std::size_t id_width = 9;
    for (auto const& c : clients) id_width = std::max(id_width, c.client_id.size());
    auto line = [&](auto const& id, auto const& created, auto const& updated, auto const& scopes) {
        auto text =
            fmt::format("{:<{}}  {:<20}  {:<20}  {}", id, id_width, created, updated, scopes);
        text.erase(text.find_last_not_of(' ') + 1);
        print_line(text);
    };
    line("CLIENT_ID", "CREATED", "UPDATED", "SCOPES");
    for (auto const& c : clients)
        line(c.client_id, rfc3339(c.created_at), rfc3339(c.updated_at),
             auth::join_scopes(c.scopes));
    print_line(fmt::format("{} clients", clients.size()));
}

}  // namespace

client_commands::client_commands(CLI::App& root) {
    group_ = root.add_subcommand(
        "client",
        "Manage OAuth2 clients (client_credentials grant, token introspection): add, list,\n"
        "delete, rotate-secret.");
    group_->require_subcommand(1)->fallthrough()->footer(std::string{config_footer});

    add_ = group_->add_subcommand(
        "add",
        "Register a client with a new secret (256 random bits), printed once: warden keeps only\n"
        "its SHA-256.");
    add_->fallthrough()->footer(std::string{config_footer});
    add_->add_option("client_id", client_id_,
                     "1 to 64 of A-Z a-z 0-9 . _ ~ - (not only digits: a token's sub of digits\n"
                     "names a user).")
        ->required()
        ->type_name("ID");
    add_->add_option("--scope,--scopes", scopes_,
                     "The scopes the client may get, space- or comma-separated (\"a b\" or a,b).\n"
                     "Default: none.")
        ->type_name("LIST");
    add_->add_flag("--json", json_, "Print the client and its secret as one JSON object.")
        ->disable_flag_override();

    list_ = group_->add_subcommand(
        "list",
        "List the clients ordered by id (never a secret or its hash): a table, or JSON lines.");
    list_->fallthrough()->footer(std::string{config_footer});
    list_->add_flag("--json", json_, "Print one JSON object per client.")->disable_flag_override();

    delete_ = group_->add_subcommand(
        "delete", "Delete a client: its secret stops working and its tokens stop being live.");
    delete_->fallthrough()->footer(std::string{config_footer});
    delete_->add_option("client_id", client_id_, "The client's id.")->required()->type_name("ID");

    rotate_ = group_->add_subcommand(
        "rotate-secret",
        "Give a client a new secret, printed once; the old one stops working at once.");
    rotate_->fallthrough()->footer(std::string{config_footer});
    rotate_->add_option("client_id", client_id_, "The client's id.")->required()->type_name("ID");
    rotate_->add_flag("--json", json_, "Print the client and its new secret as one JSON object.")
        ->disable_flag_override();
}

bool client_commands::selected() const { return group_->parsed(); }

int client_commands::run(config const& settings) const {
    if (add_->parsed()) {
        if (!auth::is_valid_client_id(client_id_)) {
            return fail(exit_status::bad_usage,
                        fmt::format("client id {}: {}", quote(client_id_),
                                    make_error_code(auth::errc::invalid_client_id).message()));
        }
        std::string why;
        auto scopes = parse_grantable_scopes(scopes_, &why);
        if (!scopes) return fail(exit_status::bad_usage, "--scope: " + why);
        auto const svc = open_services(settings);
        if (!svc) return code(exit_status::failed);
        auto made = run_sync(svc->clients->add(client_id_, std::move(*scopes)));
        if (!made) return client_failure(made.error(), client_id_);
        return print_secret(*made, json_);
    }
    auto const svc = open_services(settings);
    if (!svc) return code(exit_status::failed);
    if (list_->parsed()) {
        auto const clients = run_sync(svc->clients->list());
        if (!clients)
            return fail(exit_status::failed, "cannot list clients: " + clients.error().message());
        if (json_) {
            for (auto const& c : *clients) print_json(client_view(c));
        } else {
            print_table(*clients);
        }
        return code(exit_status::ok);
    }
    if (delete_->parsed()) {
        auto const removed = run_sync(svc->clients->remove(client_id_));
        if (!removed) return client_failure(removed.error(), client_id_);
        print_line(fmt::format("deleted client {}", client_id_));
        return code(exit_status::ok);
    }
    auto made = run_sync(svc->clients->rotate_secret(client_id_));
    if (!made) return client_failure(made.error(), client_id_);
    return print_secret(*made, json_);
}

}  // namespace warden::app::cli
