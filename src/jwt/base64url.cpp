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
// 32 characters -> 24 bytes (Mula and Lemire, "Faster Base64 Encoding and Decoding using AVX2
// Instructions", 2018, adapted to the URL alphabet); exactly 24 bytes are stored.
//
// Validity: each character is classified by its high nibble (one bit per class) and its low
// nibble (the classes for which that low nibble is not in the alphabet); the AND of the two is
// non-zero exactly for a foreign character, and is ORed into `foreign`. Classes: 0x2_ ('-' only),
// 0x3_ (0-9), 0x4_/0x6_ (A-O, a-o), 0x5_ (P-Z, '_'), 0x7_ (p-z), and every other high nibble.
// Value: the character plus an offset chosen by its high nibble, and +33 more for '_' (the only
// character whose high nibble it shares with letters: 0x5F - 65 + 33 = 63).
__attribute__((target("avx2"))) inline void decode_block(unsigned char const* s, char* out,
                                                         __m256i& foreign) noexcept {
    __m256i const lut_lo =
        _mm256_setr_epi8(0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x23, 0x3b,
                         0x3b, 0x3a, 0x3b, 0x33, 0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21,
                         0x21, 0x21, 0x23, 0x3b, 0x3b, 0x3a, 0x3b, 0x33);
    __m256i const lut_hi =
        _mm256_setr_epi8(0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0x20, 0x20, 0x20, 0x20,
                         0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10,
                         0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20);
    __m256i const lut_offset =
        _mm256_setr_epi8(0, 0, 17, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 4, -65,
                         -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    __m256i const pack_bytes =
        _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2, 1, 0, 6, 5, 4,
                         10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    __m256i const pack_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    __m256i const nibble = _mm256_set1_epi8(0x0f);
    __m256i const c = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(s));
    __m256i const hi = _mm256_and_si256(_mm256_srli_epi32(c, 4), nibble);
    __m256i const lo = _mm256_and_si256(c, nibble);
    foreign = _mm256_or_si256(foreign, _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo),
                                                        _mm256_shuffle_epi8(lut_hi, hi)));
    __m256i const underscore =
        _mm256_and_si256(_mm256_cmpeq_epi8(c, _mm256_set1_epi8('_')), _mm256_set1_epi8(33));
    __m256i const values =
        _mm256_add_epi8(_mm256_add_epi8(c, _mm256_shuffle_epi8(lut_offset, hi)), underscore);
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
    __m256i foreign = _mm256_setzero_si256();
    std::size_t const full = n / 4 * 4;
    std::size_t i = 0;
    for (; i + 32 <= full; i += 32) decode_block(s + i, out + i / 4 * 3, foreign);
    if (i < full) decode_block(s + full - 32, out + (full - 32) / 4 * 3, foreign);
    valid = _mm256_testz_si256(foreign, foreign) != 0;
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
