// The token and introspection endpoints' client authentication (RFC 6749 §2.3.1): Basic or form
// credentials, Swagger UI's empty Basic credentials as none, malformed and ambiguous ones.
#include "app/routes/client_authentication.hpp"

#include <gtest/gtest.h>

namespace warden::app {
namespace {

using kind = presented_client::kind;

http::form form_of(std::string_view body) {
    auto parsed = http::form::parse(body);
    EXPECT_TRUE(parsed);
    return parsed ? std::move(*parsed) : http::form{};
}

kind kind_of(std::string_view authorization, std::string_view body) {
    return read_client_authentication(authorization, form_of(body)).presented;
}

TEST(client_authentication, no_header_and_no_client_fields_is_none) {
    EXPECT_EQ(kind_of("", "username=a&password=b"), kind::none);
}

TEST(client_authentication, swagger_uis_empty_basic_credentials_are_none) {
    auto const body = "grant_type=password&username=a&password=b&scope=";
    EXPECT_EQ(kind_of("Basic Og==", body), kind::none);
    EXPECT_EQ(kind_of("basic Og==", body), kind::none);
    EXPECT_EQ(kind_of("BASIC    Og==  ", body), kind::none);
}

TEST(client_authentication, basic_credentials_give_the_id_and_secret) {
    auto const c = read_client_authentication("Basic Y2xpZW50OnNlY3JldA==", form_of(""));
    EXPECT_EQ(c.presented, kind::credentials);
    EXPECT_EQ(c.client_id, "client");
    EXPECT_EQ(c.secret.view(), "secret");
    // client: -> an empty secret, which matches no client.
    auto const empty = read_client_authentication("Basic Y2xpZW50Og==", form_of(""));
    EXPECT_EQ(empty.presented, kind::credentials);
    EXPECT_TRUE(empty.secret.empty());
    // The secret may hold a colon: only the first one separates.
    auto const colon = read_client_authentication("Basic eDp5Ono=", form_of(""));  // x:y:z
    EXPECT_EQ(colon.client_id, "x");
    EXPECT_EQ(colon.secret.view(), "y:z");
}

TEST(client_authentication, basic_credentials_are_form_decoded) {
    // "a%2Bb:c+d%21" -> id "a+b", secret "c d!" (RFC 6749 §2.3.1).
    auto const c = read_client_authentication("Basic YSUyQmI6YytkJTIx", form_of(""));
    EXPECT_EQ(c.presented, kind::credentials);
    EXPECT_EQ(c.client_id, "a+b");
    EXPECT_EQ(c.secret.view(), "c d!");
}

TEST(client_authentication, malformed_basic_credentials_are_malformed) {
    // No colon, bad base64 or padding, an empty id, a bad percent escape.
    for (std::string_view header :
         {"Basic", "Basic ", "Basic !!!", "Basic Og", "Basic Og==x", "Basic Og==Og==", "Basic b2s=",
          "Basic OnNlY3JldA==", "Basic YTolWg==", "Basic YTol", "Basic Y2xp-W50Og=="}) {
        EXPECT_EQ(kind_of(header, "username=a"), kind::malformed) << header;
    }
}

TEST(client_authentication, other_schemes_are_not_read) {
    EXPECT_EQ(kind_of("Bearer abc", "username=a"), kind::none);
    EXPECT_EQ(kind_of("Basicx Og==", "username=a"), kind::none);
    EXPECT_EQ(kind_of("Bas", "username=a"), kind::none);
}

TEST(client_authentication, form_credentials_give_the_id_and_secret) {
    auto const c = read_client_authentication("", form_of("client_id=c&client_secret=s%2B"));
    EXPECT_EQ(c.presented, kind::credentials);
    EXPECT_EQ(c.client_id, "c");
    EXPECT_EQ(c.secret.view(), "s+");
    EXPECT_EQ(kind_of("Basic Og==", "client_id=c&client_secret=s"), kind::credentials);
}

TEST(client_authentication, a_form_secret_without_an_id_is_malformed) {
    EXPECT_EQ(kind_of("", "client_secret=s"), kind::malformed);
    EXPECT_EQ(kind_of("Basic Og==", "client_secret=s"), kind::malformed);
}

TEST(client_authentication, a_public_client_id_alone_is_none) {
    EXPECT_EQ(kind_of("", "client_id=public-app"), kind::none);
    EXPECT_EQ(kind_of("", "client_id=&client_secret="), kind::none);
}

TEST(client_authentication, two_methods_at_once_are_ambiguous) {
    EXPECT_EQ(kind_of("Basic Y2xpZW50OnNlY3JldA==", "client_id=client&client_secret=secret"),
              kind::ambiguous);
    EXPECT_EQ(kind_of("Basic Y2xpZW50OnNlY3JldA==", "client_secret=secret"), kind::ambiguous);
    // A form client_id naming another client than Basic does.
    EXPECT_EQ(kind_of("Basic Y2xpZW50OnNlY3JldA==", "client_id=other"), kind::ambiguous);
    // The same id in both is one client.
    EXPECT_EQ(kind_of("Basic Y2xpZW50OnNlY3JldA==", "client_id=client"), kind::credentials);
}

TEST(client_authentication, bad_client_credentials_get_401_invalid_client_with_a_basic_challenge) {
    auto const res = invalid_client_response();
    EXPECT_EQ(res.result(), http::status::unauthorized);
    EXPECT_EQ(res[http::field::www_authenticate], "Basic realm=\"warden\"");
    EXPECT_EQ(res[http::field::cache_control], "no-store");
    EXPECT_NE(res.body().find("\"error\":\"invalid_client\""), std::string::npos) << res.body();
    EXPECT_EQ(res.body().find("access_token"), std::string::npos);
}

TEST(client_authentication, two_methods_get_400_invalid_request) {
    auto const res = ambiguous_client_response();
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res[http::field::cache_control], "no-store");
    EXPECT_NE(res.body().find("\"error\":\"invalid_request\""), std::string::npos) << res.body();
}

}  // namespace
}  // namespace warden::app
