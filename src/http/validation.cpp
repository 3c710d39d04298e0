#include <warden/http/validation.hpp>

#include <boost/json/object.hpp>

#include <warden/core/errc.hpp>
#include <warden/http/errc.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

namespace warden::http {

void validation_errors::missing(std::string_view name) {
    add(name, "missing", "Field required", boost::json::value{});
}

void validation_errors::add(std::string_view name, std::string_view type, std::string_view msg,
                            boost::json::value input) {
    errors_.push_back(boost::json::object{
        {"type", type},
        {"loc", boost::json::array{"body", name}},
        {"msg", msg},
        {"input", std::move(input)},
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
        return invalid_body("model_attributes_type", "Input should be a valid dictionary or object");
    }
    if (ec.category() == core_category()) return invalid_body("json_invalid", "JSON decode error: " + ec.message());
    return render(problem_for(ec));
}

}  // namespace warden::http
