// The token endpoint's client authentication: no client is registered, so any client
// credentials are wrong, and Swagger UI's empty Basic credentials are none.
#include "app/routes/client_authentication.hpp"

#include <gtest/gtest.h>

namespace warden::app {
namespace {

http::form form_of(std::string_view body) {
    auto parsed = http::form::parse(body);
    EXPECT_TRUE(parsed);
    return parsed ? std::move(*parsed) : http::form{};
}

TEST(client_authentication, no_header_and_no_client_fields_is_none) {
    EXPECT_FALSE(presents_client_credentials("", form_of("username=a&password=b")));
}

TEST(client_authentication, swagger_uis_empty_basic_credentials_are_none) {
    auto const form = form_of("grant_type=password&username=a&password=b&scope=");
    EXPECT_FALSE(presents_client_credentials("Basic Og==", form));
    EXPECT_FALSE(presents_client_credentials("basic Og==", form));
    EXPECT_FALSE(presents_client_credentials("BASIC    Og==  ", form));
}

TEST(client_authentication, named_basic_credentials_are_presented) {
    auto const form = form_of("username=a&password=b");
    EXPECT_TRUE(presents_client_credentials("Basic Y2xpZW50OnNlY3JldA==", form));  // client:secret
    EXPECT_TRUE(presents_client_credentials("Basic Y2xpZW50Og==", form));          // client:
    EXPECT_TRUE(presents_client_credentials("Basic OnNlY3JldA==", form));          // :secret
}

TEST(client_authentication, malformed_basic_credentials_are_presented_too) {
    auto const form = form_of("username=a&password=b");
    for (std::string_view header : {"Basic", "Basic ", "Basic !!!", "Basic Og", "Basic Og==x"}) {
        EXPECT_TRUE(presents_client_credentials(header, form)) << header;
    }
}

TEST(client_authentication, other_schemes_are_not_read) {
    auto const form = form_of("username=a&password=b");
    EXPECT_FALSE(presents_client_credentials("Bearer abc", form));
    EXPECT_FALSE(presents_client_credentials("Basicx Og==", form));
    EXPECT_FALSE(presents_client_credentials("Bas", form));
}

TEST(client_authentication, a_client_secret_field_is_presented) {
    EXPECT_TRUE(presents_client_credentials("", form_of("client_id=c&client_secret=s")));
    EXPECT_TRUE(presents_client_credentials("", form_of("client_secret=s")));
    EXPECT_TRUE(presents_client_credentials("Basic Og==", form_of("client_secret=s")));
}

TEST(client_authentication, a_public_client_id_alone_is_not) {
    EXPECT_FALSE(presents_client_credentials("", form_of("client_id=public-app")));
    EXPECT_FALSE(presents_client_credentials("", form_of("client_id=&client_secret=")));
}

TEST(client_authentication, bad_client_credentials_get_401_invalid_client_with_a_basic_challenge) {
    auto const res = invalid_client_response();
    EXPECT_EQ(res.result(), http::status::unauthorized);
    EXPECT_EQ(res[http::field::www_authenticate], "Basic realm=\"warden\"");
    EXPECT_EQ(res[http::field::cache_control], "no-store");
    EXPECT_NE(res.body().find("\"error\":\"invalid_client\""), std::string::npos) << res.body();
    EXPECT_EQ(res.body().find("access_token"), std::string::npos);
}

}  // namespace
}  // namespace warden::app
