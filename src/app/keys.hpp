#pragma once
// The signing key of the service: an HS* secret (given, read from the secret file, or generated
// there on first start) or an asymmetric private key (read from, or generated into, the signing
// key file). Generated files are created 0600 and never overwritten.
#include <warden/jwt/key.hpp>

#include "app/config/config.hpp"
#include "app/services.hpp"

namespace warden::app {

/// Throws `startup_error` (unreadable or invalid file, short secret, unwritable directory).
[[nodiscard]] jwt::key load_signing_key(config const& settings, notice_sink const& notice);

}  // namespace warden::app
