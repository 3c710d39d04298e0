#include "jwt/claims_parser.hpp"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <warden/core/base64url.hpp>
#include <warden/jwt/errc.hpp>

#include "jwt/base64url.hpp"
#include "jwt/claims_access.hpp"

namespace warden::jwt {

namespace json = boost::json;

namespace {

using text_ref = claims_access::text_ref;

// Which registered claim a top-level member name is, or c_count.
constexpr std::uint32_t pack3(char const* p) noexcept {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(p[0])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(p[1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(p[2])) << 16;
}

// Which registered claim a top-level member name is, or c_count.
claims::registered_claim classify(std::string_view name) noexcept {
    if (name.size() == 3) {
        switch (pack3(name.data())) {
            case pack3("exp"):
                return claims::c_exp;
            case pack3("sub"):
                return claims::c_sub;
            case pack3("iat"):
                return claims::c_iat;
            case pack3("iss"):
                return claims::c_iss;
            case pack3("aud"):
                return claims::c_aud;
            case pack3("nbf"):
                return claims::c_nbf;
            case pack3("jti"):
                return claims::c_jti;
            default:
                return claims::c_count;
        }
    }
    if (name.size() == 5 && std::memcmp(name.data(), "scope", 5) == 0) return claims::c_scope;
    return claims::c_count;
}

class claims_handler {
  public:
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    claims_handler(claims& out, std::size_t input_size, std::size_t capacity) noexcept
        : out_(out),
          base_(claims_access::buffer(out).data()),
          input_size_(input_size),
          cursor_(input_size),
          capacity_(capacity) {}

    bool duplicate = false;
    bool overflow = false;
    bool top_is_object = false;
    bool aud_is_valid = true;
    [[nodiscard]] std::size_t used() const noexcept { return cursor_; }

    bool on_document_begin(json::error_code&) noexcept { return true; }
    bool on_document_end(json::error_code&) noexcept { return true; }

    bool on_object_begin(json::error_code&) {
        if (depth_ == 0) top_is_object = true;
        begin_value_container(json::kind::object);
        ++depth_;
        level_start_.push_back(static_cast<std::uint32_t>(keys_.size()));
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        keys_.resize(level_start_.back());
        level_start_.pop_back();
        --depth_;
        return true;
    }
    bool on_array_begin(json::error_code&) {
        begin_value_container(json::kind::array);
        if (in_object() && depth_ == 1 && current_is(claims::c_aud)) in_aud_array_ = true;
        ++depth_;
        return true;
    }
    bool on_array_end(std::size_t, json::error_code&) {
        --depth_;
        if (depth_ == 1) in_aud_array_ = false;
        return true;
    }

    bool on_key_part(json::string_view s, std::size_t, json::error_code& ec) {
        return append_part(s, ec);
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        auto const ref = finish_text(s, ec);
        if (overflow) return false;
        return add_key(ref, ec);
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code& ec) {
        return append_part(s, ec);
    }
    bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
        auto const ref = finish_text(s, ec);
        if (overflow) return false;
        if (value_of_top_member()) {
            auto& m = current();
            m.kind = json::kind::string;
            m.value.s.offset = ref.offset;  // field by field: see finish_text
            m.value.s.size = ref.size;
        } else if (in_aud_array_ && depth_ == 2) {
            claims_access::aud(out_).push_back(ref);
        }
        return true;
    }
    bool on_number_part(json::string_view, json::error_code&) noexcept { return true; }
    bool on_int64(std::int64_t i, json::string_view, json::error_code&) noexcept {
        if (value_of_top_member()) {
            current().kind = json::kind::int64;
            current().value.i = i;
        }
        scalar_in_aud_array();
        return true;
    }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) noexcept {
        if (value_of_top_member()) {
            current().kind = json::kind::uint64;
            current().value.u = u;
        }
        scalar_in_aud_array();
        return true;
    }
    bool on_double(double d, json::string_view, json::error_code& ec) noexcept {
        // A number beyond the double range parses as infinity, which JSON cannot write back;
        // refused like core's strict parser does (bad_json).
        if (!std::isfinite(d)) {
            ec = json::error::exception;
            return false;
        }
        if (value_of_top_member()) {
            current().kind = json::kind::double_;
            current().value.d = d;
        }
        scalar_in_aud_array();
        return true;
    }
    bool on_bool(bool b, json::error_code&) noexcept {
        if (value_of_top_member()) {
            current().kind = json::kind::bool_;
            current().value.b = b;
        }
        scalar_in_aud_array();
        return true;
    }
    bool on_null(json::error_code&) noexcept {
        if (value_of_top_member()) current().kind = json::kind::null;
        scalar_in_aud_array();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) noexcept { return true; }
    bool on_comment(json::string_view, json::error_code&) noexcept { return true; }

