#include <warden/auth/remote_key_set.hpp>

#include <algorithm>
#include <exception>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warden/core/json.hpp>
#include <warden/jwt/key.hpp>
#include <warden/jwt/key_set.hpp>

namespace warden::auth {

namespace asio = boost::asio;

namespace {

class jwks_category_impl final : public boost::system::error_category {
  public:
    constexpr jwks_category_impl() noexcept : error_category(0x7d3b19c6e2a54f08ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.auth.jwks"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<jwks_errc>(value)) {
            case jwks_errc::bad_status:
                return "the JWK Set URL answered with a status other than 200";
            case jwks_errc::not_a_jwk_set:
                return "the document is not a JWK Set (a JSON object with a keys array, unique "
                       "kids)";
            case jwks_errc::no_usable_key:
                return "the JWK Set holds no public signature key this library can use";
            case jwks_errc::fetch_failed:
                return "fetching the JWK Set failed";
            case jwks_errc::key_set_unavailable:
                return "no JWK Set has been fetched yet";
        }
        return "unknown JWK Set error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        if (value >= static_cast<int>(jwks_errc::bad_status) &&
            value <= static_cast<int>(jwks_errc::key_set_unavailable))
            return condition::unavailable;
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& jwks_category() noexcept {
    static constexpr jwks_category_impl instance;
    return instance;
}

/// One fetch in progress; callers that need its outcome wait on a channel each (thread-safe,
/// and a value sent before the wait starts is kept, so no wake-up is lost).
struct remote_key_set::flight {
    using channel = asio::experimental::concurrent_channel<void(error_code)>;
    std::vector<std::shared_ptr<channel>> waiters;  // guarded by remote_key_set::mu_
};

remote_key_set::remote_key_set(std::string jwks_uri, jwks_fetch fetch, warden::clock const& clock,
                               remote_key_set_options options)
    : uri_(std::move(jwks_uri)),
      fetch_(std::move(fetch)),
      clock_(clock),
      options_(std::move(options)) {}

remote_key_set::~remote_key_set() = default;

asio::awaitable<result<remote_key_set::verifier_ptr>> remote_key_set::current() {
    return obtain(need::current, nullptr);
}

asio::awaitable<result<remote_key_set::verifier_ptr>> remote_key_set::refresh_for_unknown_kid(
    verifier_ptr seen) {
    return obtain(need::unknown_kid, std::move(seen));
}

std::size_t remote_key_set::fetch_count() const {
    std::lock_guard const lock{mu_};
    return fetches_;
}

error_code remote_key_set::last_error() const {
    std::lock_guard const lock{mu_};
    return last_error_;
}

result<remote_key_set::verifier_ptr> remote_key_set::answer() const {
    if (current_) return current_;
    if (last_error_) return last_error_;
    return make_error_code(jwks_errc::key_set_unavailable);
}

asio::awaitable<result<remote_key_set::verifier_ptr>> remote_key_set::obtain(need why,
                                                                             verifier_ptr seen) {
    auto const executor = co_await asio::this_coro::executor;
    std::shared_ptr<flight> lead;
    std::shared_ptr<flight::channel> wake;
    {
        std::lock_guard const lock{mu_};
        // Another caller already brought a newer set than the one that did not know the kid.
        if (why == need::unknown_kid && current_ && current_ != seen) co_return current_;
        auto const now = clock_.now();
        bool const stale = !current_ || now >= fresh_until_;
        if (!stale && why == need::current) co_return current_;
        if (in_flight_) {
            // A stale set still serves while it is renewed; only a caller that has no set or
            // met an unknown kid waits for the fetch's outcome.
            if (current_ && why == need::current) co_return current_;
            wake = std::make_shared<flight::channel>(executor, 1);
            in_flight_->waiters.push_back(wake);
        } else if (!last_attempt_ || now - *last_attempt_ >= options_.min_refetch_interval) {
            lead = in_flight_ = std::make_shared<flight>();
            last_attempt_ = now;
            ++fetches_;
        } else {
            co_return answer();
        }
    }
    if (lead) {
        co_await fetch_once(std::move(lead));
    } else {
        auto [ignored] = co_await wake->async_receive(asio::as_tuple(asio::use_awaitable));
        (void)ignored;
    }
    std::lock_guard const lock{mu_};
    co_return answer();
}

asio::awaitable<void> remote_key_set::fetch_once(std::shared_ptr<flight> f) {
    result<jwks_document> fetched = make_error_code(jwks_errc::fetch_failed);
    try {
        fetched = co_await fetch_(uri_);
    } catch (std::exception const&) {
        // Reported as fetch_failed below; the waiters must be woken whatever happened.
    }
    auto accepted = accept(fetched);
    std::vector<std::shared_ptr<flight::channel>> waiters;
    error_code failure;
    {
        std::lock_guard const lock{mu_};
        if (accepted) {
            current_ = std::move(accepted->first);
            fresh_until_ = clock_.now() + accepted->second;
            last_error_ = {};
        } else {
            failure = last_error_ = accepted.error();
        }
        waiters.swap(f->waiters);
        in_flight_.reset();
    }
    for (auto const& w : waiters) (void)w->try_send(error_code{});
    if (failure && options_.on_fetch_failed) options_.on_fetch_failed(failure);
}

result<std::pair<remote_key_set::verifier_ptr, std::chrono::seconds>> remote_key_set::accept(
    result<jwks_document> const& fetched) const {
    if (!fetched) return fetched.error();
    if (fetched->status != 200) return make_error_code(jwks_errc::bad_status);
    auto parsed = parse_json_strict(fetched->body);
    if (!parsed || !parsed->is_object()) return make_error_code(jwks_errc::not_a_jwk_set);
    auto const* list = parsed->get_object().if_contains("keys");
    if (list == nullptr || !list->is_array()) return make_error_code(jwks_errc::not_a_jwk_set);
    jwt::key_set keys;
    for (auto const& jwk : list->get_array()) {
        // RFC 7517 §5: keys of a type (or use) not understood are skipped, not fatal. A secret
        // is never trusted from a published document.
        if (!jwk.is_object()) continue;
        auto k = jwt::key::from_jwk(jwk.get_object());
        if (!k || k->is_symmetric() || !k->can_verify()) continue;
        // Two keys under one kid: which one a token means is ambiguous, so the set is refused.
        if (!keys.add(std::move(*k))) return make_error_code(jwks_errc::not_a_jwk_set);
    }
    if (keys.empty()) return make_error_code(jwks_errc::no_usable_key);
    auto made = jwt::verifier::create(std::move(keys), options_.verifier, clock_);
    if (!made) return made.error();
    auto const max_age = std::clamp(fetched->max_age.value_or(options_.default_max_age),
                                    options_.min_max_age, options_.max_max_age);
    return std::pair{std::make_shared<jwt::verifier const>(std::move(*made)), max_age};
}

}  // namespace warden::auth
