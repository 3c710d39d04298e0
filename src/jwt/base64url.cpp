#include "jwt/base64url.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define WARDEN_JWT_AVX2 1
#endif

namespace warden::jwt::detail {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint32_t bad = 0x01000000;  // above any 24-bit group: marks a foreign character

// One table per position in a 4-character group, each entry already shifted into place, so a
// group decodes with four lookups and three ORs, and validity is one test on the OR of them all.
struct decode_tables {
    std::array<std::array<std::uint32_t, 256>, 4> at{};
};
constexpr decode_tables make_tables() {
    decode_tables t{};
    for (auto& row : t.at) row.fill(bad);
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        auto const c = static_cast<unsigned char>(alphabet[i]);
        for (std::size_t pos = 0; pos < 4; ++pos) {
            t.at[pos][c] = static_cast<std::uint32_t>(i) << (18 - 6 * pos);
        }
    }
    return t;
}
constexpr decode_tables tables = make_tables();

inline std::uint32_t group(std::uint32_t chars) noexcept {
    auto const& t = tables.at;
    // `chars` holds four characters in memory order (little-endian load).
    return t[0][chars & 0xff] | t[1][chars >> 8 & 0xff] | t[2][chars >> 16 & 0xff] |
           t[3][chars >> 24];
}

inline void put3(char* out, std::uint32_t v) noexcept {
    out[0] = static_cast<char>(v >> 16 & 0xff);
    out[1] = static_cast<char>(v >> 8 & 0xff);
    out[2] = static_cast<char>(v & 0xff);
}

#ifdef WARDEN_JWT_AVX2
__attribute__((target("avx2"))) inline __m256i in_range(__m256i c, char lo, char hi) noexcept {
    return _mm256_and_si256(_mm256_cmpgt_epi8(c, _mm256_set1_epi8(static_cast<char>(lo - 1))),
                            _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(hi + 1)), c));
}

// 32 characters -> 24 bytes (the Mula-Lemire packing with range-compare translation for the URL
// alphabet); exactly 24 bytes are stored. `valid` is cleared when a character is outside the
// alphabet.
__attribute__((target("avx2"))) inline void decode_block(unsigned char const* s, char* out,
                                                         __m256i& all_valid) noexcept {
    __m256i const pack_bytes =
        _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2, 1, 0, 6, 5, 4,
                         10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    __m256i const pack_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    __m256i const c = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(s));
    __m256i const upper = in_range(c, 'A', 'Z');
    __m256i const lower = in_range(c, 'a', 'z');
    __m256i const digit = in_range(c, '0', '9');
    __m256i const dash = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('-'));
    __m256i const under = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('_'));
    all_valid = _mm256_and_si256(
        all_valid, _mm256_or_si256(_mm256_or_si256(upper, lower),
                                   _mm256_or_si256(digit, _mm256_or_si256(dash, under))));
    // Value = char + offset: A-Z -65, a-z -71, 0-9 +4, '-' +17, '_' -32.
    __m256i offset = _mm256_and_si256(upper, _mm256_set1_epi8(-65));
    offset = _mm256_or_si256(offset, _mm256_and_si256(lower, _mm256_set1_epi8(-71)));
    offset = _mm256_or_si256(offset, _mm256_and_si256(digit, _mm256_set1_epi8(4)));
    offset = _mm256_or_si256(offset, _mm256_and_si256(dash, _mm256_set1_epi8(17)));
    offset = _mm256_or_si256(offset, _mm256_and_si256(under, _mm256_set1_epi8(-32)));
    __m256i const values = _mm256_add_epi8(c, offset);
    // 00aaaaaa 00bbbbbb -> aaaaaabbbbbb per 16 bits, then two of those -> 24 bits per 32.
    __m256i const ab = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
    __m256i const abcd = _mm256_madd_epi16(ab, _mm256_set1_epi32(0x00011000));
    __m256i const packed =
        _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(abcd, pack_bytes), pack_lanes);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 16), _mm256_extracti128_si256(packed, 1));
}

