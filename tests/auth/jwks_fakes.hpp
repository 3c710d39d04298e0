#pragma once
// A fake JWK Set server for remote_key_set and token_guard tests: it answers what the test set
// last, counts the fetches, and can hold them until released.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <warden/auth/remote_key_set.hpp>
#include <warden/core/clock.hpp>
#include <warden/jwt.hpp>

namespace warden::test {

using auth::jwks_document;
using auth::jwks_fetch;

inline constexpr std::int64_t now_s = 1'700'000'000;

inline jwt::key es256_key(std::string kid) {
    return jwt::key::generate(jwt::algorithm::es256, {.kid = std::move(kid)}).value();
}

/// The public JWK Set text of `keys`.
inline std::string jwks_of(std::vector<jwt::key> const& keys) {
    jwt::key_set set;
    for (auto const& k : keys) (void)set.add(k);
    return boost::json::serialize(set.public_jwks().value());
}

/// A token signed by `k` (with its kid), valid for ten minutes from `clock`'s now.
inline std::string signed_token(jwt::key const& k, clock const& c,
                                boost::json::object claims = {}) {
    auto const now = to_unix_seconds(c.now());
    if (!claims.contains("sub")) claims["sub"] = "42";
    if (!claims.contains("exp")) claims["exp"] = now + 600;
    if (!claims.contains("iat")) claims["iat"] = now;
    return jwt::signer::create(k).value().sign(claims).value();
}

class fake_jwks {
  public:
    void set_keys(std::vector<jwt::key> const& keys, std::optional<std::chrono::seconds> max_age) {
        answer(200, jwks_of(keys), max_age);
    }
    void answer(unsigned status, std::string body, std::optional<std::chrono::seconds> max_age) {
        std::lock_guard const lock{mu_};
        failure_ = {};
        document_ = jwks_document{status, std::move(body), max_age};
    }
    void fail_with(error_code ec) {
        std::lock_guard const lock{mu_};
        failure_ = ec;
    }
    /// Fetches from now on wait until `release_fetches()`.
    void hold_fetches() { held_ = true; }
    void release_fetches() { held_ = false; }

    [[nodiscard]] std::size_t calls() const { return calls_.load(); }
    [[nodiscard]] std::vector<std::string> urls() const {
        std::lock_guard const lock{mu_};
        return urls_;
    }

    [[nodiscard]] jwks_fetch fetcher() {
        return [this](std::string url) -> boost::asio::awaitable<result<jwks_document>> {
            ++calls_;
            {
                std::lock_guard const lock{mu_};
                urls_.push_back(url);
            }
            boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor};
            while (held_) {
                timer.expires_after(std::chrono::milliseconds{1});
                co_await timer.async_wait(boost::asio::use_awaitable);
            }
            std::lock_guard const lock{mu_};
            if (failure_) co_return failure_;
            co_return document_;
        };
    }

  private:
    mutable std::mutex mu_;
    jwks_document document_;
    error_code failure_;
    std::vector<std::string> urls_;
    std::atomic<std::size_t> calls_{0};
    std::atomic<bool> held_{false};
};

}  // namespace warden::test
