// user_store on every backend: create, find, update, delete, list.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

#include "support/numbered.hpp"

namespace warden::store {
namespace {

using test::store_test;
using users = store_test;

std::string numbered_email(int i) { return test::numbered("u", i, "@x.io"); }

TEST_P(users, create_returns_the_stored_row) {
    auto r = s_.users->create_user({.email = "Ada@Example.com",
                                    .password_hash = "$2b$12$abc",
                                    .full_name = "Ada Lovelace",
                                    .is_active = false,
                                    .scopes = {"write", "admin", "read", "admin"}},
                                   1'700'000'000);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_GT(r->id, 0);
    EXPECT_EQ(r->email, "Ada@Example.com");
    EXPECT_EQ(r->password_hash, "$2b$12$abc");
    EXPECT_EQ(r->full_name, "Ada Lovelace");
    EXPECT_FALSE(r->is_active);
    EXPECT_EQ(r->scopes, (std::vector<std::string>{"admin", "read", "write"}));
    EXPECT_EQ(r->created_at, 1'700'000'000);
    EXPECT_EQ(r->updated_at, 1'700'000'000);
    EXPECT_EQ(r->token_version, 0);
}

TEST_P(users, find_by_id_round_trips_every_field) {
    auto const created = s_.users->create_user({.email = "b@x.io",
                                                .password_hash = "h",
                                                .full_name = "Zo\xc3\xab \xe6\x9d\x8e",
                                                .scopes = {"a:b", "z", "!#[]~"}},
                                               5);
    ASSERT_TRUE(created.has_value());
    auto found = s_.users->find_user(created->id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->email, "b@x.io");
    EXPECT_EQ(found->full_name, "Zo\xc3\xab \xe6\x9d\x8e");
    EXPECT_EQ(found->scopes, (std::vector<std::string>{"!#[]~", "a:b", "z"}));
    EXPECT_TRUE(found->is_active);
    EXPECT_EQ(found->created_at, 5);
}

TEST_P(users, token_subject_is_the_row_and_the_jtis_revocation) {
    auto const u = add_user("t@x.io");
    auto fresh = s_.users->find_token_subject(u.id, "jti-1");
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message();
    EXPECT_EQ(fresh->row.id, u.id);
    EXPECT_EQ(fresh->row.email, "t@x.io");
    EXPECT_EQ(fresh->row.token_version, u.token_version);
    EXPECT_FALSE(fresh->jti_revoked);

    ASSERT_TRUE(s_.revocations->revoke_jti("jti-1", 100).has_value());
    EXPECT_TRUE(s_.users->find_token_subject(u.id, "jti-1")->jti_revoked);
    EXPECT_FALSE(s_.users->find_token_subject(u.id, "jti-2")->jti_revoked);
    EXPECT_FALSE(s_.users->find_token_subject(u.id, "")->jti_revoked);       // a token without jti
    EXPECT_FALSE(s_.users->find_token_subject(u.id, "JTI-1")->jti_revoked);  // exact bytes only

    EXPECT_EQ(s_.users->find_token_subject(u.id + 1, "jti-1").error(), errc::not_found);
    ASSERT_TRUE(s_.users->delete_user(u.id).has_value());
    EXPECT_EQ(s_.users->find_token_subject(u.id, "jti-2").error(), errc::not_found);
}

TEST_P(users, no_scopes_round_trip_as_an_empty_list) {
    auto const u = add_user("none@x.io");
    auto found = s_.users->find_user(u.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->scopes.empty());
}

TEST_P(users, find_an_unknown_id_is_not_found) {
    EXPECT_EQ(s_.users->find_user(1).error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user(-1).error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user(0).error(), condition::not_found);
}

TEST_P(users, find_by_email_ignores_ascii_case) {
    auto const u = add_user("Grace.Hopper@Navy.MIL");
    for (auto const* e :
         {"grace.hopper@navy.mil", "GRACE.HOPPER@NAVY.MIL", "Grace.Hopper@Navy.MIL"}) {
        auto found = s_.users->find_user_by_email(e);
        ASSERT_TRUE(found.has_value()) << e;
        EXPECT_EQ(found->id, u.id);
        EXPECT_EQ(found->email, "Grace.Hopper@Navy.MIL");  // kept as written
    }
}

TEST_P(users, find_by_email_compares_non_ascii_letters_exactly) {
    add_user("jos\xc3\xa9@x.io");                                                 // josé
    EXPECT_TRUE(s_.users->find_user_by_email("JOS\xc3\xa9@X.IO").has_value());    // ASCII folded
    auto const upper_e_acute = s_.users->find_user_by_email("jos\xc3\x89@x.io");  // josÉ
    EXPECT_EQ(upper_e_acute.error(), errc::not_found);
}

TEST_P(users, find_an_unknown_email_is_not_found) {
    add_user("a@x.io");
    EXPECT_EQ(s_.users->find_user_by_email("b@x.io").error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user_by_email("").error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user_by_email("a@x.io ").error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user_by_email("a@x.i%").error(), errc::not_found);  // no LIKE patterns
}

TEST_P(users, create_refuses_an_email_taken_in_another_case) {
    add_user("dup@x.io");
    auto r = s_.users->create_user({.email = "DUP@X.IO", .password_hash = "h"}, 1);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::email_taken);
    EXPECT_EQ(r.error(), condition::conflict);
    EXPECT_EQ(s_.users->create_user({.email = "dup@x.io", .password_hash = "h"}, 1).error(),
              errc::email_taken);
    EXPECT_EQ(s_.users->list_users(10, 0)->total, 1);
}

TEST_P(users, non_ascii_case_variants_are_distinct_emails) {
    add_user("\xc3\xa9@x.io");                                                                // é
    EXPECT_TRUE(s_.users->create_user({.email = "\xc3\x89@x.io", .password_hash = "h"}, 1));  // É
}

TEST_P(users, create_refuses_values_the_store_cannot_keep) {
    EXPECT_EQ(s_.users->create_user({.email = "", .password_hash = "h"}, 1).error(),
              errc::invalid_argument);
    EXPECT_EQ(s_.users->create_user({.email = std::string{"a\0b@x.io", 8}, .password_hash = "h"}, 1)
                  .error(),
              errc::invalid_argument);
    // Text every backend can keep: UTF-8 without NUL, in every field.
    for (auto const& bad : {std::string{"nul\0inside", 10}, std::string{"\xff\xfe"},
                            std::string{"over\xc0\xaflong"}}) {
        EXPECT_EQ(
            s_.users->create_user({.email = "t@x.io", .password_hash = "h", .full_name = bad}, 1)
                .error(),
            errc::invalid_argument);
        EXPECT_EQ(s_.users->create_user({.email = "t@x.io", .password_hash = bad}, 1).error(),
                  errc::invalid_argument);
        EXPECT_EQ(
            s_.users->create_user({.email = "t" + bad + "@x.io", .password_hash = "h"}, 1).error(),
            errc::invalid_argument);
    }
    for (auto const& bad :
         {std::string{""}, std::string{"two words"}, std::string{"quo\"te"},
          std::string{"back\\slash"}, std::string{"tab\t"}, std::string{"\xc3\xa9"}}) {
        auto r = s_.users->create_user(
            {.email = "s@x.io", .password_hash = "h", .scopes = {"ok", bad}}, 1);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error(), errc::invalid_argument);
        EXPECT_EQ(r.error(), condition::invalid_request);
    }
    EXPECT_EQ(s_.users->list_users(10, 0)->total, 0);
}

TEST_P(users, ids_are_never_reused_after_a_delete) {
    auto const a = add_user("a@x.io");
    ASSERT_TRUE(s_.users->delete_user(a.id));
    auto const b = add_user("b@x.io");
    EXPECT_GT(b.id, a.id);
    EXPECT_EQ(s_.users->find_user(a.id).error(), errc::not_found);
}

TEST_P(users, update_changes_only_the_set_fields) {
    auto const u = add_user("u@x.io", 10);
    auto r = s_.users->update_user(u.id, {.full_name = "New Name", .is_active = false}, 20);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->full_name, "New Name");
    EXPECT_FALSE(r->is_active);
    EXPECT_EQ(r->email, "u@x.io");
    EXPECT_EQ(r->password_hash, u.password_hash);
    EXPECT_EQ(r->created_at, 10);
    EXPECT_EQ(r->updated_at, 20);
    EXPECT_EQ(r->token_version, 0);
    auto again = s_.users->find_user(u.id);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->full_name, "New Name");
    EXPECT_FALSE(again->is_active);
}

TEST_P(users, update_sets_every_field) {
    auto const u = add_user("u@x.io", 10);
    auto r = s_.users->update_user(u.id,
                                   {.email = "v@x.io",
                                    .password_hash = "$argon2id$new",
                                    .full_name = "",
                                    .is_active = true,
                                    .scopes = std::vector<std::string>{"b", "a", "b"},
                                    .bump_token_version = true},
                                   30);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->email, "v@x.io");
    EXPECT_EQ(r->password_hash, "$argon2id$new");
    EXPECT_EQ(r->full_name, "");
    EXPECT_EQ(r->scopes, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(r->token_version, 1);
    EXPECT_EQ(s_.users->update_user(u.id, {.bump_token_version = true}, 31)->token_version, 2);
    EXPECT_EQ(s_.users->find_user_by_email("u@x.io").error(), errc::not_found);
}

TEST_P(users, update_can_clear_the_scopes) {
    auto const u =
        *s_.users->create_user({.email = "u@x.io", .password_hash = "h", .scopes = {"admin"}}, 1);
    auto r = s_.users->update_user(u.id, {.scopes = std::vector<std::string>{}}, 2);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->scopes.empty());
}

