#include <warden/auth/verification_floor.hpp>

#include <gtest/gtest.h>

namespace warden::auth {
namespace {

using std::chrono::milliseconds;

TEST(verification_floor, starts_at_zero_and_follows_the_slowest_verification_seen) {
    verification_floor floor;
    EXPECT_EQ(floor.floor(), verification_floor::duration::zero());
    floor.observe(milliseconds{20});
    floor.observe(milliseconds{170});
    floor.observe(milliseconds{7});
    // Decays with a one-minute half-life: within a test it is still (almost) the slowest.
    EXPECT_GT(floor.floor(), milliseconds{169});
    EXPECT_LE(floor.floor(), milliseconds{170});
}

TEST(verification_floor, calibration_covers_bcrypt_when_bcrypt_hashes_are_accepted) {
    password::options cheap;
    cheap.argon2 = {.memory_kib = 8, .iterations = 1, .parallelism = 1};
    cheap.minimum.argon2 = cheap.argon2;
    cheap.bcrypt_rounds = 10;
    verification_floor with_bcrypt;
    with_bcrypt.calibrate(cheap);
    cheap.accepted = {password::scheme::argon2id};
    verification_floor without;
    without.calibrate(cheap);
    // bcrypt-10 costs tens of ms; an 8 KiB argon2id well under one.
    EXPECT_GT(with_bcrypt.floor(), milliseconds{5});
    EXPECT_GT(with_bcrypt.floor(), 4 * without.floor());
}

}  // namespace
}  // namespace warden::auth
