#include <warden/core/json.hpp>

#include <gtest/gtest.h>

#include <string>

#include <warden/core/errc.hpp>

namespace warden {
namespace {

TEST(parse_json_strict, parses_objects_arrays_and_scalars) {
    auto const v = parse_json_strict(
        R"({"a":1,"b":[true,null,"x",-2,1.5,18446744073709551615],"c":{"d":"e"}})");
    ASSERT_TRUE(v.has_value());
    auto const& o = v->as_object();
    EXPECT_EQ(o.at("a").as_int64(), 1);
    EXPECT_EQ(o.at("b").as_array().size(), 6U);
    EXPECT_EQ(o.at("c").as_object().at("d").as_string(), "e");
}

TEST(parse_json_strict, keeps_member_order_and_escapes) {
    auto const v = parse_json_strict(R"({"z":"\u00e9\n","a":"\ud83d\ude00"})");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->as_object().begin()->key(), "z");
    EXPECT_EQ(v->as_object().at("z").as_string(), "\xc3\xa9\n");
    EXPECT_EQ(v->as_object().at("a").as_string(), "\xf0\x9f\x98\x80");
}

TEST(parse_json_strict, rejects_duplicate_members) {
    EXPECT_EQ(parse_json_strict(R"({"a":1,"a":2})").error(), core_errc::duplicate_member);
    EXPECT_EQ(parse_json_strict(R"({"x":{"a":1,"b":2,"a":3}})").error(),
              core_errc::duplicate_member);
    EXPECT_EQ(parse_json_strict(R"([{"a":1},{"k":1,"k":1}])").error(), core_errc::duplicate_member);
    // The same name once per object is fine, and an escape spelling the same name is a duplicate.
    EXPECT_TRUE(parse_json_strict(R"({"a":{"a":{"a":1}}})").has_value());
    EXPECT_EQ(parse_json_strict(R"({"alg":1,"\u0061lg":2})").error(), core_errc::duplicate_member);
}

TEST(parse_json_strict, rejects_depth_beyond_the_limit) {
    std::string deep(17, '[');
    deep += std::string(17, ']');
    EXPECT_EQ(parse_json_strict(deep).error(), core_errc::json_too_deep);
    std::string ok(16, '[');
    ok += std::string(16, ']');
    EXPECT_TRUE(parse_json_strict(ok).has_value());
    EXPECT_TRUE(parse_json_strict(deep, {.max_depth = 32}).has_value());
}

TEST(parse_json_strict, rejects_malformed_text) {
    for (char const* bad : {"",
                            " ",
                            "{",
                            "}",
                            "{\"a\":}",
                            "{\"a\" 1}",
                            "[1,]",
                            "{\"a\":1,}",
                            "'a'",
                            "{a:1}",
                            "NaN",
                            "01",
                            "1.",
                            "tru",
                            "\"unterminated",
                            "[1] [2]",
                            "{} x",
                            "/* c */ {}",
                            "{\"a\":1} // c",
                            "\"\\x41\""}) {
        auto const r = parse_json_strict(bad);
        EXPECT_FALSE(r.has_value()) << bad;
        if (!r) {
            EXPECT_EQ(r.error(), core_errc::invalid_json) << bad;
        }
    }
}

TEST(parse_json_strict, rejects_numbers_beyond_the_double_range) {
    EXPECT_EQ(parse_json_strict("1e400").error(), core_errc::invalid_json);
    EXPECT_EQ(parse_json_strict("[-6e66666]").error(), core_errc::invalid_json);
    EXPECT_TRUE(parse_json_strict("1e300").has_value());
    EXPECT_TRUE(
        parse_json_strict("99999999999999999999999").has_value());  // a large double, finite
}

TEST(parse_json_strict, rejects_invalid_utf8) {
    EXPECT_EQ(parse_json_strict("\"\xff\"").error(), core_errc::invalid_json);
    EXPECT_EQ(parse_json_strict("{\"\xc3\":1}").error(), core_errc::invalid_json);
    EXPECT_EQ(parse_json_strict("\"\xed\xa0\x80\"").error(), core_errc::invalid_json);  // surrogate
}

TEST(parse_json_strict, rejects_embedded_nul_outside_strings) {
    EXPECT_FALSE(parse_json_strict(std::string_view{"{}\0", 3}).has_value());
    EXPECT_FALSE(parse_json_strict(std::string_view{"\"a\0b\"", 5}).has_value());
}

TEST(parse_json_strict, maps_to_invalid_request) {
    EXPECT_EQ(parse_json_strict("{").error(), condition::invalid_request);
    EXPECT_EQ(parse_json_strict(R"({"a":1,"a":1})").error(), condition::invalid_request);
}

}  // namespace
}  // namespace warden
