#pragma once
// The OpenAPI 3.1.0 document of a router, generated from its route declarations (no hand-kept
// copy): every route with `in_schema`, and nothing else.
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include <warden/http/route_declaration.hpp>
#include <warden/http/router.hpp>

namespace warden::http {

struct openapi_info {
    std::string title;
    std::string version;
    std::string description;
    /// `components.securitySchemes`.
    boost::json::object security_schemes;
    /// The scheme a guarded route's `security` names, with the route's declared scopes.
    std::string bearer_scheme;
    /// Schemas that other schemas refer to by `$ref` (those of bodies and responses are
    /// collected from the declarations).
    std::vector<named_schema> schemas;
};

/// `{"$ref": "#/components/schemas/<name>"}`.
[[nodiscard]] boost::json::object schema_ref(std::string_view name);

/// `{"detail": "..."}`, the body of every error but the validation errors (`HTTPError`).
[[nodiscard]] named_schema detail_error_schema();

/// The 422 body (`HTTPValidationError`, its entries `ValidationError`, as FastAPI names them).
[[nodiscard]] named_schema validation_error_schema();

/// The document. Each operation gets its path parameters (from the typed pattern), query
/// parameters, request body, responses (a route with a body or parameters also documents 422
/// unless it declares it), and `security` when the route declares scopes. Throws
/// `std::logic_error` when two different schemas share a name.
[[nodiscard]] boost::json::object openapi_document(router const& routes, openapi_info const& info);

}  // namespace warden::http
