#include <warden/http/openapi.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>

namespace warden::http {
namespace {

std::string lower(std::string_view text) {
    std::string out{text};
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// `get_api_users_id` for `GET /api/users/{id}`: unique, as methods and shapes are.
std::string operation_id(verb method, std::string const& template_path) {
    std::string id = lower(boost::beast::http::to_string(method));
    for (char const c : template_path) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            id += c;
        } else if (id.back() != '_') {
            id += '_';
        }
    }
    while (id.back() == '_') id.pop_back();
    return id;
}

class schema_collector {
  public:
    /// Records a named schema; the same name must always be the same schema.
    void add(named_schema const& s) {
        if (auto const* known = schemas_.if_contains(s.name)) {
            if (!known->is_object() || known->get_object() != s.schema) {
                std::string message{"two different OpenAPI schemas named "};
                message += s.name;
                throw std::logic_error{message};
            }
            return;
        }
        schemas_[s.name] = s.schema;
    }
    boost::json::object take() { return std::move(schemas_); }

  private:
    boost::json::object schemas_;
};

boost::json::object json_content(named_schema const& s, std::string_view media_type) {
    return {{media_type, boost::json::object{{"schema", schema_ref(s.name)}}}};
}

boost::json::array parameters(route_declaration const& d, path_pattern const& pattern) {
    boost::json::array out;
    for (auto const& s : pattern.segments()) {
        if (s.type == path_pattern::kind::literal) continue;
        boost::json::object schema{{"type", "string"}};
        if (s.type == path_pattern::kind::integer)
            schema = {{"type", "integer"}, {"format", "int64"}, {"minimum", 1}};
        out.emplace_back(boost::json::object{
            {"name", s.text}, {"in", "path"}, {"required", true}, {"schema", std::move(schema)}});
    }
    for (auto const& q : d.query) {
        boost::json::object p{{"name", q.name}, {"in", "query"}, {"required", q.required}};
        if (!q.description.empty()) p["description"] = q.description;
        p["schema"] = q.schema;
        out.emplace_back(std::move(p));
    }
    return out;
}

boost::json::object operation(route_declaration const& d, path_pattern const& pattern,
                              openapi_info const& info, schema_collector& schemas) {
    boost::json::object op;
    if (!d.tag.empty()) op["tags"] = boost::json::array{d.tag};
    if (!d.summary.empty()) op["summary"] = d.summary;
    op["operationId"] = operation_id(d.method, pattern.template_path());
    auto params = parameters(d, pattern);
    bool const validates = !params.empty() || d.body.has_value();
    if (!params.empty()) op["parameters"] = std::move(params);
    if (d.body) {
        schemas.add(d.body->schema);
        op["requestBody"] =
            boost::json::object{{"required", d.body->required},
                                {"content", json_content(d.body->schema, d.body->media_type)}};
    }
    auto declared = d.responses;
    std::stable_sort(declared.begin(), declared.end(),
                     [](auto const& a, auto const& b) { return a.status < b.status; });
    boost::json::object responses;
    for (auto const& r : declared) {
        boost::json::object response{{"description", r.description}};
        if (r.schema) {
            schemas.add(*r.schema);
            response["content"] = json_content(*r.schema, "application/json");
        }
        responses[std::to_string(r.status)] = std::move(response);
    }
    if (d.responses.empty())
        responses["200"] = boost::json::object{{"description", "Successful Response"}};
    if (validates && !responses.contains("422")) {
        auto const error = validation_error_schema();
        schemas.add(error);
        responses["422"] =
            boost::json::object{{"description", "Validation Error"},
                                {"content", json_content(error, "application/json")}};
    }
    op["responses"] = std::move(responses);
    if (d.scopes) {
        boost::json::array scopes;
        for (auto const& s : *d.scopes) scopes.emplace_back(s);
        op["security"] =
            boost::json::array{boost::json::object{{info.bearer_scheme, std::move(scopes)}}};
    }
    return op;
}

}  // namespace

boost::json::object schema_ref(std::string_view name) {
    std::string ref{"#/components/schemas/"};
    ref += name;
    return {{"$ref", ref}};
}

named_schema detail_error_schema() {
    return {"HTTPError",
            {{"type", "object"},
             {"properties", {{"detail", {{"type", "string"}, {"title", "Detail"}}}}},
             {"required", boost::json::array{"detail"}}}};
}

named_schema validation_error_schema() {
    return {
        "HTTPValidationError",
        {{"type", "object"},
         {"properties",
          {{"detail",
            {{"type", "array"}, {"title", "Detail"}, {"items", schema_ref("ValidationError")}}}}},
         {"title", "HTTPValidationError"}}};
}

namespace {

named_schema validation_error_entry() {
    boost::json::object location{
        {"type", "array"},
        {"title", "Location"},
        {"items",
         {{"anyOf", boost::json::array{boost::json::object{{"type", "string"}},
                                       boost::json::object{{"type", "integer"}}}}}}};
    return {"ValidationError",
            {{"type", "object"},
             {"title", "ValidationError"},
             {"properties",
              {{"loc", std::move(location)},
               {"msg", {{"type", "string"}, {"title", "Message"}}},
               {"type", {{"type", "string"}, {"title", "Error Type"}}},
               {"input",
                {{"title", "Input"}, {"description", "The refused value (never a password)"}}}}},
             {"required", boost::json::array{"loc", "msg", "type"}}}};
}

}  // namespace

boost::json::object openapi_document(router const& routes, openapi_info const& info) {
    schema_collector schemas;
    boost::json::object paths;
    bool validates = false;
    for (auto const& d : routes.declarations()) {
        if (!d.in_schema) continue;
        path_pattern const pattern{d.pattern};
        auto& item = paths[pattern.template_path()];
        if (!item.is_object()) item = boost::json::object{};
        auto op = operation(d, pattern, info, schemas);
        validates = validates || op.at("responses").as_object().contains("422");
        item.as_object()[lower(boost::beast::http::to_string(d.method))] = std::move(op);
    }
    for (auto const& s : info.schemas) schemas.add(s);
    if (validates) schemas.add(validation_error_entry());
    boost::json::object info_object{{"title", info.title}, {"version", info.version}};
    if (!info.description.empty()) info_object["description"] = info.description;
    boost::json::object components{{"schemas", schemas.take()}};
    if (!info.security_schemes.empty()) components["securitySchemes"] = info.security_schemes;
    return {{"openapi", "3.1.0"},
            {"info", std::move(info_object)},
            {"paths", std::move(paths)},
            {"components", std::move(components)}};
}

}  // namespace warden::http
