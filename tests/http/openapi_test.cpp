#include <warden/http/openapi.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

#include <boost/json/parse.hpp>

#include <warden/http/responses.hpp>

namespace warden::http {
namespace {

namespace asio = boost::asio;

asio::awaitable<response> ok(request_context&) { co_return empty_response(status::ok); }

struct any_check {
    using principal_type = int;
    std::string scopes;
    [[nodiscard]] asio::awaitable<result<int>> authenticate(std::string_view) const { co_return 1; }
    [[nodiscard]] std::string required_scope() const { return scopes; }
    [[nodiscard]] std::string log_identity(int) const { return "1"; }
};

asio::awaitable<response> guarded_ok(request_context&, int) {
    co_return empty_response(status::ok);
}

named_schema thing() {
    return {"Thing", {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}}};
}

router sample_router() {
    router r;
    r.add(
        {.method = verb::get,
         .pattern = "/things/{id:int}",
         .summary = "Read a thing",
         .tag = "things",
         .responses = {{404, "No such thing", detail_error_schema()}, {200, "The thing", thing()}}},
        ok);
    r.add({.method = verb::delete_,
           .pattern = "/things/{id:int}",
           .summary = "Delete a thing",
           .tag = "things",
           .scopes = std::vector<std::string>{"admin"}},
          any_check{"admin"}, guarded_ok);
    r.add({.method = verb::post,
           .pattern = "/things",
           .body = body_descriptor{"application/json", thing(), true},
           .query = {{"dry_run", "Only check", {{"type", "boolean"}}, false}},
           .responses = {{201, "Created", thing()}}},
          ok);
    r.add({.method = verb::get, .pattern = "/me", .scopes = std::vector<std::string>{}},
          any_check{""}, guarded_ok);
    r.add({.method = verb::get, .pattern = "/files/{name}"}, ok);
    r.add({.method = verb::get, .pattern = "/metrics", .in_schema = false}, ok);
    return r;
}

openapi_info sample_info() {
    openapi_info info;
    info.title = "sample";
    info.version = "1.2.3";
    info.bearer_scheme = "Bearer";
    info.security_schemes = {{"Bearer", {{"type", "http"}, {"scheme", "bearer"}}}};
    return info;
}

TEST(openapi, describes_every_documented_route_and_nothing_else) {
    auto const doc = openapi_document(sample_router(), sample_info());
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    EXPECT_EQ(doc.at("info").at("title"), "sample");
    EXPECT_EQ(doc.at("info").at("version"), "1.2.3");
    auto const& paths = doc.at("paths").as_object();
    std::vector<std::string> operations;
    for (auto const& [path, item] : paths) {
        for (auto const& op : item.as_object()) {
            operations.push_back(std::string{op.key()} + " " + std::string{path});
        }
    }
    EXPECT_EQ(operations,
              (std::vector<std::string>{"get /things/{id}", "delete /things/{id}", "post /things",
                                        "get /me", "get /files/{name}"}));
}

TEST(openapi, typed_path_parameters_are_integers) {
    auto const doc = openapi_document(sample_router(), sample_info());
    auto const& get = doc.at("paths").at("/things/{id}").at("get");
    EXPECT_EQ(get.at("parameters"), boost::json::parse(R"([{"name": "id", "in": "path",
        "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}}])"));
    EXPECT_EQ(get.at("summary"), "Read a thing");
    EXPECT_EQ(get.at("tags"), boost::json::parse(R"(["things"])"));
    EXPECT_EQ(get.at("operationId"), "get_things_id");
    auto const& name = doc.at("paths").at("/files/{name}").at("get").at("parameters").at(0);
    EXPECT_EQ(name.at("schema"), boost::json::parse(R"({"type": "string"})"));
}

TEST(openapi, responses_are_ordered_and_422_is_added_where_input_is_validated) {
    auto const doc = openapi_document(sample_router(), sample_info());
    auto const& get = doc.at("paths").at("/things/{id}").at("get").at("responses").as_object();
    std::vector<std::string> statuses;
    for (auto const& r : get) statuses.emplace_back(r.key());
    EXPECT_EQ(statuses, (std::vector<std::string>{"200", "404", "422"}));
    EXPECT_EQ(get.at("200").at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/Thing");
    EXPECT_EQ(get.at("404").at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/HTTPError");
    EXPECT_EQ(get.at("422").at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/HTTPValidationError");
    // No parameters, no body: no 422, and the default 200.
    auto const& me = doc.at("paths").at("/me").at("get").at("responses").as_object();
    EXPECT_EQ(boost::json::value(me),
              boost::json::parse(R"({"200": {"description": "Successful Response"}})"));
    auto const& post = doc.at("paths").at("/things").at("post");
    EXPECT_EQ(post.at("requestBody"), boost::json::parse(R"({"required": true, "content":
        {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}})"));
    EXPECT_EQ(post.at("parameters").at(0).at("in"), "query");
    auto const& schemas = doc.at("components").at("schemas").as_object();
    for (auto const name : {"Thing", "HTTPError", "HTTPValidationError", "ValidationError"}) {
        EXPECT_TRUE(schemas.contains(name)) << name;
    }
}

TEST(openapi, security_lists_the_declared_scopes) {
    auto const doc = openapi_document(sample_router(), sample_info());
    auto const& paths = doc.at("paths");
    EXPECT_EQ(paths.at("/things/{id}").at("delete").at("security"),
              boost::json::parse(R"([{"Bearer": ["admin"]}])"));
    EXPECT_EQ(paths.at("/me").at("get").at("security"), boost::json::parse(R"([{"Bearer": []}])"));
    EXPECT_FALSE(paths.at("/things/{id}").at("get").as_object().contains("security"));
    EXPECT_EQ(doc.at("components").at("securitySchemes"),
              boost::json::value(sample_info().security_schemes));
}

TEST(openapi, two_schemas_of_one_name_are_a_mistake) {
    router r;
    r.add({.method = verb::get, .pattern = "/a", .responses = {{200, "a", thing()}}}, ok);
    r.add({.method = verb::get,
           .pattern = "/b",
           .responses = {{200, "b", named_schema{"Thing", {{"type", "string"}}}}}},
          ok);
    EXPECT_THROW((void)openapi_document(r, sample_info()), std::logic_error);
}

}  // namespace
}  // namespace warden::http
