#pragma once
// The verified claims of a JWT (RFC 7519 §4): typed, non-throwing accessors for the registered
// claims, typed lookups for any other top-level claim, and the whole payload as a JSON object.
// Built by `verifier::verify` without a DOM: the payload text is kept, the top-level members are
// indexed once, and `payload()` builds a `boost::json::object` only when asked.
#include <array>
#include <boost/container/small_vector.hpp>
#include <boost/json/kind.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>
#include <warden/jwt/algorithm.hpp>

namespace warden::jwt {

// The implicit moves move small_vectors of trivially copyable elements, which do not throw.
class claims {  // NOLINT(bugprone-exception-escape)
  public:
    // Defined out of line, so `claims{}` does not zero the inline buffers before constructing.
    claims() noexcept;

    // The verifier has checked the registered claims' types: these never see a wrong one.
    /// `iss` (issuer) when present.
    [[nodiscard]] std::optional<std::string_view> iss() const noexcept;
    /// `sub` (subject, e.g. the user id as a string) when present.
    [[nodiscard]] std::optional<std::string_view> sub() const noexcept;
    /// `jti` (token id) when present.
    [[nodiscard]] std::optional<std::string_view> jti() const noexcept;
    /// `scope` (space-separated scopes, RFC 8693 §4.2) when present.
    [[nodiscard]] std::optional<std::string_view> scope() const noexcept;

    /// `exp` in seconds since the epoch (fractions rounded down) when present.
    [[nodiscard]] std::optional<std::int64_t> exp() const noexcept;
    /// `nbf` in seconds since the epoch (fractions rounded down) when present.
    [[nodiscard]] std::optional<std::int64_t> nbf() const noexcept;
    /// `iat` in seconds since the epoch (fractions rounded down) when present.
    [[nodiscard]] std::optional<std::int64_t> iat() const noexcept;

    /// `aud` as a list: the string, or the strings of the array; empty when absent.
    [[nodiscard]] std::vector<std::string_view> aud() const;
    /// True when `aud` is or contains `audience`.
    [[nodiscard]] bool has_audience(std::string_view audience) const noexcept;
    /// True when the space-separated `scope` claim contains `scope_token` (RFC 8693 §4.2).
    [[nodiscard]] bool has_scope(std::string_view scope_token) const noexcept;

    /// True when the payload has a top-level member `name`.
    [[nodiscard]] bool contains(std::string_view name) const noexcept;
    /// The JSON kind of top-level member `name`, or nullopt when absent.
    [[nodiscard]] std::optional<boost::json::kind> kind_of(std::string_view name) const noexcept;
    /// Top-level member `name` when it is a string.
    [[nodiscard]] std::optional<std::string_view> get_string(std::string_view name) const noexcept;
    /// Top-level member `name` when it is an integer that fits int64 (or an integral number).
    [[nodiscard]] std::optional<std::int64_t> get_int64(std::string_view name) const noexcept;
    /// Top-level member `name` when it is any JSON number.
    [[nodiscard]] std::optional<double> get_number(std::string_view name) const noexcept;
    /// Top-level member `name` when it is true or false.
    [[nodiscard]] std::optional<bool> get_bool(std::string_view name) const noexcept;
    /// Number of top-level members.
    [[nodiscard]] std::size_t size() const noexcept { return members_.size(); }

    /// The payload exactly as signed (decoded JSON text).
    [[nodiscard]] std::string_view payload_json() const noexcept;
    /// The whole payload as an object, built on each call (nested claims, iteration).
    [[nodiscard]] boost::json::object payload() const;

    /// The algorithm of the key that verified the token.
    [[nodiscard]] algorithm alg() const noexcept { return alg_; }
    /// The verified header's `kid`; empty when absent.
    [[nodiscard]] std::string_view kid() const noexcept { return view(kid_); }
    /// The verified header's `typ`; empty when absent.
    [[nodiscard]] std::string_view typ() const noexcept { return view(typ_); }

    /// The registered claims the verifier indexes (positions in an internal table).
    enum registered_claim : std::size_t {
        c_iss,
        c_sub,
        c_aud,
        c_exp,
        c_nbf,
        c_iat,
        c_jti,
        c_scope,
        c_count
    };

  private:
    // Storage layout, filled by the parser in src/jwt through `claims_access`.
    struct text_ref {
        std::uint32_t offset;
        std::uint32_t size;
    };
    struct member {
        text_ref name{};
        boost::json::kind kind = boost::json::kind::null;
        union {
            std::int64_t i;
            std::uint64_t u;
            double d;
            bool b;
            text_ref s;
        } value{};
    };
    [[nodiscard]] std::string_view view(text_ref r) const noexcept {
        return {buffer_.data() + r.offset, r.size};
    }
    [[nodiscard]] member const* find(std::string_view name) const noexcept;
    [[nodiscard]] member const* registered(registered_claim c) const noexcept {
        auto const i = registered_[c];
        return i < 0 ? nullptr : &members_[static_cast<std::size_t>(i)];
    }
    [[nodiscard]] std::optional<std::string_view> registered_string(
        registered_claim c) const noexcept;
    [[nodiscard]] std::optional<std::int64_t> registered_date(registered_claim c) const noexcept;

    // The decoded payload, then unescaped copies of escaped strings, then kid and typ.
    boost::container::small_vector<char, 512> buffer_;
    text_ref payload_{};
    boost::container::small_vector<member, 12> members_;
    boost::container::small_vector<text_ref, 2> aud_;
    std::array<std::int32_t, c_count> registered_{-1, -1, -1, -1, -1, -1, -1, -1};  // -1: absent
    algorithm alg_ = algorithm::hs256;
    text_ref kid_{};
    text_ref typ_{};

    friend struct claims_access;
};

}  // namespace warden::jwt
