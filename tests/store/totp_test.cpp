// totp_store on every backend: enrolment, confirmation, replay protection by time step,
// single-use recovery codes (races included), and turning TOTP off.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "support/numbered.hpp"

namespace warden::store {
namespace {

using test::numbered;

// Sealed bytes are arbitrary: NUL and bytes that are not UTF-8 included.
std::string sealed(char fill) {
    std::string s(40, fill);
    s[0] = '\0';
    s[7] = '\xff';
    return s;
}

std::vector<std::string> codes(char prefix, int n = 3) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
        std::string code(32, prefix);
        code[0] = '\0';
        code[1] = static_cast<char>('0' + i);
        out.push_back(code);
    }
    return out;
}

class totp : public test::store_test {
  protected:
    void SetUp() override {
        store_test::SetUp();
        alice_ = add_user("alice@x.io");
    }
    totp_store& t() { return *s_.totp; }
    void enrol_and_confirm(user_id user) {
        ASSERT_TRUE(t().begin_totp_enrolment(user, sealed('s'), codes('c'), 100));
        ASSERT_TRUE(t().confirm_totp(user, 110));
    }
    user alice_;
};

TEST_P(totp, an_enrolment_is_unconfirmed_until_confirmed) {
    EXPECT_EQ(t().totp_of(alice_.id).error(), errc::not_found);
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('s'), codes('c'), 100));
    auto r = t().totp_of(alice_.id);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(*r, (totp_record{.sealed_secret = sealed('s'),
                               .confirmed = false,
                               .last_accepted_step = 0,
                               .created_at = 100,
                               .confirmed_at = std::nullopt,
                               .recovery_codes_left = 3}));
    ASSERT_TRUE(t().confirm_totp(alice_.id, 110));
    r = t().totp_of(alice_.id);
    EXPECT_TRUE(r->confirmed);
    EXPECT_EQ(r->confirmed_at, 110);
    EXPECT_EQ(r->sealed_secret, sealed('s'));
    EXPECT_EQ(t().confirm_totp(alice_.id, 120).error(), errc::wrong_state);
    EXPECT_EQ(t().totp_of(alice_.id)->confirmed_at, 110);
}

TEST_P(totp, the_first_totp_user_is_the_lowest_id_with_a_secret) {
    EXPECT_EQ(t().first_totp_user().error(), errc::not_found);
    auto const bob = add_user("bob@x.io");
    auto const carol = add_user("carol@x.io");
    ASSERT_TRUE(t().begin_totp_enrolment(carol.id, sealed('c'), codes('c'), 100));
    EXPECT_EQ(t().first_totp_user().value(), carol.id);
    enrol_and_confirm(bob.id);
    EXPECT_EQ(t().first_totp_user().value(), bob.id);  // confirmed or not
    ASSERT_TRUE(t().disable_totp(bob.id));
    EXPECT_EQ(t().first_totp_user().value(), carol.id);
    ASSERT_TRUE(t().disable_totp(carol.id));
    EXPECT_EQ(t().first_totp_user().error(), errc::not_found);
}

TEST_P(totp, a_new_enrolment_replaces_an_unconfirmed_one_and_its_codes) {
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('1'), codes('a'), 100));
    ASSERT_TRUE(t().accept_totp_step(alice_.id, 50).value());
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('2'), codes('b', 5), 200));
    auto const r = t().totp_of(alice_.id);
    EXPECT_EQ(r->sealed_secret, sealed('2'));
    EXPECT_EQ(r->created_at, 200);
    EXPECT_EQ(r->last_accepted_step, 0);
    EXPECT_EQ(r->recovery_codes_left, 5);
    ASSERT_TRUE(t().confirm_totp(alice_.id, 210));
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('a')[0], 220).value());  // the old set
    EXPECT_TRUE(t().use_recovery_code(alice_.id, codes('b', 5)[4], 220).value());
}

