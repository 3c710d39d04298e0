#pragma once
// The keys of the service. HS*: a secret (given, read from the secret file, or generated there on
// first start). Asymmetric algorithms: signing keys kept in the store, sealed under the
// key-encryption key (`--kek-file`, generated on first use); an existing `--signing-key-file`
// is imported on first start. Generated files are created 0600 and never overwritten.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <warden/auth/signing_keys.hpp>
#include <warden/core/secret.hpp>
#include <warden/jwt/key.hpp>

#include "app/config/config.hpp"
#include "app/services.hpp"

namespace warden::app {

/// The HS* key of the secret (given, read, or generated into the secret file). Throws
/// `startup_error` (unreadable file, short secret, unwritable directory, not an HS* algorithm).
[[nodiscard]] jwt::key load_secret_key(config const& settings, notice_sink const& notice);

/// The private key in `--signing-key-file`, named by its thumbprint; none when the file does not
/// exist. Throws `startup_error` (unreadable, not a key of the algorithm).
[[nodiscard]] std::optional<jwt::key> read_signing_key_file(config const& settings,
                                                            notice_sink const& notice);

/// The 32-byte key-encryption key in `--kek-file` (64 hex characters), generated there (mode
/// 0600) when missing. Throws `startup_error` (unreadable, malformed, unwritable).
[[nodiscard]] secret_bytes load_key_encryption_key(config const& settings,
                                                   notice_sink const& notice);

/// How long keys outlive the tokens they signed: the access-token TTL and the leeway.
[[nodiscard]] auth::key_lifetimes key_lifetimes(config const& settings);

/// The message for keys that do not open: names them and says every process needs the same
/// `--kek-file`.
[[nodiscard]] std::string unreadable_keys_message(config const& settings,
                                                  std::vector<std::string> const& kids);

/// First start on a store without a current key: imports `--signing-key-file` if it exists, else
/// generates a key of `--algorithm`, as the current key (of several processes starting at once,
/// one key wins). Throws `startup_error`.
void ensure_current_signing_key(auth::signing_keys const& keys, config const& settings,
                                notice_sink const& notice);

}  // namespace warden::app
