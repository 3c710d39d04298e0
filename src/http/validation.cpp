#include <warden/http/validation.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <warden/core/errc.hpp>
#include <warden/http/errc.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

namespace warden::http {
namespace {

/// `text` cut to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view cut(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
    return text.substr(0, end);
}

/// The echoed input, bounded by `validation_errors::max_echo_bytes`.
boost::json::value bounded(boost::json::value input) {
    auto const limit = validation_errors::max_echo_bytes;
    if (input.is_string()) {
        auto const& text = input.get_string();
        if (text.size() > limit) return boost::json::string{cut(text, limit)};
    } else if ((input.is_array() || input.is_object()) &&
               boost::json::serialize(input).size() > limit) {
        return nullptr;
    }
    return input;
}

}  // namespace

void validation_errors::missing(std::string_view name) {
    add(name, "missing", "Field required", boost::json::value{});
}

void validation_errors::add(std::string_view name, std::string_view type, std::string_view msg,
                            boost::json::value input) {
    if (errors_.size() >= max_errors) return;
    errors_.push_back(boost::json::object{
        {"type", type},
        {"loc", boost::json::array{"body", cut(name, max_echo_bytes)}},
        {"msg", msg},
        {"input", bounded(std::move(input))},
    });
}

void validation_errors::add(std::string_view name, std::string_view type, std::string_view msg,
                            std::string_view input) {
    add(name, type, msg, boost::json::value(boost::json::string_view(input.data(), input.size())));
}

response validation_errors::to_response() const {
    return json_response(status::unprocessable_entity, boost::json::object{{"detail", errors_}});
}

response body_error_response(error_code ec) {
    if (ec == errc::expected_form || ec == errc::expected_json) {
        return detail_response(status::unsupported_media_type, ec.message());
    }
    auto invalid_body = [](std::string_view type, std::string_view msg) {
        boost::json::array detail{boost::json::object{
            {"type", type}, {"loc", boost::json::array{"body"}}, {"msg", msg}, {"input", nullptr}}};
        return json_response(status::unprocessable_entity, boost::json::object{{"detail", detail}});
    };
    if (ec == errc::body_not_object) {
        return invalid_body("model_attributes_type",
                            "Input should be a valid dictionary or object");
    }
    if (ec.category() == core_category())
        return invalid_body("json_invalid", "JSON decode error: " + ec.message());
    return render(problem_for(ec));
}

}  // namespace warden::http
