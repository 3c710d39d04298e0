// wardend's route table against its OpenAPI document: every route of the router appears in it
// (with the scopes its guard requires) and nothing else; `--docs off` serves no document.
#include "app/routes/routes.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <set>
#include <string>

#include <boost/beast/http/verb.hpp>
#include <boost/json/parse.hpp>

#include <warden/http/path_pattern.hpp>
#include <warden/version.hpp>

#include "app/config/parse_config.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace warden::app {
namespace {

struct wardend_routes {
    explicit wardend_routes(std::vector<std::string> args = {}) {
        std::vector<std::string> all{"wardend",  "--data-dir",     dir.path().string(),
                                     "--argon2", "m=7168,t=1,p=1", "--cache-size",
                                     "0"};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char const*> argv;
        for (auto const& a : all) argv.push_back(a.c_str());
        auto parsed =
            parse_config(static_cast<int>(argv.size()), argv.data(), fixed_environment({}));
        EXPECT_EQ(parsed.next, parse_outcome::action::run) << parsed.message;
        settings = std::move(parsed.settings);
        svc = build_services(settings, [](std::string_view) {});
        routes = make_router(*svc);
    }

    /// `GET /openapi.json` through the router, or nullopt when there is no such route.
    std::optional<boost::json::object> document() const {
        auto const found = routes.find(http::verb::get, "/openapi.json");
        if (found.target == nullptr) return std::nullopt;
        http::request_context ctx;
        auto const res = test::run((*found.target)(ctx));
        EXPECT_EQ(res.result(), http::status::ok);
        EXPECT_EQ(res[http::field::content_type], "application/json");
        return boost::json::parse(res.body()).as_object();
    }