TEST_P(users, an_empty_update_only_moves_updated_at) {
    auto const u = add_user("u@x.io", 10);
    auto r = s_.users->update_user(u.id, {}, 99);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->updated_at, 99);
    EXPECT_EQ(r->email, u.email);
    EXPECT_EQ(r->full_name, u.full_name);
    EXPECT_EQ(r->token_version, u.token_version);
}

TEST_P(users, update_of_an_unknown_user_is_not_found) {
    EXPECT_EQ(s_.users->update_user(42, {.full_name = "x"}, 1).error(), errc::not_found);
    EXPECT_EQ(s_.users->update_user(42, {}, 1).error(), errc::not_found);
}

TEST_P(users, update_refuses_an_email_taken_in_another_case) {
    add_user("taken@x.io");
    auto const u = add_user("me@x.io");
    auto r = s_.users->update_user(u.id, {.email = "TAKEN@x.io", .full_name = "ignored"}, 5);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::email_taken);
    auto unchanged = s_.users->find_user(u.id);  // nothing of the failed update was applied
    EXPECT_EQ(unchanged->email, "me@x.io");
    EXPECT_EQ(unchanged->full_name, "N");
}

TEST_P(users, update_may_change_the_case_of_the_own_email) {
    auto const u = add_user("me@x.io");
    auto r = s_.users->update_user(u.id, {.email = "ME@X.IO"}, 5);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->email, "ME@X.IO");
}

