#include <warden/auth/verification_floor.hpp>

#include <algorithm>
#include <cmath>

#include <warden/password/context.hpp>

namespace warden::auth {
namespace {

constexpr double half_life_seconds = 60.0;

// One dummy verification under `opts` (a default-scheme hash at the default cost), timed.
verification_floor::duration time_dummy(password::options const& opts) {
    auto ctx = password::context::create(opts);
    if (!ctx) return {};
    auto const start = std::chrono::steady_clock::now();
    (void)ctx->dummy_verify("calibration");
    return std::chrono::steady_clock::now() - start;
}

}  // namespace

void verification_floor::observe(duration took) noexcept {
    auto const now = std::chrono::steady_clock::now();
    std::lock_guard const lock{mutex_};
    auto const age = std::chrono::duration<double>(now - seen_at_).count();
    auto const decayed =
        std::chrono::duration_cast<duration>(seen_ * std::exp2(-age / half_life_seconds));
    if (took >= decayed) {
        seen_ = took;
        seen_at_ = now;
    }
}

verification_floor::duration verification_floor::floor() const noexcept {
    auto const now = std::chrono::steady_clock::now();
    std::lock_guard const lock{mutex_};
    auto const age = std::chrono::duration<double>(now - seen_at_).count();
    auto const decayed =
        std::chrono::duration_cast<duration>(seen_ * std::exp2(-age / half_life_seconds));
    return std::max(calibrated_, decayed);
}

void verification_floor::calibrate(password::options const& opts) noexcept {
    // The smaller of two runs: the cost of the work, not of a moment's load.
    auto measure = [](password::options const& o) {
        return std::min(time_dummy(o), time_dummy(o));
    };
    auto slowest = measure(opts);
    bool const bcrypt_accepted = opts.accepted.contains(password::scheme::bcrypt) ||
                                 opts.accepted.contains(password::scheme::bcrypt_sha256);
    if (bcrypt_accepted && opts.default_scheme != password::scheme::bcrypt) {
        auto as_bcrypt = opts;
        as_bcrypt.default_scheme = password::scheme::bcrypt;
        slowest = std::max(slowest, measure(as_bcrypt));
    }
    std::lock_guard const lock{mutex_};
    calibrated_ = std::max(calibrated_, slowest);
}

}  // namespace warden::auth
