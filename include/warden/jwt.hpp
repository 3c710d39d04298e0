#pragma once
// warden::jwt: JWS/JWT (RFC 7515, 7519), JWK and JWK Sets (RFC 7517), the algorithms of RFC 7518
// and RFC 8037 through OpenSSL 3, a hardened verifier and a signer.
#include <warden/jwt/algorithm.hpp>
#include <warden/jwt/claims.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/jws.hpp>
#include <warden/jwt/key.hpp>
#include <warden/jwt/key_set.hpp>
#include <warden/jwt/limits.hpp>
#include <warden/jwt/signer.hpp>
#include <warden/jwt/verifier.hpp>
