// argon2's working memory is cached between hashes and given back on request.
#include <warden/password/memory.hpp>

#include <gtest/gtest.h>

#include "password/argon2.hpp"

namespace warden::password {
namespace {

constexpr argon2_params small{.memory_kib = 256, .iterations = 1, .parallelism = 1};

TEST(hash_memory, a_hash_leaves_its_block_cached_and_release_gives_it_back) {
    release_hash_memory();
    ASSERT_EQ(cached_hash_memory(), 0U);
    auto const hashed = hash_argon2id("correct horse", small);
    ASSERT_TRUE(hashed.has_value());
    EXPECT_EQ(cached_hash_memory(), 256U * 1024);

    // The next hash of the same cost reuses the block instead of mapping another.
    auto const parsed = parse_argon2(*hashed);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(verify_argon2(*parsed, "correct horse").value(), verdict::match);
    EXPECT_EQ(cached_hash_memory(), 256U * 1024);

    EXPECT_EQ(release_hash_memory(), 256U * 1024);
    EXPECT_EQ(cached_hash_memory(), 0U);
    EXPECT_EQ(release_hash_memory(), 0U);
    // Hashing still works after a release (a fresh block is mapped).
    EXPECT_EQ(verify_argon2(*parsed, "correct horsE").value(), verdict::mismatch);
    EXPECT_EQ(cached_hash_memory(), 256U * 1024);
}

TEST(hash_memory, blocks_of_different_costs_are_kept_apart) {
    release_hash_memory();
    ASSERT_TRUE(hash_argon2id("a password", small).has_value());
    ASSERT_TRUE(hash_argon2id("a password", {.memory_kib = 512, .iterations = 1, .parallelism = 1})
                    .has_value());
    EXPECT_EQ(cached_hash_memory(), (256U + 512U) * 1024);
    EXPECT_EQ(release_hash_memory(), (256U + 512U) * 1024);
}

}  // namespace
}  // namespace warden::password
