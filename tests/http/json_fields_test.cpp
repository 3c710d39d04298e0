#include <warden/http/json_fields.hpp>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace warden::http {
namespace {

struct profile {
    std::string name;
    std::optional<std::string> nickname;
    std::optional<bool> active;
    std::vector<std::string> tags;
};

json_fields<profile> profile_fields() {
    return {"Profile",
            {{"name",
              json_kind::string,
              true,
              false,
              {{"maxLength", 5}},
              [](profile& p, boost::json::value const& v, validation_errors& errors) {
                  std::string_view const text = v.get_string();
                  if (text.size() > 5) {
                      errors.add("name", "string_too_long",
                                 "String should have at most 5 characters");
                      return;
                  }
                  p.name = text;
              }},
             {"nickname",
              json_kind::string,
              false,
              true,
              {},
              [](profile& p, boost::json::value const& v, validation_errors&) {
                  p.nickname = v.is_null() ? std::string{} : std::string{v.get_string()};
              }},
             {"active",
              json_kind::boolean,
              false,
              false,
              {},
              [](profile& p, boost::json::value const& v, validation_errors&) {
                  p.active = v.get_bool();
              }},
             {"tags",
              json_kind::string_list,
              false,
              false,
              {{"maxItems", 2}},
              [](profile& p, boost::json::value const& v, validation_errors&) {
                  for (auto const& t : v.get_array()) p.tags.emplace_back(t.get_string());
              }}}};
}

/// The 422 entries for a body, as [type, field] pairs.
std::vector<std::pair<std::string, std::string>> errors_of(std::string_view body) {
    validation_errors errors;
    auto const read = profile_fields().read(boost::json::parse(body).as_object(), errors);
    EXPECT_EQ(read.has_value(), errors.empty());
    auto const detail = boost::json::parse(errors.to_response().body()).at("detail").as_array();
    std::vector<std::pair<std::string, std::string>> out;
    for (auto const& e : detail) {
        out.emplace_back(e.at("type").as_string(), e.at("loc").as_array().at(1).as_string());
    }
    return out;
}

using entries = std::vector<std::pair<std::string, std::string>>;

TEST(json_fields, reads_a_valid_body_into_the_struct) {
    validation_errors errors;
    auto const read = profile_fields().read(
        boost::json::parse(R"({"name": "jo", "nickname": null, "active": false, "tags": ["a"]})")
            .as_object(),
        errors);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->name, "jo");
    EXPECT_EQ(read->nickname, "");  // null handed to the nullable field
    EXPECT_EQ(read->active, false);
    EXPECT_EQ(read->tags, std::vector<std::string>{"a"});
}

TEST(json_fields, absent_optional_members_stay_unset) {
    validation_errors errors;
    auto const read =
        profile_fields().read(boost::json::parse(R"({"name": "jo"})").as_object(), errors);
    ASSERT_TRUE(read.has_value());
    EXPECT_FALSE(read->nickname.has_value());
    EXPECT_FALSE(read->active.has_value());
}

TEST(json_fields, reports_missing_and_extra_members) {
    EXPECT_EQ(errors_of(R"({})"), (entries{{"missing", "name"}}));
    EXPECT_EQ(errors_of(R"({"name": "jo", "admin": true, "x": 1})"),
              (entries{{"extra_forbidden", "admin"}, {"extra_forbidden", "x"}}));
}

TEST(json_fields, reports_wrong_types_as_pydantic_names_them) {
    EXPECT_EQ(errors_of(R"({"name": 3})"), (entries{{"string_type", "name"}}));
    EXPECT_EQ(errors_of(R"({"name": null})"), (entries{{"string_type", "name"}}));  // not nullable
    EXPECT_EQ(errors_of(R"({"name": "jo", "active": "yes"})"), (entries{{"bool_type", "active"}}));
    EXPECT_EQ(errors_of(R"({"name": "jo", "tags": "a"})"), (entries{{"list_type", "tags"}}));
    EXPECT_EQ(errors_of(R"({"name": "jo", "tags": ["a", 1]})"), (entries{{"string_type", "tags"}}));
    EXPECT_EQ(errors_of(R"({"name": "jo", "active": null})"), (entries{{"bool_type", "active"}}));
}

TEST(json_fields, runs_the_rule_and_keeps_the_table_order) {
    EXPECT_EQ(errors_of(R"({"active": 1, "name": "too long"})"),
              (entries{{"string_too_long", "name"}, {"bool_type", "active"}}));
    EXPECT_EQ(
        errors_of(R"({"active": 1, "extra": 0})"),
        (entries{{"extra_forbidden", "extra"}, {"missing", "name"}, {"bool_type", "active"}}));
}

TEST(json_fields, the_schema_describes_the_same_table) {
    auto const s = profile_fields().schema();
    EXPECT_EQ(s.name, "Profile");
    auto const expected = boost::json::parse(R"({
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 5},
            "nickname": {"type": ["string", "null"]},
            "active": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}
        },
        "additionalProperties": false,
        "required": ["name"]
    })");
    EXPECT_EQ(boost::json::value(s.schema), expected);
    auto const body = profile_fields().body();
    EXPECT_EQ(body.media_type, "application/json");
    EXPECT_TRUE(body.required);
}

}  // namespace
}  // namespace warden::http
