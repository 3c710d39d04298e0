#pragma once
// The change feed of a database with Redis: the users' changes are in the database's feed, the
// revocations in Redis's stream (each appended where the change is made, in the same atomic
// step). This reads both; its cursor is both cursors, "<database>/<redis>".
#include <memory>

#include <warden/store/change_feed.hpp>

namespace warden::store {

class combined_feed final : public change_feed {
  public:
    combined_feed(std::shared_ptr<change_feed> database, std::shared_ptr<change_feed> redis)
        : database_(std::move(database)), redis_(std::move(redis)) {}

    [[nodiscard]] result<std::string> feed_end() override;
    /// Redis's entries first (revocations: the urgent ones), then the database's, at most
    /// `limit` together; `more` when either has more.
    [[nodiscard]] result<feed_page> read_feed(std::string_view cursor, std::size_t limit) override;
    /// The database's wait (PostgreSQL's NOTIFY): revocations on Redis do not wake it.
    [[nodiscard]] result<void> wait_for_changes(std::chrono::milliseconds timeout) override;
    /// Redis's list: it holds the revocations.
    [[nodiscard]] result<jti_list> revoked_jtis(std::int64_t now) override;
    /// Trims both; the entries removed from both.
    [[nodiscard]] result<std::int64_t> trim_feed(std::int64_t before) override;

  private:
    std::shared_ptr<change_feed> const database_;
    std::shared_ptr<change_feed> const redis_;
};

}  // namespace warden::store
