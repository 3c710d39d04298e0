#pragma once
// How soon a failed login may answer. Verifying a legacy bcrypt-12 hash takes ten times as long
// as an argon2id one, and a pbkdf2 one a third of it: without a floor, the time of one wrong
// password tells an imported account from a current one and both from an unknown email (which
// costs one default-scheme verification). So every failed password check answers no sooner than
// the slowest verification the context accepts at its configured costs (measured once, off the
// request path: `calibrate`) or than the slowest one seen recently (a legacy hash with a higher
// cost raises the floor; the excess decays with a half-life of a minute, so a burst of load
// does not slow failures down for good).
#include <chrono>
#include <mutex>

#include <warden/password/options.hpp>

namespace warden::auth {

class verification_floor {
  public:
    using duration = std::chrono::steady_clock::duration;

    /// Records how long one verification took.
    void observe(duration took) noexcept;
    /// The time a failed check may not answer before, measured from its start.
    [[nodiscard]] duration floor() const noexcept;

    /// Measures (blocking, ~two verifications) the slowest verification `opts` accepts at its
    /// configured costs: the default scheme's, and bcrypt's at `bcrypt_rounds` when bcrypt or
    /// bcrypt_sha256 hashes are accepted. Raises the floor to it.
    void calibrate(password::options const& opts) noexcept;

  private:
    mutable std::mutex mutex_;
    duration calibrated_{};
    duration seen_{};  ///< the slowest recent verification, decaying
    std::chrono::steady_clock::time_point seen_at_{};
};

}  // namespace warden::auth
