#include "app/cli/import_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/system/errc.hpp>
#include <map>
#include <warden/auth/email.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/field_rules.hpp"
#include "app/config/values.hpp"

namespace warden::app::cli {
namespace {

std::string ascii_lower(std::string_view text) {
    std::string out{text};
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::optional<bool> parse_active(std::string_view text) {
    auto const value = ascii_lower(text);
    if (value.empty() || value == "true" || value == "1" || value == "yes") return true;
    if (value == "false" || value == "0" || value == "no") return false;
    return std::nullopt;
}

/// The problem with one row, or empty; `seen` maps lower-cased emails to the row that has it.
std::string check_row(import_row const& row, password::context const& hashing,
                      store::user_store& users,
                      std::map<std::string, std::string, std::less<>>& seen, store::new_user& out) {
    auto email = auth::normalize_email(row.email);
    if (!email) return fmt::format("invalid email {}", quote(row.email));
    // The stored form is unique ignoring ASCII case, as the store compares it.
    auto const key = ascii_lower(*email);
    if (auto const [it, fresh] = seen.emplace(key, row.where); !fresh) {
        return fmt::format("email {} repeats {}", quote(row.email), it->second);
    }
    if (row.hash.empty()) return "no password hash";
    // Never quote the hash: a reason only.
    if (auto const scheme = hashing.identify(row.hash); !scheme) {
        return fmt::format("password hash not usable: {}", scheme.error().message());
    }
    std::vector<std::string> scopes;
    if (row.scopes) {
        std::string why;
        auto parsed = parse_grantable_scopes(*row.scopes, &why);
        if (!parsed) return "scopes: " + why;
        scopes = std::move(*parsed);
    }
    std::string full_name = row.full_name.value_or("");
    if (auto const problem = full_name_problem(full_name); !problem.empty())
        return "full_name: " + problem;
    auto const active = parse_active(row.is_active.value_or(""));
    if (!active)
        return fmt::format("is_active: expected true/false, 1/0 or yes/no, got {}",
                           quote(*row.is_active));
    auto const existing = users.find_user_by_email(*email);
    if (existing)
        return fmt::format("email {} is already registered (user {})", quote(row.email),
                           existing->id);
    if (existing.error() != store::errc::not_found) {
        return fmt::format("cannot look up the email: {}", existing.error().message());
    }
    out = store::new_user{std::move(*email), row.hash, std::move(full_name), *active,
                          std::move(scopes)};
    return {};
}

}  // namespace

result<std::vector<store::new_user>> check_rows(std::vector<import_row> const& rows,
                                                password::context const& hashing,
                                                store::user_store& users, import_problems& problems,
                                                std::size_t max_problems) {
    std::vector<store::new_user> checked;
    checked.reserve(rows.size());
    std::map<std::string, std::string, std::less<>> seen;
    std::size_t refused = 0;
    for (auto const& row : rows) {
        store::new_user user;
        auto problem = check_row(row, hashing, users, seen, user);
        if (problem.empty()) {
            checked.push_back(std::move(user));
            continue;
        }
        if (++refused <= max_problems)
            problems.push_back(fmt::format("{}: {}", row.where, problem));
    }
    if (refused > max_problems)
        problems.push_back(fmt::format("... and {} more refused rows", refused - max_problems));
    if (refused > 0) return make_error_code(boost::system::errc::invalid_argument);
    return checked;
}

result<std::vector<store::user>> insert_all(std::vector<store::new_user> const& users,
                                            std::vector<import_row> const& rows,
                                            store::user_store& store, std::int64_t now,
                                            std::string* why) {
    // One transaction: the import is all or nothing, also when the process dies half-way.
    std::size_t failed_at = 0;
    auto created = store.create_users(users, now, &failed_at);
    if (!created && why != nullptr) {
        auto const reason = created.error() == store::errc::email_taken
                                ? std::string{"the email was registered meanwhile"}
                                : created.error().message();
        auto const where = failed_at < rows.size() ? rows[failed_at].where : std::string{"a row"};
        *why = fmt::format("{}: {}; nothing was imported", where, reason);
    }
    return created;
}

}  // namespace warden::app::cli
