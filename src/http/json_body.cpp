#include <warden/http/json_body.hpp>

#include <boost/beast/core/string.hpp>

#include <warden/core/json.hpp>
#include <warden/http/errc.hpp>
#include "http/content_type.hpp"

namespace warden::http {
namespace {

bool is_json(std::string_view content_type) {
    if (has_media_type(content_type, "application/json")) return true;
    // Structured syntax suffix (RFC 6839), e.g. application/merge-patch+json.
    std::string_view const media = content_type.substr(0, content_type.find(';'));
    return media.size() > 5 && boost::beast::iequals(media.substr(media.size() - 5), "+json");
}

}  // namespace

result<boost::json::object> read_json_object(request const& req, std::size_t max_depth) {
    auto const it = req.find(field::content_type);
    if (it == req.end() || !is_json(it->value())) return make_error_code(errc::expected_json);
    auto parsed = parse_json_strict(req.body(), {.max_depth = max_depth});
    if (!parsed) return parsed.error();
    if (!parsed->is_object()) return make_error_code(errc::body_not_object);
    return std::move(parsed->as_object());
}

}  // namespace warden::http