TEST_P(totp, an_enrolment_is_refused_while_totp_is_confirmed) {
    enrol_and_confirm(alice_.id);
    EXPECT_EQ(t().begin_totp_enrolment(alice_.id, sealed('x'), codes('x'), 200).error(),
              errc::wrong_state);
    auto const r = t().totp_of(alice_.id);
    EXPECT_EQ(r->sealed_secret, sealed('s'));
    EXPECT_TRUE(r->confirmed);
    EXPECT_EQ(r->recovery_codes_left, 3);
}

TEST_P(totp, an_enrolment_refuses_what_it_cannot_keep_and_writes_nothing) {
    EXPECT_EQ(t().begin_totp_enrolment(424242, sealed('s'), codes('c'), 100).error(),
              errc::not_found);
    EXPECT_EQ(t().begin_totp_enrolment(alice_.id, "", codes('c'), 100).error(),
              errc::invalid_argument);
    auto repeated = codes('c');
    repeated.push_back(repeated.front());
    EXPECT_EQ(t().begin_totp_enrolment(alice_.id, sealed('s'), repeated, 100).error(),
              errc::invalid_argument);
    EXPECT_EQ(t().begin_totp_enrolment(alice_.id, sealed('s'), {"a", ""}, 100).error(),
              errc::invalid_argument);
    EXPECT_EQ(t().totp_of(alice_.id).error(), errc::not_found);
    // No recovery codes at all is an enrolment the caller may want.
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('s'), {}, 100));
    EXPECT_EQ(t().totp_of(alice_.id)->recovery_codes_left, 0);
}

TEST_P(totp, confirming_without_an_enrolment_is_not_found) {
    EXPECT_EQ(t().confirm_totp(alice_.id, 100).error(), errc::not_found);
    EXPECT_EQ(t().confirm_totp(424242, 100).error(), errc::not_found);
}

TEST_P(totp, a_step_is_accepted_once_and_never_an_older_one) {
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('s'), codes('c'), 100));
    EXPECT_TRUE(t().accept_totp_step(alice_.id, 1000).value());  // the confirming code
    ASSERT_TRUE(t().confirm_totp(alice_.id, 110));
    EXPECT_FALSE(t().accept_totp_step(alice_.id, 1000).value());  // replayed
    EXPECT_FALSE(t().accept_totp_step(alice_.id, 999).value());   // older
    EXPECT_TRUE(t().accept_totp_step(alice_.id, 1001).value());
    EXPECT_EQ(t().totp_of(alice_.id)->last_accepted_step, 1001);
    EXPECT_FALSE(t().accept_totp_step(alice_.id, 0).value());
    EXPECT_EQ(t().accept_totp_step(424242, 5).error(), errc::not_found);
    ASSERT_TRUE(t().disable_totp(alice_.id));
    EXPECT_EQ(t().accept_totp_step(alice_.id, 2000).error(), errc::not_found);
}

TEST_P(totp, a_recovery_code_works_once_and_only_when_confirmed) {
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('s'), codes('c'), 100));
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('c')[0], 105).value());  // not active
    ASSERT_TRUE(t().confirm_totp(alice_.id, 110));
    EXPECT_TRUE(t().use_recovery_code(alice_.id, codes('c')[0], 120).value());
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('c')[0], 121).value());  // spent
    EXPECT_EQ(t().totp_of(alice_.id)->recovery_codes_left, 2);
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('z')[0], 122).value());  // unknown
    EXPECT_FALSE(t().use_recovery_code(alice_.id, "", 122).value());
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('c')[1].substr(0, 31), 122).value());
    // Another user's code is not this user's.
    auto const bob = add_user("bob@x.io");
    ASSERT_TRUE(t().begin_totp_enrolment(bob.id, sealed('b'), codes('d'), 100));
    ASSERT_TRUE(t().confirm_totp(bob.id, 110));
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('d')[1], 130).value());
    EXPECT_FALSE(t().use_recovery_code(424242, codes('d')[1], 130).value());
    EXPECT_TRUE(t().use_recovery_code(bob.id, codes('d')[1], 130).value());
}

