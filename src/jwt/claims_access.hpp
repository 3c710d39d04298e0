#pragma once
// The module's view into `claims` storage (the parser fills it, the verifier reads it).
#include <string_view>
#include <warden/jwt/claims.hpp>

namespace warden::jwt {

struct claims_access {
    using text_ref = claims::text_ref;
    using member = claims::member;
    static auto& buffer(claims& c) noexcept { return c.buffer_; }
    static auto& payload(claims& c) noexcept { return c.payload_; }
    static auto& members(claims& c) noexcept { return c.members_; }
    static auto const& members(claims const& c) noexcept { return c.members_; }
    static auto& aud(claims& c) noexcept { return c.aud_; }
    static auto& registered(claims& c) noexcept { return c.registered_; }
    static auto const& registered(claims const& c) noexcept { return c.registered_; }
    static claims::member const* registered(claims const& c, claims::registered_claim r) noexcept {
        return c.registered(r);
    }
    static std::string_view view(claims const& c, claims::text_ref r) noexcept { return c.view(r); }
    static void header(claims& c, algorithm alg, claims::text_ref kid,
                       claims::text_ref typ) noexcept {
        c.alg_ = alg;
        c.kid_ = kid;
        c.typ_ = typ;
    }
};

}  // namespace warden::jwt
