#pragma once
// `warden user normalize-emails`: rewrites e-mails stored before the normalization rule
// (auth::normalize_email) into the form lookups now use, so their accounts log in again and no
// look-alike of them can register.
#include "app/services.hpp"

namespace warden::app::cli {

/// Pages through every user; each stored e-mail whose normalized form differs is rewritten (one
/// JSON line `{"id", "from", "to"}` on stdout per change). An address that the rule refuses, or
/// whose normalized form another account already has, is left as it is and reported on stderr.
/// Returns `exit_status::ok` when every address is normalized, `failed` otherwise.
[[nodiscard]] int normalize_stored_emails(services& svc);

}  // namespace warden::app::cli
