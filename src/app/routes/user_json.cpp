#include "app/routes/user_json.hpp"

#include <chrono>

#include <fmt/format.h>
#include <boost/json/array.hpp>

namespace warden::app {

std::string rfc3339(std::int64_t unix_seconds) {
    using namespace std::chrono;
    sys_seconds const t{seconds{unix_seconds}};
    auto const day = floor<days>(t);
    year_month_day const ymd{day};
    hh_mm_ss const time{t - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
}

boost::json::object user_json(auth::subject const& u) {
    boost::json::array scopes;
    for (auto const& s : u.scopes) scopes.emplace_back(s);
    return {
        {"id", u.id},
        {"email", u.email},
        {"full_name", u.full_name},
        {"is_active", u.is_active},
        {"is_verified", u.is_verified},
        {"scopes", std::move(scopes)},
        {"created_at", rfc3339(u.created_at)},
    };
}

boost::json::object user_json(store::user const& u) { return user_json(auth::subject::of(u)); }

http::named_schema user_schema() {
    boost::json::object properties{
        {"id", {{"type", "integer"}, {"format", "int64"}, {"minimum", 1}}},
        {"email", {{"type", "string"}, {"format", "email"}}},
        {"full_name", {{"type", "string"}}},
        {"is_active", {{"type", "boolean"}}},
        {"is_verified", {{"type", "boolean"}}},
        {"scopes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}},
    };
    boost::json::array required;
    for (auto const& p : properties) required.emplace_back(p.key());
    return {"User",
            {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}}};
}

}  // namespace warden::app
