#include "store/postgres/feed_listener.hpp"

#include <algorithm>
#include <utility>

namespace warden::store {

result<void> pg_feed_listener::wait(std::chrono::milliseconds timeout) {
    std::lock_guard const lock{mutex_};
    if (c_ != nullptr && !c_->usable()) c_.reset();
    if (c_ == nullptr) {
        std::string why;
        auto c = pg_connection::connect(conninfo_, &why);
        if (!c) return c.error();
        // The pool's rule: a server that does not answer costs at most this, never a hang.
        (*c)->set_reply_timeout(std::chrono::milliseconds{2'000});
        if (auto r = (*c)->exec("LISTEN warden_feed"); !r) return r.error();
        c_ = std::move(*c);
    }
    auto arrived = c_->await_notification(std::max(timeout, std::chrono::milliseconds{0}));
    if (!arrived) {
        c_.reset();
        return arrived.error();
    }
    return {};
}

}  // namespace warden::store