// Decodes every complete 4-character group of `s` (at least 32 characters): 32 at a time, and a
// last block overlapping the previous one when the groups do not fill it (it rewrites the same
// bytes). Returns the characters consumed; `valid` is false when any is outside the alphabet.
__attribute__((target("avx2"))) std::size_t decode_avx2(unsigned char const* s, std::size_t n,
                                                        char* out, bool& valid) noexcept {
    __m256i all_valid = _mm256_set1_epi8(-1);
    std::size_t const full = n / 4 * 4;
    std::size_t i = 0;
    for (; i + 32 <= full; i += 32) decode_block(s + i, out + i / 4 * 3, all_valid);
    if (i < full) decode_block(s + full - 32, out + (full - 32) / 4 * 3, all_valid);
    valid = _mm256_movemask_epi8(all_valid) == -1;
    return full;
}

bool const have_avx2 = __builtin_cpu_supports("avx2");
#endif

}  // namespace

std::optional<std::size_t> base64url_decode(std::string_view in, char* out) noexcept {
    std::size_t const n = in.size();
    if (n % 4 == 1) return std::nullopt;
    auto const* s = reinterpret_cast<unsigned char const*>(in.data());
    std::uint32_t seen = 0;
    std::size_t i = 0;
    std::size_t o = 0;
#ifdef WARDEN_JWT_AVX2
    if (n >= 32 && have_avx2) {
        bool valid = true;
        i = decode_avx2(s, n, out, valid);
        if (!valid) return std::nullopt;
        o = i / 4 * 3;
    }
#endif
    for (; i + 8 <= n; i += 8, o += 6) {
        std::uint64_t w;
        std::memcpy(&w, s + i, 8);
        std::uint32_t const v1 = group(static_cast<std::uint32_t>(w));
        std::uint32_t const v2 = group(static_cast<std::uint32_t>(w >> 32));
        seen |= v1 | v2;
        put3(out + o, v1);
        put3(out + o + 3, v2);
    }
    if (i + 4 <= n) {
        std::uint32_t w;
        std::memcpy(&w, s + i, 4);
        std::uint32_t const v = group(w);
        seen |= v;
        put3(out + o, v);
        i += 4;
        o += 3;
    }
    auto const& t = tables.at;
    std::size_t const rest = n - i;
    if (rest == 2) {
        std::uint32_t const v = t[0][s[i]] | t[1][s[i + 1]];
        // RFC 4648 §3.5: the 4 unused low bits must be zero (one canonical encoding).
        if ((v & 0xffff) != 0) return std::nullopt;
        seen |= v;
        out[o++] = static_cast<char>(v >> 16 & 0xff);
    } else if (rest == 3) {
        std::uint32_t const v = t[0][s[i]] | t[1][s[i + 1]] | t[2][s[i + 2]];
        if ((v & 0xff) != 0) return std::nullopt;  // 2 unused bits
        seen |= v;
        out[o++] = static_cast<char>(v >> 16 & 0xff);
        out[o++] = static_cast<char>(v >> 8 & 0xff);
    }
    if ((seen & bad) != 0) return std::nullopt;
    return o;
}

std::size_t base64url_encode(std::string_view in, char* out) noexcept {
    auto const* s = reinterpret_cast<unsigned char const*>(in.data());
    std::size_t const n = in.size();
    std::size_t i = 0;
    std::size_t o = 0;
    for (; i + 3 <= n; i += 3) {
        std::uint32_t const v = std::uint32_t{s[i]} << 16 | std::uint32_t{s[i + 1]} << 8 | s[i + 2];
        out[o] = alphabet[v >> 18 & 63];
        out[o + 1] = alphabet[v >> 12 & 63];
        out[o + 2] = alphabet[v >> 6 & 63];
        out[o + 3] = alphabet[v & 63];
        o += 4;
    }
    if (n - i == 1) {
        std::uint32_t const v = std::uint32_t{s[i]} << 16;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
    } else if (n - i == 2) {
        std::uint32_t const v = std::uint32_t{s[i]} << 16 | std::uint32_t{s[i + 1]} << 8;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
    }
    return o;
}

}  // namespace warden::jwt::detail