TEST_P(users, update_refuses_values_the_store_cannot_keep) {
    auto const u = add_user("me@x.io");
    EXPECT_EQ(s_.users->update_user(u.id, {.email = ""}, 5).error(), errc::invalid_argument);
    EXPECT_EQ(s_.users->update_user(u.id, {.full_name = std::string{"a\0b", 3}}, 5).error(),
              errc::invalid_argument);
    EXPECT_EQ(s_.users->update_user(u.id, {.email = "\xff@x.io"}, 5).error(),
              errc::invalid_argument);
    EXPECT_EQ(s_.users->update_user(u.id, {.scopes = std::vector<std::string>{"a b"}}, 5).error(),
              errc::invalid_argument);
}

TEST_P(users, delete_removes_the_user) {
    auto const u = add_user("gone@x.io");
    ASSERT_TRUE(s_.users->delete_user(u.id));
    EXPECT_EQ(s_.users->find_user(u.id).error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user_by_email("gone@x.io").error(), errc::not_found);
    // The email is free again.
    EXPECT_TRUE(s_.users->create_user({.email = "GONE@x.io", .password_hash = "h"}, 2));
}

TEST_P(users, delete_of_an_unknown_user_is_not_found) {
    EXPECT_EQ(s_.users->delete_user(7).error(), errc::not_found);
    auto const u = add_user("a@x.io");
    ASSERT_TRUE(s_.users->delete_user(u.id));
    EXPECT_EQ(s_.users->delete_user(u.id).error(), errc::not_found);
}

TEST_P(users, delete_cascades_to_families_tokens_and_access_records) {
    auto const u = add_user("a@x.io");
    auto const other = add_user("b@x.io");
    ASSERT_TRUE(s_.sessions->add_refresh_token({"h1", "fam", u.id, "", 1, 100}));
    ASSERT_TRUE(s_.sessions->add_access_token("fam", "jti-1", 50));
    ASSERT_TRUE(s_.sessions->add_refresh_token({"h2", "fam-other", other.id, "", 1, 100}));
    ASSERT_TRUE(s_.users->delete_user(u.id));
    EXPECT_EQ(s_.sessions->family_of_refresh_token("h1").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->family_of_access_token("jti-1").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 2)->state, refresh_state::unknown);
    EXPECT_EQ(s_.sessions->revoke_family("fam", 2).error(), errc::not_found);
    EXPECT_EQ(*s_.sessions->family_of_refresh_token("h2"), "fam-other");  // others untouched
}

TEST_P(users, list_pages_by_id_with_the_total) {
    std::vector<user_id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(add_user(numbered_email(i)).id);
    auto page = s_.users->list_users(2, 1);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(page->total, 5);
    ASSERT_EQ(page->items.size(), 2U);
    EXPECT_EQ(page->items[0].id, ids[1]);
    EXPECT_EQ(page->items[1].id, ids[2]);
    EXPECT_EQ(page->items[1].email, "u2@x.io");
    auto last = s_.users->list_users(10, 3);
    ASSERT_EQ(last->items.size(), 2U);
    EXPECT_EQ(last->items[1].id, ids[4]);
}

