#include "app/cli/output.hpp"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <string>
#include <warden/password/scheme.hpp>

#include "app/routes/user_json.hpp"

namespace warden::app::cli {

boost::json::object user_view(store::user const& u, password::context const& hashing) {
    auto view = user_json(u);
    view["updated_at"] = rfc3339(u.updated_at);
    auto const scheme = hashing.identify(u.password_hash);
    view["password_scheme"] = scheme ? password::name(*scheme) : std::string_view{"unknown"};
    return view;
}

void print_json(boost::json::value const& value) {
    std::string line = boost::json::serialize(value);
    line += '\n';
    std::fputs(line.c_str(), stdout);
}

}  // namespace warden::app::cli
