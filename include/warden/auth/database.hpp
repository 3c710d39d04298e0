#pragma once
// The store backends and the bounded pools their blocking calls run on. Services write
// `co_await db.run([&] { return db.users().find_user(id); })`: the lambda runs on a pool thread,
// the coroutine resumes on its own executor. References captured by the lambda stay valid
// because the coroutine is suspended until the task has finished.
//
// The guard's per-request read goes through `lookup`, which may have a pool of its own: there
// it never queues behind a write waiting for its disk sync, and one busy thread answers a stream
// of short reads with far fewer thread wake-ups than a pool of several (measured:
// docs/benchmarks.md).
#include <utility>

#include <warden/core/work_pool.hpp>
#include <warden/store/store.hpp>

namespace warden::auth {

class database {
  public:
    database(store::backends stores, work_pool& pool) : database(std::move(stores), pool, pool) {}
    /// `lookups` runs the tasks given to `lookup`; everything else runs on `pool`.
    database(store::backends stores, work_pool& pool, work_pool& lookups)
        : stores_(std::move(stores)), pool_(pool), lookups_(lookups) {}

    template <class Task>
    [[nodiscard]] auto run(Task task) {
        return pool_.run(std::move(task));
    }

    /// As `run`, for short reads on the request path (the guard's): they must not write.
    template <class Task>
    [[nodiscard]] auto lookup(Task task) {
        return lookups_.run(std::move(task));
    }

    [[nodiscard]] store::user_store& users() const noexcept { return *stores_.users; }
    [[nodiscard]] store::session_store& sessions() const noexcept { return *stores_.sessions; }
    [[nodiscard]] store::revocation_store& revocations() const noexcept {
        return *stores_.revocations;
    }
    [[nodiscard]] store::counter_store& counters() const noexcept { return *stores_.counters; }

  private:
    store::backends stores_;
    work_pool& pool_;
    work_pool& lookups_;
};

}  // namespace warden::auth
