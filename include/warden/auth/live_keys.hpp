#pragma once
// The signer and verifier in use, replaced whole when the key set changes (a rotation) while
// requests read them on many threads. A read costs one atomic load and a compare on a
// thread-local copy: no mutex and no shared reference count is touched per request. Only the
// first read on each thread after a replacement takes the mutex, to copy the new pointer.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include <boost/json/object.hpp>

#include <warden/jwt/signer.hpp>
#include <warden/jwt/verifier.hpp>

namespace warden::auth {

/// What signs and verifies access tokens at one moment, and the public keys it publishes.
struct signing_material {
    jwt::signer signer;
    jwt::verifier verifier;
    boost::json::object public_jwks;  ///< `{"keys": [...]}`; empty with HS*
};

class live_keys {
  public:
    explicit live_keys(signing_material first);
    live_keys(live_keys const&) = delete;
    live_keys& operator=(live_keys const&) = delete;
    ~live_keys() = default;

    /// The material now in use. The reference stays valid on this thread until its next call
    /// of `get` (of any `live_keys`): do not keep it across calls.
    [[nodiscard]] signing_material const& get() const;

    /// Puts `next` in use; reads on every thread see it from their next `get`.
    void replace(signing_material next);

  private:
    std::uint64_t const id_;  ///< unique per instance, never reused: names the thread's copy
    std::atomic<std::uint64_t> generation_{1};
    mutable std::mutex mutex_;  ///< guards `current_`; taken once per thread per generation
    std::shared_ptr<signing_material const> current_;
};

}  // namespace warden::auth
