#include <warden/http/responses.hpp>

#include <boost/json/serialize.hpp>

#include "http/utf8.hpp"

namespace warden::http {

response json_response(status code, boost::json::value const& body) {
    response res{code, 11};
    res.set(field::content_type, "application/json");
    res.body() = boost::json::serialize(body);
    // Boost.JSON writes string bytes as they are: a handler echoing request bytes (a path
    // segment, a form value) would otherwise send invalid JSON. Only strings can hold such bytes.
    replace_invalid_utf8(res.body());
    return res;
}

response detail_response(status code, std::string_view detail) {
    return json_response(code, boost::json::object{{"detail", detail}});
}

response empty_response(status code) { return response{code, 11}; }

void set_no_store(response& res) {
    res.set(field::cache_control, "no-store");
    res.set(field::pragma, "no-cache");
}

}  // namespace warden::http