TEST_P(users, list_edges) {
    for (int i = 0; i < 3; ++i) add_user(numbered_email(i));
    auto zero = s_.users->list_users(0, 0);
    ASSERT_TRUE(zero.has_value());
    EXPECT_TRUE(zero->items.empty());
    EXPECT_EQ(zero->total, 3);
    auto past = s_.users->list_users(10, 3);
    EXPECT_TRUE(past->items.empty());
    EXPECT_EQ(past->total, 3);
    auto far = s_.users->list_users(10, std::numeric_limits<std::int64_t>::max());
    EXPECT_TRUE(far->items.empty());
    auto all = s_.users->list_users(std::numeric_limits<std::int64_t>::max(), 0);
    EXPECT_EQ(all->items.size(), 3U);
    auto exact = s_.users->list_users(3, 0);
    EXPECT_EQ(exact->items.size(), 3U);
    auto one = s_.users->list_users(1, 2);
    ASSERT_EQ(one->items.size(), 1U);
    EXPECT_EQ(one->items[0].email, "u2@x.io");
}

TEST_P(users, list_of_an_empty_store) {
    auto page = s_.users->list_users(10, 0);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(page->total, 0);
    EXPECT_TRUE(page->items.empty());
}

TEST_P(users, list_refuses_negative_limit_or_offset) {
    EXPECT_EQ(s_.users->list_users(-1, 0).error(), errc::invalid_argument);
    EXPECT_EQ(s_.users->list_users(1, -1).error(), errc::invalid_argument);
}

TEST_P(users, a_user_is_created_unverified_unless_said_otherwise) {
    auto const plain = add_user("plain@x.io");
    EXPECT_FALSE(plain.is_verified);
    EXPECT_FALSE(s_.users->find_user(plain.id)->is_verified);
    auto const verified = s_.users->create_user(
        {.email = "v@x.io", .password_hash = "h", .full_name = "V", .is_verified = true}, 5);
    ASSERT_TRUE(verified.has_value());
    EXPECT_TRUE(verified->is_verified);
    EXPECT_TRUE(s_.users->find_user(verified->id)->is_verified);
    auto const batch =
        s_.users->create_users({{.email = "b1@x.io", .password_hash = "h"},
                                {.email = "b2@x.io", .password_hash = "h", .is_verified = true}},
                               6, nullptr);
    ASSERT_TRUE(batch.has_value());
    EXPECT_FALSE((*batch)[0].is_verified);
    EXPECT_TRUE((*batch)[1].is_verified);
}

TEST_P(users, is_verified_is_read_everywhere_a_user_is_read) {
    auto const u = add_user("read@x.io");
    user_update verify;
    verify.is_verified = true;
    auto const updated = s_.users->update_user(u.id, verify, 2000);
    ASSERT_TRUE(updated.has_value());
    EXPECT_TRUE(updated->is_verified);
    EXPECT_EQ(updated->updated_at, 2000);
    EXPECT_TRUE(s_.users->find_user(u.id)->is_verified);
    EXPECT_TRUE(s_.users->find_user_by_email("READ@x.io")->is_verified);
    EXPECT_TRUE(s_.users->find_token_subject(u.id, "jti")->row.is_verified);
    EXPECT_TRUE(s_.users->find_token_subject(u.id, "")->row.is_verified);
    EXPECT_FALSE(s_.users->find_token_subject(u.id, "jti")->jti_revoked);
    ASSERT_TRUE(s_.revocations->revoke_jti("jti", 9000));
    EXPECT_TRUE(s_.users->find_token_subject(u.id, "jti")->jti_revoked);
    EXPECT_TRUE(s_.users->list_users(10, 0)->items.at(0).is_verified);
}

TEST_P(users, an_update_keeps_is_verified_unless_it_sets_it) {
    auto const u = add_user("keep@x.io");
    user_update verify;
    verify.is_verified = true;
    ASSERT_TRUE(s_.users->update_user(u.id, verify, 2000));
    user_update rename;
    rename.full_name = "Other";
    rename.is_active = false;
    EXPECT_TRUE(s_.users->update_user(u.id, rename, 2100)->is_verified);
    user_update unverify;
    unverify.is_verified = false;
    auto const r = s_.users->update_user(u.id, unverify, 2200);
    EXPECT_FALSE(r->is_verified);
    EXPECT_EQ(r->full_name, "Other");
    EXPECT_FALSE(r->is_active);
}

TEST_P(users, ping_answers) { EXPECT_TRUE(s_.users->ping()); }

WARDEN_ON_EVERY_BACKEND(users);

}  // namespace
}  // namespace warden::store
