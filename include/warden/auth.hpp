#pragma once
// warden::auth: tokens, sessions, the password grant, accounts and the guard.
#include <warden/auth/accounts.hpp>
#include <warden/auth/database.hpp>
#include <warden/auth/email.hpp>
#include <warden/auth/errc.hpp>
#include <warden/auth/full_name.hpp>
#include <warden/auth/guard.hpp>
#include <warden/auth/login.hpp>
#include <warden/auth/login_limiter.hpp>
#include <warden/auth/maintenance.hpp>
#include <warden/auth/principal.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/auth/tokens.hpp>
#include <warden/auth/verification_floor.hpp>
