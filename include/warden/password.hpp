#pragma once
// warden::password: argon2id and bcrypt hashing behind a passlib-compatible context, the bounded
// hash pool, and verification of passlib's bcrypt_sha256 and pbkdf2_sha256 hashes.
#include <warden/password/context.hpp>
#include <warden/password/errc.hpp>
#include <warden/password/hash_pool.hpp>
#include <warden/password/options.hpp>
#include <warden/password/scheme.hpp>
#include <warden/password/verdict.hpp>
