#pragma once
// A token service, database and guard over the fake store, a manual clock and an HS256 key.
#include <memory>

#include <gtest/gtest.h>

#include <warden/auth/database.hpp>
#include <warden/auth/events.hpp>
#include <warden/auth/guard.hpp>
#include <warden/auth/store_subjects.hpp>
#include <warden/auth/tokens.hpp>
#include <warden/core/work_pool.hpp>
#include <warden/jwt/key_set.hpp>

#include "auth/fake_store.hpp"

namespace warden::test {

inline constexpr std::string_view test_secret = "0123456789abcdef0123456789abcdef-test-secret";

class auth_fixture : public ::testing::Test {
  protected:
    auth_fixture() {
        auto key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, test_secret).value();
        auto signer = jwt::signer::create(key).value();
        auto verifier =
            jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, clock_).value();
        tokens_ = std::make_unique<auth::token_service>(std::move(signer), std::move(verifier),
                                                        auth::token_settings{}, clock_);
        db_ = std::make_unique<auth::database>(store_->backends(store_), pool_);
        db_->count_failures_in(events_);
        subjects_ = std::make_unique<auth::store_subjects>(*db_);
        guard_ = std::make_unique<auth::guard>(*tokens_, *subjects_, &events_);
    }

    store::user add_user(std::vector<std::string> scopes = {}, bool active = true) {
        return store_->create_user({"u@example.com", "hash", "U", active, std::move(scopes)}, now())
            .value();
    }

    std::int64_t now() const { return to_unix_seconds(clock_.now()); }

    std::string access_for(store::user const& u, auth::scope_list scopes = {},
                           std::string sid = "family-1") {
        return tokens_->issue_access(u, scopes, sid).value().token;
    }

    manual_clock clock_;
    auth::events events_;  ///< what the guard and the database count
    std::shared_ptr<fake_store> store_ = std::make_shared<fake_store>();
    work_pool pool_{{.threads = 1, .queue_limit = 16}};
    std::unique_ptr<auth::token_service> tokens_;
    std::unique_ptr<auth::database> db_;
    std::unique_ptr<auth::store_subjects> subjects_;
    std::unique_ptr<auth::guard> guard_;
};

}  // namespace warden::test
