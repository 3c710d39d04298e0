#pragma once
// The store as a subject source: one lookup per request on the database's lookup pool.
#include <warden/auth/database.hpp>
#include <warden/auth/subject.hpp>

namespace warden::auth {

class store_subjects final : public subject_source {
  public:
    explicit store_subjects(database& db) : db_(db) {}
    [[nodiscard]] boost::asio::awaitable<result<subject_read>> find(
        store::user_id id, std::string jti, std::int64_t expires_at) override;

  private:
    database& db_;
};

}  // namespace warden::auth
