#pragma once
// A verified JWS (RFC 7515) whose payload is not necessarily a JWT: the protected header and the
// payload bytes. What `verifier::verify_jws` returns.
#include <boost/json/object.hpp>
#include <string>
#include <warden/jwt/algorithm.hpp>

namespace warden::jwt {

struct verified_jws {
    boost::json::object header;  ///< the protected header, parsed strictly
    std::string payload;         ///< the payload bytes (may be empty, may be any content)
    algorithm alg;               ///< the algorithm of the key that verified it
};

}  // namespace warden::jwt