  private:
    [[nodiscard]] bool in_object() const noexcept { return top_is_object; }
    [[nodiscard]] bool value_of_top_member() const noexcept { return top_is_object && depth_ == 1; }
    claims_access::member& current() noexcept { return claims_access::members(out_).back(); }
    [[nodiscard]] bool current_is(claims::registered_claim c) const noexcept {
        auto const& members = claims_access::members(out_);
        auto const i = claims_access::registered(out_)[c];
        return i >= 0 && static_cast<std::size_t>(i) + 1 == members.size();
    }
    void begin_value_container(json::kind k) noexcept {
        if (value_of_top_member()) current().kind = k;
        if (in_aud_array_ && depth_ == 2) aud_is_valid = false;  // aud: [..., {..} or [..]]
    }
    void scalar_in_aud_array() noexcept {
        if (in_aud_array_ && depth_ == 2) aud_is_valid = false;  // aud: [..., 1, true, null]
    }
    [[nodiscard]] std::string_view view(text_ref r) const noexcept {
        return {base_ + r.offset, r.size};
    }

    // Escaped strings arrive in parts; their unescaped bytes are collected after the payload.
    bool append_part(json::string_view s, json::error_code& ec) {
        if (!in_part_) {
            in_part_ = true;
            part_start_ = cursor_;
        }
        if (s.size() > capacity_ - cursor_) {
            overflow = true;
            ec = json::error::exception;
            return false;
        }
        std::memcpy(base_ + cursor_, s.data(), s.size());
        cursor_ += s.size();
        return true;
    }

    // Where the string's text is: in the payload itself when not escaped, else its unescaped
    // parts after the payload. Returned by value: a text_ref written in two halves and read back
    // whole stalls on store forwarding (measured: the largest cost of on_string once). On
    // overflow, `overflow` is set and the result is meaningless.
    text_ref finish_text(json::string_view s, json::error_code& ec) {
        auto const* p = s.data();
        if (!in_part_ && p >= base_ && p + s.size() <= base_ + input_size_) {
            return {static_cast<std::uint32_t>(p - base_), static_cast<std::uint32_t>(s.size())};
        }
        if (!append_part(s, ec)) return {};
        in_part_ = false;
        return {static_cast<std::uint32_t>(part_start_),
                static_cast<std::uint32_t>(cursor_ - part_start_)};
    }

    bool add_key(text_ref ref, json::error_code& ec) {
        // RFC 7515 §5.2 / RFC 8725 §3.5: a repeated member name is ambiguous; refuse it.
        if (value_of_top_member()) {
            // Top level: the member index itself holds the names seen so far.
            auto& members = claims_access::members(out_);
            for (auto const& m : members) {
                if (same_name(m.name, ref)) return refuse_duplicate(ec);
            }
            // Fields are written in place: building a temporary and copying it stalls on store
            // forwarding (measured: once the largest cost of this handler).
            auto& m = members.emplace_back();
            m.name.offset = ref.offset;
            m.name.size = ref.size;
            if (auto const c = classify(view(ref)); c != claims::c_count) {
                claims_access::registered(out_)[c] = static_cast<std::int32_t>(members.size() - 1);
            }
            return true;
        }
        for (std::size_t i = level_start_.back(); i < keys_.size(); ++i) {
            if (same_name(keys_[i], ref)) return refuse_duplicate(ec);
        }
        auto& entry = keys_.emplace_back();
        entry.offset = ref.offset;
        entry.size = ref.size;
        return true;
    }

    // Most distinct names already differ in size, first or last byte: compare those inline
    // before paying for a memcmp call.
    [[nodiscard]] bool same_name(text_ref a, text_ref b) const noexcept {
        if (a.size != b.size) return false;
        if (a.size == 0) return true;
        char const* pa = base_ + a.offset;
        char const* pb = base_ + b.offset;
        return pa[0] == pb[0] && pa[a.size - 1] == pb[a.size - 1] &&
               std::memcmp(pa, pb, a.size) == 0;
    }

