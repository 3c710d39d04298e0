#include <warden/core/digest.hpp>

#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace warden {
namespace {

// FIPS 180-2 Appendix B examples.
TEST(sha256, matches_fips_180_examples) {
    EXPECT_EQ(sha256("abc"),
              test::from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    EXPECT_EQ(sha256(""),
              test::from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    EXPECT_EQ(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              test::from_hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

TEST(sha256, differs_for_different_inputs) {
    EXPECT_NE(sha256("token-a"), sha256("token-b"));
    EXPECT_EQ(sha256("token-a").size(), 32U);
}

}  // namespace
}  // namespace warden