TEST_P(totp, disable_deletes_totp_and_its_codes_and_is_not_found_when_off) {
    enrol_and_confirm(alice_.id);
    ASSERT_TRUE(t().disable_totp(alice_.id));
    EXPECT_EQ(t().totp_of(alice_.id).error(), errc::not_found);
    EXPECT_EQ(t().disable_totp(alice_.id).error(), errc::not_found);
    // A new enrolment starts afresh: the old codes are gone.
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('n'), codes('n'), 200));
    ASSERT_TRUE(t().confirm_totp(alice_.id, 210));
    EXPECT_FALSE(t().use_recovery_code(alice_.id, codes('c')[0], 220).value());
    EXPECT_EQ(t().totp_of(alice_.id)->last_accepted_step, 0);
}

TEST_P(totp, a_deleted_users_totp_goes_with_it) {
    enrol_and_confirm(alice_.id);
    ASSERT_TRUE(s_.users->delete_user(alice_.id));
    EXPECT_EQ(t().totp_of(alice_.id).error(), errc::not_found);
    EXPECT_EQ(t().disable_totp(alice_.id).error(), errc::not_found);
}

TEST_P(totp, of_racers_accepting_one_step_exactly_one_wins) {
    auto const other = open_again();
    enrol_and_confirm(alice_.id);
    for (int round = 0; round < 4; ++round) {
        std::int64_t const step = 5000 + round;
        constexpr int racers = 8;  // 2 stores x 4 threads
        std::barrier start{racers};
        std::atomic<int> accepted{0};
        std::atomic<int> replayed{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                auto& store = i % 2 == 0 ? *s_.totp : *other.totp;
                start.arrive_and_wait();
                auto const r = store.accept_totp_step(alice_.id, step);
                if (r && *r) ++accepted;
                if (r && !*r) ++replayed;
            });
        }
        for (auto& th : threads) th.join();
        EXPECT_EQ(accepted.load(), 1) << round;
        EXPECT_EQ(replayed.load(), racers - 1) << round;
        EXPECT_EQ(t().totp_of(alice_.id)->last_accepted_step, step);
    }
}

TEST_P(totp, of_racers_using_one_recovery_code_exactly_one_wins) {
    auto const other = open_again();
    ASSERT_TRUE(t().begin_totp_enrolment(alice_.id, sealed('s'), codes('c', 4), 100));
    ASSERT_TRUE(t().confirm_totp(alice_.id, 110));
    for (int round = 0; round < 4; ++round) {
        auto const code = codes('c', 4)[static_cast<std::size_t>(round)];
        constexpr int racers = 8;
        std::barrier start{racers};
        std::atomic<int> used{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                auto& store = i % 2 == 0 ? *s_.totp : *other.totp;
                start.arrive_and_wait();
                auto const r = store.use_recovery_code(alice_.id, code, 200);
                if (r && *r) ++used;
                if (r && !*r) ++refused;
            });
        }
        for (auto& th : threads) th.join();
        EXPECT_EQ(used.load(), 1) << round;
        EXPECT_EQ(refused.load(), racers - 1) << round;
        EXPECT_EQ(t().totp_of(alice_.id)->recovery_codes_left, 3 - round);
    }
}

TEST_P(totp, racing_enrolments_of_one_user_leave_one_whole_enrolment) {
    auto const other = open_again();
    constexpr int racers = 8;
    std::barrier start{racers};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < racers; ++i) {
        threads.emplace_back([&, i] {
            auto& store = i % 2 == 0 ? *s_.totp : *other.totp;
            start.arrive_and_wait();
            auto const prefix = static_cast<char>('a' + i);
            if (!store.begin_totp_enrolment(alice_.id, sealed(prefix), codes(prefix), 100))
                ++failed;
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failed.load(), 0);
    // Whichever came last: its secret with its own codes, and no other's.
    auto const r = t().totp_of(alice_.id);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->recovery_codes_left, 3);
    char const last = r->sealed_secret[1];
    ASSERT_TRUE(t().confirm_totp(alice_.id, 110));
    EXPECT_TRUE(t().use_recovery_code(alice_.id, codes(last)[2], 120).value());
}

WARDEN_ON_EVERY_BACKEND(totp);

}  // namespace
}  // namespace warden::store
