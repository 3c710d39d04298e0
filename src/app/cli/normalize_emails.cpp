#include "app/cli/normalize_emails.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <warden/auth/email.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/exit_status.hpp"
#include "app/cli/output.hpp"
#include "app/cli/run_sync.hpp"

namespace warden::app::cli {

int normalize_stored_emails(services& svc) {
    constexpr std::int64_t page_size = 1000;
    int problems = 0;
    // Ordered by id; a rewrite changes no id, so offsets stay valid from page to page.
    for (std::int64_t offset = 0;; offset += page_size) {
        auto const page = run_sync(svc.accounts->list(page_size, offset));
        if (!page) return fail(exit_status::failed, "cannot list users: " + page.error().message());
        for (auto const& u : page->items) {
            auto const normalized = auth::normalize_email(u.email);
            if (!normalized) {
                ++problems;
                note(fmt::format(
                    "user {}: the stored e-mail is not a valid address under the current rule; "
                    "change it with the admin API",
                    u.id));
                continue;
            }
            if (*normalized == u.email) continue;
            auth::account_change change;
            change.email = *normalized;
            auto const updated = run_sync(svc.accounts->update(u.id, std::move(change)));
            if (!updated) {
                ++problems;
                bool const taken = updated.error() == condition::conflict;
                note(fmt::format(
                    "user {}: {}", u.id,
                    taken ? "its normalized e-mail belongs to another account (a look-alike): "
                            "delete or rename one of them, then run this again"
                          : updated.error().message()));
                continue;
            }
            print_json(boost::json::object{{"id", u.id}, {"from", u.email}, {"to", *normalized}});
        }
        if (static_cast<std::int64_t>(page->items.size()) < page_size) break;
    }
    if (problems > 0) {
        return fail(exit_status::failed,
                    fmt::format("{} e-mail(s) could not be normalized", problems));
    }
    return code(exit_status::ok);
}

}  // namespace warden::app::cli
