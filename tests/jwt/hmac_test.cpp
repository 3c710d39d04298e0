// openssl::hmac composes RFC 2104 from EVP digests (keyed pad states copied per call); these
// tests hold it to OpenSSL's own EVP_MAC "HMAC" for every key length around the block sizes, and
// from many threads at once.
#include "jwt/openssl/hmac.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace warden::jwt::openssl {
namespace {

// The reference: a one-shot EVP_MAC HMAC.
std::string reference_mac(hash h, std::string const& key, std::string const& data) {
    char const* name = h == hash::sha256 ? "SHA256" : h == hash::sha384 ? "SHA384" : "SHA512";
    std::array<unsigned char, hmac::max_size> out{};
    std::size_t size = 0;
    static unsigned char const empty = 0;
    auto const* k = key.empty() ? &empty : reinterpret_cast<unsigned char const*>(key.data());
    EXPECT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, name, nullptr, k, key.size(),
                        reinterpret_cast<unsigned char const*>(data.data()), data.size(),
                        out.data(), out.size(), &size),
              nullptr);
    return {reinterpret_cast<char const*>(out.data()), size};
}

std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed * 17 + 7) & 0xff);
    return s;
}

std::string compute(hmac const& mac, std::string const& data) {
    std::array<unsigned char, hmac::max_size> out{};
    EXPECT_TRUE(mac.compute(data, out.data()));
    return {reinterpret_cast<char const*>(out.data()), mac.size()};
}

TEST(jwt_hmac, agrees_with_evp_mac_for_every_key_length_around_the_block) {
    for (hash const h : {hash::sha256, hash::sha384, hash::sha512}) {
        // 0 .. 300 bytes crosses both block sizes (64, 128) and the hash-the-key rule.
        for (std::size_t key_size = 0; key_size <= 300; ++key_size) {
            std::string const key = pattern(key_size, 1);
            auto const mac = hmac::create(h, key);
            ASSERT_TRUE(mac.has_value());
            EXPECT_EQ(mac->size(), hash_bytes(h));
            for (std::size_t const data_size : {0U, 1U, 55U, 56U, 64U, 77U, 128U, 231U, 1000U}) {
                std::string const data = pattern(data_size, static_cast<unsigned>(key_size));
                std::string const expected = reference_mac(h, key, data);
                ASSERT_EQ(compute(*mac, data), expected) << key_size << ' ' << data_size;
                EXPECT_TRUE(mac->verify(data, expected));
                std::string wrong = expected;
                wrong[wrong.size() / 2] = static_cast<char>(wrong[wrong.size() / 2] ^ 1);
                EXPECT_FALSE(mac->verify(data, wrong));
                EXPECT_FALSE(mac->verify(data, expected.substr(0, expected.size() - 1)));
            }
        }
    }
}

TEST(jwt_hmac, keys_of_different_hashes_interleave_on_one_thread_and_across_threads) {
    std::vector<hmac> macs;
    std::vector<std::string> expected;
    std::string const data = pattern(77, 3);
    for (hash const h : {hash::sha256, hash::sha384, hash::sha512, hash::sha256}) {
        std::string const key = pattern(40 + macs.size(), static_cast<unsigned>(macs.size()));
        macs.push_back(std::move(*hmac::create(h, key)));
        expected.push_back(reference_mac(h, key, data));
    }
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                std::size_t const k = static_cast<std::size_t>(i + t) % macs.size();
                if (!macs[k].verify(data, expected[k])) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace warden::jwt::openssl
