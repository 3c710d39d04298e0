#include "store/postgres/postgres_store.hpp"

#include <algorithm>
#include <thread>

#include <warden/core/redact_url.hpp>

#include "store/postgres/schema.hpp"

namespace warden::store {
namespace {

// A server that answered and refused (a wrong password, no such database or role, pg_hba.conf):
// waiting will not change its mind. Anything else (refused, unreachable, starting up, too many
// connections) may pass: retried.
bool refused_for_good(std::string_view message) noexcept {
    for (std::string_view const mark : {"password authentication failed", "no password supplied",
                                        "does not exist", "pg_hba.conf"}) {
        if (message.find(mark) != std::string_view::npos) return true;
    }
    return false;
}

}  // namespace

result<std::shared_ptr<postgres_store>> postgres_store::open(
    std::string const& url, pg_pool::options opts, std::chrono::milliseconds connect_timeout,
    std::shared_ptr<revocation_store> revocations, std::string* why) {
    // A server that is still starting (or a network not up yet) gets until connect_timeout,
    // asked again after 100 ms, 200 ms, ... at most 2 s apart.
    auto const started = std::chrono::steady_clock::now();
    auto const deadline = started + connect_timeout;
    std::chrono::milliseconds pause{100};
    std::string reason;
    for (;;) {
        auto first = pg_connection::connect(url, &reason);
        if (first) {
            if (auto r = migrate(**first, pg_migrations(), why); !r) return r.error();
            return std::make_shared<postgres_store>(url, opts, std::move(*first),
                                                    std::move(revocations));
        }
        auto const now = std::chrono::steady_clock::now();
        if (now >= deadline || refused_for_good(reason)) break;
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds{2'000});
    }
    if (why != nullptr) {
        auto const waited = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::steady_clock::now() - started);
        *why = "cannot connect to " + redact_url(url) + " (tried for " +
               std::to_string(waited.count()) + " s): " + reason;
    }
    return errc::unavailable;
}

result<void> postgres_store::ping() {
    // Ready means a login can commit: a standby or a full disk fails here as it fails writes.
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = run(**c, sql_pg::probe_write); !r) return r.error();
    if (auto r = run(**c, sql_pg::probe_erase); !r) return r.error();
    if (auto r = tx->commit(); !r) return r;
    // Revocation checks need the external list too: without it the guard answers 503.
    return external_ != nullptr ? external_->ping() : result<void>{};
}

}  // namespace warden::store
