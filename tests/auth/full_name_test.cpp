#include <warden/auth/full_name.hpp>

#include <gtest/gtest.h>

#include <string>

namespace warden::auth {
namespace {

TEST(check_full_name, accepts_names_in_any_script) {
    for (std::string_view ok :
         {"", "Jo Doe", "Zo\xc3\xab O'Brien-Smith",
          "\xe7\x94\xb0\xe4\xb8\xad \xe5\xa4\xaa\xe9\x83\x8e",
          "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",                     // Arabic
          "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7"}) {  // Devanagari with ZWJ
        EXPECT_EQ(check_full_name(ok), full_name_check::ok) << ok;
    }
}

TEST(check_full_name, refuses_control_characters_and_line_breaks) {
    using namespace std::string_literals;
    for (std::string const& bad : {"a\0b"s, "a\x1b[31mb"s, "a\nb"s, "a\rb"s, "a\tb"s, "a\x7f"s,
                                   "a\xc2\x85"
                                   "b"s,  // U+0085
                                   "a\xe2\x80\xa8"
                                   "b"s,  // U+2028
                                   "a\xe2\x80\xae"
                                   "b"s,  // U+202E
                                   "a\xe2\x81\xa6"
                                   "b"s,  // U+2066
                                   "a\xe2\x80\x8f"
                                   "b"s,  // U+200F
                                   "a\xff"s}) {
        EXPECT_EQ(check_full_name(bad), full_name_check::invalid_text) << bad;
    }
}

TEST(check_full_name, counts_characters_not_bytes) {
    std::string accented;
    for (std::size_t i = 0; i < max_full_name_length; ++i) accented += "\xc3\xa9";
    EXPECT_EQ(check_full_name(accented), full_name_check::ok);
    EXPECT_EQ(check_full_name(accented + "e"), full_name_check::too_long);
    EXPECT_EQ(check_full_name(std::string(201, 'a')), full_name_check::too_long);
}

}  // namespace
}  // namespace warden::auth
