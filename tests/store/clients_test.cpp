// client_store on every backend: OAuth2 clients, their hashed secrets and scopes.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

#include "support/numbered.hpp"

namespace warden::store {
namespace {

using clients = test::store_test;

// A SHA-256 is any 32 bytes: NUL and bytes that are not UTF-8 included.
std::string digest_of(char fill) {
    std::string d(32, fill);
    d[0] = '\0';
    d[1] = '\xff';
    return d;
}

client_record client(std::string id, std::vector<std::string> scopes = {"items:read"}) {
    return {.client_id = std::move(id),
            .secret_hash = digest_of('a'),
            .scopes = std::move(scopes),
            .created_at = 1000,
            .updated_at = 1000};
}

TEST_P(clients, a_client_round_trips_exactly) {
    auto const c = client("billing", {"items:read", "items:write"});
    auto r = s_.clients->add_client(c);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    auto found = s_.clients->find_client("billing");
    ASSERT_TRUE(found.has_value()) << found.error().message();
    EXPECT_EQ(*found, c);
    EXPECT_EQ(found->secret_hash.size(), 32U);
}

TEST_P(clients, scopes_are_kept_sorted_without_duplicates) {
    ASSERT_TRUE(s_.clients->add_client(client("c", {"z", "a:b", "z", "!#[]~"})));
    EXPECT_EQ(s_.clients->find_client("c")->scopes,
              (std::vector<std::string>{"!#[]~", "a:b", "z"}));
    ASSERT_TRUE(s_.clients->add_client(client("none", {})));
    EXPECT_TRUE(s_.clients->find_client("none")->scopes.empty());
}

TEST_P(clients, ids_are_exact) {
    ASSERT_TRUE(s_.clients->add_client(client("Svc")));
    EXPECT_EQ(s_.clients->find_client("svc").error(), errc::not_found);
    EXPECT_TRUE(s_.clients->add_client(client("svc")));  // another client
    EXPECT_EQ(s_.clients->clients()->size(), 2U);
}

TEST_P(clients, an_unknown_client_is_not_found) {
    EXPECT_EQ(s_.clients->find_client("nobody").error(), errc::not_found);
    EXPECT_EQ(s_.clients->find_client("").error(), errc::not_found);
    EXPECT_EQ(s_.clients->set_client_secret("nobody", digest_of('b'), 2000).error(),
              errc::not_found);
    EXPECT_EQ(s_.clients->delete_client("nobody").error(), errc::not_found);
}

TEST_P(clients, a_taken_id_is_refused_and_the_first_client_kept) {
    ASSERT_TRUE(s_.clients->add_client(client("svc", {"a"})));
    auto other = client("svc", {"b"});
    other.secret_hash = digest_of('z');
    EXPECT_EQ(s_.clients->add_client(other).error(), errc::already_exists);
    EXPECT_EQ(*s_.clients->find_client("svc"), client("svc", {"a"}));
}

TEST_P(clients, add_refuses_clients_the_store_cannot_keep) {
    auto const refused = [&](client_record const& c) {
        EXPECT_EQ(s_.clients->add_client(c).error(), errc::invalid_argument) << c.client_id;
    };
    refused(client(""));
    refused(client(std::string{"a\0b", 3}));
    refused(client("bad\xff"));
    auto no_secret = client("k");
    no_secret.secret_hash.clear();
    refused(no_secret);
    refused(client("k", {"has space"}));
    refused(client("k", {""}));
    refused(client("k", {"quote\""}));
    EXPECT_TRUE(s_.clients->clients()->empty());
}

TEST_P(clients, are_listed_by_id) {
    for (auto const* id : {"m", "a", "z", "B"}) ASSERT_TRUE(s_.clients->add_client(client(id)));
    auto all = s_.clients->clients();
    ASSERT_TRUE(all.has_value()) << all.error().message();
    ASSERT_EQ(all->size(), 4U);
    EXPECT_EQ((*all)[0].client_id, "B");  // bytewise
    EXPECT_EQ((*all)[1].client_id, "a");
    EXPECT_EQ((*all)[2].client_id, "m");
    EXPECT_EQ((*all)[3].client_id, "z");
    EXPECT_EQ((*all)[0], client("B"));
}

TEST_P(clients, a_new_secret_replaces_the_old_one) {
    ASSERT_TRUE(s_.clients->add_client(client("svc")));
    ASSERT_TRUE(s_.clients->set_client_secret("svc", digest_of('n'), 2000));
    auto found = s_.clients->find_client("svc");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_hash, digest_of('n'));
    EXPECT_EQ(found->created_at, 1000);
    EXPECT_EQ(found->updated_at, 2000);
    EXPECT_EQ(found->scopes, std::vector<std::string>{"items:read"});
    EXPECT_EQ(s_.clients->set_client_secret("svc", "", 3000).error(), errc::invalid_argument);
    EXPECT_EQ(s_.clients->find_client("svc")->secret_hash, digest_of('n'));
}

TEST_P(clients, a_deleted_client_is_gone_and_its_id_free) {
    ASSERT_TRUE(s_.clients->add_client(client("svc")));
    ASSERT_TRUE(s_.clients->add_client(client("keep")));
    ASSERT_TRUE(s_.clients->delete_client("svc"));
    EXPECT_EQ(s_.clients->find_client("svc").error(), errc::not_found);
    EXPECT_EQ(s_.clients->delete_client("svc").error(), errc::not_found);
    EXPECT_TRUE(s_.clients->find_client("keep"));
    EXPECT_TRUE(s_.clients->add_client(client("svc", {"other"})));
    EXPECT_EQ(s_.clients->find_client("svc")->scopes, std::vector<std::string>{"other"});
}

TEST_P(clients, another_process_sees_the_changes) {
    auto other = open_again();
    ASSERT_NE(other.clients, nullptr);
    ASSERT_TRUE(s_.clients->add_client(client("svc")));
    EXPECT_EQ(*other.clients->find_client("svc"), client("svc"));
    ASSERT_TRUE(other.clients->set_client_secret("svc", digest_of('x'), 1500));
    EXPECT_EQ(s_.clients->find_client("svc")->secret_hash, digest_of('x'));
}

TEST_P(clients, of_racing_adds_of_one_id_exactly_one_succeeds) {
    constexpr int threads = 8;
    auto other = open_again();
    ASSERT_NE(other.clients, nullptr);
    for (int round = 0; round < 3; ++round) {
        auto const id = test::numbered("svc-", round);
        std::atomic<int> added{0};
        std::atomic<int> taken{0};
        std::barrier start{threads};
        {
            std::vector<std::jthread> racers;
            for (int t = 0; t < threads; ++t) {
                racers.emplace_back([&, t] {
                    auto& store = t % 2 == 0 ? *s_.clients : *other.clients;
                    auto c = client(id, {test::numbered("s", t)});
                    start.arrive_and_wait();
                    auto r = store.add_client(c);
                    if (r) {
                        ++added;
                    } else if (r.error() == errc::already_exists) {
                        ++taken;
                    }
                });
            }
        }
        EXPECT_EQ(added.load(), 1) << "round " << round;
        EXPECT_EQ(taken.load(), threads - 1) << "round " << round;
        auto const found = s_.clients->find_client(id);
        ASSERT_TRUE(found.has_value());
        EXPECT_EQ(found->scopes.size(), 1U);
    }
}

WARDEN_ON_EVERY_BACKEND(clients);

}  // namespace
}  // namespace warden::store