    test::temp_dir dir;
    config settings;
    std::unique_ptr<services> svc;
    http::router routes;
};

std::string operation(std::string_view method, std::string_view path) {
    std::string out{method};
    out += ' ';
    out += path;
    return out;
}

TEST(openapi_routes, every_documented_route_and_nothing_else) {
    wardend_routes const w;
    auto const doc = w.document();
    ASSERT_TRUE(doc.has_value());
    std::set<std::string> in_document;
    for (auto const& [path, item] : doc->at("paths").as_object()) {
        for (auto const& op : item.as_object()) in_document.insert(operation(op.key(), path));
    }
    std::set<std::string> in_router;
    std::set<std::string> hidden;
    for (auto const& d : w.routes.declarations()) {
        std::string method{boost::beast::http::to_string(d.method)};
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto const op = operation(method, http::path_pattern{d.pattern}.template_path());
        (d.in_schema ? in_router : hidden).insert(op);
    }
    EXPECT_EQ(in_document, in_router);
    EXPECT_TRUE(hidden.contains("get /openapi.json"));
    for (auto const& op : hidden) EXPECT_FALSE(in_document.contains(op)) << op;
    // The SPEC §3 routes wardend serves today, so a route lost from the table fails here too.
    for (auto const* op :
         {"post /api/auth/register", "post /api/auth/login", "post /api/auth/logout",
          "post /api/auth/revoke", "get /api/users/me", "patch /api/users/me",
          "post /api/users/me/password", "get /api/users", "get /api/users/{id}",
          "patch /api/users/{id}", "delete /api/users/{id}", "get /healthz", "get /readyz",
          "get /.well-known/jwks.json", "get /.well-known/oauth-authorization-server",
          "post /api/auth/request-verify-token", "post /api/auth/verify",
          "post /api/auth/forgot-password", "post /api/auth/reset-password"}) {
        EXPECT_TRUE(in_document.contains(op)) << op;
    }
}

TEST(openapi_routes, security_reads_the_scopes_the_guard_requires) {
    wardend_routes const w;
    auto const doc = w.document().value();
    for (auto const& d : w.routes.declarations()) {
        if (!d.in_schema) continue;
        std::string method{boost::beast::http::to_string(d.method)};
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto const& op = doc.at("paths")
                             .at(http::path_pattern{d.pattern}.template_path())
                             .at(method)
                             .as_object();
        if (!d.scopes) {
            EXPECT_FALSE(op.contains("security")) << d.pattern;
            continue;
        }
        boost::json::array scopes;
        for (auto const& s : *d.scopes) scopes.emplace_back(s);
        boost::json::array security;
        security.emplace_back(boost::json::object{{"OAuth2PasswordBearer", scopes}});
        EXPECT_EQ(op.at("security"), boost::json::value(security)) << d.pattern;
    }
    auto const& paths = doc.at("paths");
    EXPECT_EQ(paths.at("/api/users/me").at("get").at("security"),
              boost::json::parse(R"([{"OAuth2PasswordBearer": []}])"));
    EXPECT_EQ(paths.at("/api/users/{id}").at("delete").at("security"),
              boost::json::parse(R"([{"OAuth2PasswordBearer": ["admin"]}])"));
}

TEST(openapi_routes, the_document_names_the_version_the_flow_and_the_scopes) {
    wardend_routes const w{{"--default-scopes", "read write"}};
    auto const doc = w.document().value();
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    EXPECT_EQ(doc.at("info").at("title"), "warden");
    EXPECT_EQ(std::string_view{doc.at("info").at("version").as_string()}, warden::version);
    auto const& flow = doc.at("components")
                           .at("securitySchemes")
                           .at("OAuth2PasswordBearer")
                           .at("flows")
                           .at("password");
    EXPECT_EQ(flow.at("tokenUrl"), "api/auth/login");
    EXPECT_EQ(flow.at("refreshUrl"), "api/auth/login");
    std::set<std::string> scopes;
    for (auto const& s : flow.at("scopes").as_object()) scopes.emplace(s.key());
    EXPECT_EQ(scopes, (std::set<std::string>{"admin", "read", "write"}));
}

TEST(openapi_routes, input_rules_show_in_the_document) {
    wardend_routes const w{{"--password-scheme", "bcrypt", "--bcrypt-rounds", "10"}};
    auto const doc = w.document().value();
    auto const& schemas = doc.at("components").at("schemas");
    auto const& registration = schemas.at("Registration").at("properties");
    EXPECT_EQ(registration.at("email").at("format"), "email");
    EXPECT_EQ(registration.at("password").at("format"), "password");
    EXPECT_EQ(registration.at("password").at("minLength").to_number<std::int64_t>(), 8);
    EXPECT_EQ(registration.at("password").at("maxLength").to_number<std::int64_t>(),
              72);  // bcrypt reads 72 bytes
    EXPECT_EQ(registration.at("full_name").at("maxLength").to_number<std::int64_t>(), 200);
    EXPECT_EQ(schemas.at("UserSelfUpdate")
                  .at("properties")
                  .at("full_name")
                  .at("maxLength")
                  .to_number<std::int64_t>(),
              200);
    EXPECT_EQ(schemas.at("UserAdminUpdate")
                  .at("properties")
                  .at("scopes")
                  .at("maxItems")
                  .to_number<std::int64_t>(),
              64);
    EXPECT_EQ(schemas.at("PasswordChange").at("properties").at("new_password").at("format"),
              "password");
    auto const& login = doc.at("paths").at("/api/auth/login").at("post").at("requestBody");
    auto const& form = login.at("content").at("application/x-www-form-urlencoded").at("schema");
    EXPECT_EQ(form.at("$ref"), "#/components/schemas/LoginForm");
    auto const& fields = schemas.at("LoginForm").at("properties").as_object();
    for (auto const* name : {"grant_type", "username", "password", "scope", "client_id",
                             "client_secret", "refresh_token"}) {
        EXPECT_TRUE(fields.contains(name)) << name;
    }
    EXPECT_EQ(fields.at("password").at("format"), "password");
}

TEST(openapi_routes, docs_off_serves_no_document) {
    wardend_routes const w{{"--docs", "off"}};
    EXPECT_FALSE(w.document().has_value());
    EXPECT_TRUE(w.routes.find(http::verb::get, "/openapi.json").allow.empty());  // 404
}

}  // namespace
}  // namespace warden::app
