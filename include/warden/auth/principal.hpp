#pragma once
#include <memory>

#include <warden/auth/scopes.hpp>
#include <warden/auth/subject.hpp>
#include <warden/auth/tokens.hpp>

namespace warden::auth {

/// The authenticated caller a guarded handler receives.
struct principal {
    std::shared_ptr<subject const> user;  ///< the user as it is now (never null)
    access_claims token;                  ///< what the presented access token said
    scope_list scopes;  ///< effective scopes: the token's, less any the user has lost since
};

}  // namespace warden::auth
