#pragma once
// What a route is, declared once: the router matches its pattern, whoever adds it builds the
// guard from its scopes, the OpenAPI document describes it, and the access log and the metrics
// label requests with its template. Plain data: the http module checks no scope itself.
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include <warden/http/message.hpp>

namespace warden::http {

/// A schema with a name: `components.schemas.<name>` in the document, referred to by `$ref`.
struct named_schema {
    std::string name{};
    boost::json::object schema{};  ///< JSON Schema 2020-12, as OpenAPI 3.1 uses it
};

/// A request body: its media type and schema.
struct body_descriptor {
    std::string media_type{};  ///< `application/json`, `application/x-www-form-urlencoded`
    named_schema schema{};
    bool required = true;
};

/// A response a route may give.
struct response_descriptor {
    unsigned status = 200;
    std::string description{};
    std::optional<named_schema> schema{};  ///< the JSON body; none for an empty body (204)
};

/// A query parameter (the handler reads it; the declaration documents it).
struct query_parameter {
    std::string name{};
    std::string description{};
    boost::json::object schema{};
    bool required = false;
};

struct route_declaration {
    verb method = verb::get;
    /// `/`-separated segments, each a literal, `{name}` (any non-empty segment) or `{name:int}`
    /// (a positive decimal integer that fits in 64 bits; see path_pattern.hpp).
    std::string pattern{};
    std::string summary{};
    std::string tag{};
    /// Engaged: the route needs a bearer token holding every one of these scopes (none: any
    /// valid token). The router adds such a route only with a check requiring exactly these.
    std::optional<std::vector<std::string>> scopes{};
    std::optional<body_descriptor> body{};
    std::vector<query_parameter> query{};
    /// By status; none documented reads as `200 Successful Response`.
    std::vector<response_descriptor> responses{};
    /// False: served but left out of the OpenAPI document (the document itself, /docs assets,
    /// /metrics), as FastAPI's `include_in_schema=False`.
    bool in_schema = true;
};

}  // namespace warden::http
