#pragma once
#include <warden/auth/scopes.hpp>
#include <warden/auth/tokens.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

/// The authenticated caller a guarded handler receives.
struct principal {
    store::user user;     ///< the user's row as it is now
    access_claims token;  ///< what the presented access token said
    scope_list scopes;    ///< effective scopes: the token's, less any the user has lost since
};

}  // namespace warden::auth
