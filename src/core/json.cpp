#include <warden/core/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <warden/core/errc.hpp>

namespace warden {
namespace {

namespace json = boost::json;

// Builds the value like boost::json::parser does, and also remembers each open object's member
// names so a repeated name fails the parse (Boost.JSON 1.81 would silently keep one of them).
struct strict_handler {
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    json::value_stack stack;
    std::vector<std::vector<std::string>> keys;  // one list per open object
    std::string key;                             // the member name being read
    bool duplicate = false;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) {
        keys.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t n, json::error_code& ec) {
        auto& names = keys.back();
        std::sort(names.begin(), names.end());
        if (std::adjacent_find(names.begin(), names.end()) != names.end()) {
            duplicate = true;
            ec = json::error::syntax;
            return false;
        }
        keys.pop_back();
        stack.push_object(n);
        return true;
    }
    bool on_array_begin(json::error_code&) { return true; }
    bool on_array_end(std::size_t n, json::error_code&) {
        stack.push_array(n);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        stack.push_chars(s);
        key.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&) {
        stack.push_key(s);
        key.append(s.data(), s.size());
        keys.back().push_back(std::move(key));
        key.clear();
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        stack.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code&) {
        stack.push_string(s);
        return true;
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
        stack.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
        stack.push_uint64(u);
        return true;
    }
    bool on_double(double d, json::string_view, json::error_code& ec) {
        // A number beyond the double range parses as infinity, which JSON cannot write back.
        if (!std::isfinite(d)) {
            ec = json::error::exponent_overflow;
            return false;
        }
        stack.push_double(d);
        return true;
    }
    bool on_bool(bool b, json::error_code&) {
        stack.push_bool(b);
        return true;
    }
    bool on_null(json::error_code&) {
        stack.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

result<json::value> parse_json_strict(std::string_view text, json_limits limits) {
    json::parse_options options;
    options.max_depth = limits.max_depth;
    json::basic_parser<strict_handler> parser{options};
    parser.handler().stack.reset();
    json::error_code ec;
    std::size_t const used = parser.write_some(false, text.data(), text.size(), ec);
    if (parser.handler().duplicate) return make_error_code(core_errc::duplicate_member);
    if (ec == json::error::too_deep) return make_error_code(core_errc::json_too_deep);
    if (ec || used != text.size() || !parser.done())
        return make_error_code(core_errc::invalid_json);
    return parser.handler().stack.release();
}

}  // namespace warden
