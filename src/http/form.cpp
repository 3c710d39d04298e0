#include <warden/http/form.hpp>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include <warden/http/errc.hpp>
#include <warden/http/multipart.hpp>
#include "http/content_type.hpp"

namespace warden::http {

result<form> form::parse(std::string_view body) {
    form out;
    if (body.empty()) return out;
    // Boost.URL 1.81's parse_query reads up to a terminating NUL rather than the view's end (a
    // query inside a request target ran into the headers): parse an exact, terminated copy.
    std::string const text{body};
    auto const encoded = boost::urls::parse_query(text);
    if (!encoded) return make_error_code(errc::malformed_form);
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;  // HTML forms write a space as '+'
    // Validated above, so this constructor (which throws on bad input) cannot throw.
    boost::urls::params_view const params{text, opts};
    for (auto const param : params) {
        if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
        if (auto const added = out.add(param.key, param.value); added) return added;
    }
    return out;
}

error_code form::add(std::string_view name, std::string_view value) {
    if (!fields_.emplace(name, value).second) return errc::repeated_parameter;  // RFC 6749 §3.1
    return {};
}

std::optional<std::string_view> form::get(std::string_view name) const noexcept {
    auto const it = fields_.find(name);
    if (it == fields_.end()) return std::nullopt;
    return std::string_view{it->second};
}

result<form> read_form(request const& req) {
    auto const it = req.find(field::content_type);
    // No body at all is an empty form (so missing fields are reported as such, as FastAPI does).
    if (it == req.end() && req.body().empty()) return form{};
    if (it == req.end()) return make_error_code(errc::expected_form);
    if (has_media_type(it->value(), "application/x-www-form-urlencoded"))
        return form::parse(req.body());
    if (has_media_type(it->value(), "multipart/form-data")) {
        auto const boundary = form_data_boundary(it->value());
        if (!boundary) return boundary.error();
        return parse_form_data(req.body(), *boundary);
    }
    return make_error_code(errc::expected_form);
}

}  // namespace warden::http
