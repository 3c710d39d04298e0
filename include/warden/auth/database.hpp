#pragma once
// The store backends and the bounded pool their blocking calls run on. Services write
// `co_await db.run([&] { return db.users().find_user(id); })`: the lambda runs on a pool thread,
// the coroutine resumes on its own executor. References captured by the lambda stay valid
// because the coroutine is suspended until the task has finished.
#include <utility>

#include <warden/core/work_pool.hpp>
#include <warden/store/store.hpp>

namespace warden::auth {

class database {
public:
    database(store::backends stores, work_pool& pool) : stores_(std::move(stores)), pool_(pool) {}

    template <class Task>
    [[nodiscard]] auto run(Task task) {
        return pool_.run(std::move(task));
    }

    [[nodiscard]] store::user_store& users() const noexcept { return *stores_.users; }
    [[nodiscard]] store::session_store& sessions() const noexcept { return *stores_.sessions; }
    [[nodiscard]] store::revocation_store& revocations() const noexcept { return *stores_.revocations; }
    [[nodiscard]] store::counter_store& counters() const noexcept { return *stores_.counters; }

    /// Puts every access token of a revoked family on the revocation list (blocking; call it
    /// inside `run`).
    [[nodiscard]] result<void> revoke_jtis(
        std::vector<std::pair<std::string, std::int64_t>> const& jtis) const {
        for (auto const& [jti, expires_at] : jtis) {
            auto r = stores_.revocations->revoke_jti(jti, expires_at);
            if (!r) return r;
        }
        return {};
    }

private:
    store::backends stores_;
    work_pool& pool_;
};

}  // namespace warden::auth