    bool refuse_duplicate(json::error_code& ec) noexcept {
        duplicate = true;
        ec = json::error::exception;
        return false;
    }

    claims& out_;
    char* base_;
    std::size_t input_size_;
    std::size_t cursor_;
    std::size_t capacity_;
    std::size_t depth_ = 0;
    bool in_part_ = false;
    bool in_aud_array_ = false;
    std::size_t part_start_ = 0;
    boost::container::small_vector<text_ref, 24> keys_;  // names of open nested objects
    boost::container::small_vector<std::uint32_t, 8> level_start_;
};

claims_parse_result parse_in_place(claims& out, std::size_t json_size, std::size_t capacity,
                                   std::size_t max_depth) {
    json::parse_options options;
    options.max_depth = max_depth;
    json::basic_parser<claims_handler> parser{options, out, json_size, capacity};
    json::error_code ec;
    char const* const text = claims_access::buffer(out).data();
    std::size_t const used = parser.write_some(false, text, json_size, ec);
    auto& h = parser.handler();
    claims_parse_result r;
    if (!ec && used == json_size && parser.done() && h.top_is_object) {
        // The common case, decided without building error codes.
    } else if (h.duplicate) {
        r.error = make_error_code(errc::duplicate_member);
    } else if (ec == json::error::too_deep) {
        r.error = make_error_code(errc::too_deep);
    } else if (ec || used != json_size || !parser.done() || h.overflow) {
        r.error = make_error_code(errc::bad_json);
    } else if (!h.top_is_object) {
        r.error = make_error_code(errc::not_an_object);
    }
    if (r.error) return r;
    r.aud_is_valid = h.aud_is_valid;
    claims_access::payload(out) = {0, static_cast<std::uint32_t>(json_size)};
    // Keep the payload and the unescaped strings; drop the unused reserve.
    claims_access::buffer(out).resize(h.used());
    return r;
}

}  // namespace

error_code decode_claims_payload(std::string_view payload_b64, std::size_t reserve_extra,
                                 claims& out) {
    std::size_t const decoded = base64url_decoded_size(payload_b64.size());
    if (decoded > std::numeric_limits<std::uint32_t>::max() / 4)
        return make_error_code(errc::bad_base64);
    // Unescaped strings never outgrow their escaped form: twice the payload always suffices.
    std::size_t const capacity = 2 * decoded;
    auto& buffer = claims_access::buffer(out);
    buffer.reserve(capacity + reserve_extra);
    buffer.resize(capacity, boost::container::default_init);
    auto const size = detail::base64url_decode(payload_b64, buffer.data());
    if (!size) return make_error_code(errc::bad_base64);
    claims_access::payload(out) = {0, static_cast<std::uint32_t>(*size)};
    return {};
}

claims_parse_result parse_claims_payload(std::size_t max_depth, claims& out) {
    return parse_in_place(out, claims_access::payload(out).size, claims_access::buffer(out).size(),
                          max_depth);
}

claims_parse_result parse_claims_json(std::string_view json_text, std::size_t max_depth,
                                      claims& out) {
    std::size_t const capacity = 2 * json_text.size();
    if (json_text.size() > std::numeric_limits<std::uint32_t>::max() / 4) {
        return {make_error_code(errc::bad_json), true};
    }
    auto& buffer = claims_access::buffer(out);
    buffer.resize(capacity, boost::container::default_init);
    if (!json_text.empty()) std::memcpy(buffer.data(), json_text.data(), json_text.size());
    return parse_in_place(out, json_text.size(), capacity, max_depth);
}

void set_claims_header(claims& out, algorithm alg, std::string_view kid, std::string_view typ) {
    auto& buffer = claims_access::buffer(out);
    auto const at = buffer.size();
    // One resize for both values (the parser reserved room for them).
    buffer.resize(at + kid.size() + typ.size(), boost::container::default_init);
    if (!kid.empty()) std::memcpy(buffer.data() + at, kid.data(), kid.size());
    if (!typ.empty()) std::memcpy(buffer.data() + at + kid.size(), typ.data(), typ.size());
    auto const k = static_cast<std::uint32_t>(at);
    auto const kn = static_cast<std::uint32_t>(kid.size());
    claims_access::header(out, alg, text_ref{k, kn},
                          text_ref{k + kn, static_cast<std::uint32_t>(typ.size())});
}

}  // namespace warden::jwt
