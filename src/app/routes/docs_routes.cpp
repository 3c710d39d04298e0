// GET /docs (the Swagger UI page) and GET /docs/{file} (its scripts, styles and icon), from the
// files read at start-up (app/docs_ui.hpp). Never touches the file system per request: a name
// that is not one of the served files is 404, whatever it spells.
#include <warden/http/responses.hpp>

#include "app/routes/routes.hpp"

namespace warden::app {
namespace {

namespace asio = boost::asio;
using http::field;
using http::request_context;
using http::response;
using http::status;

// The page loads its own scripts and styles only; Swagger UI draws its icons as data: URIs and
// fetches the OpenAPI document and the API from this origin.
constexpr std::string_view page_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// RFC 9110 §13.1.2: If-None-Match compares weakly; `*` matches any current representation.
bool matches_if_none_match(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        auto const comma = header.find(',');
        auto candidate = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t'))
            candidate.remove_prefix(1);
        while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t'))
            candidate.remove_suffix(1);
        if (candidate.starts_with("W/")) candidate.remove_prefix(2);
        if (candidate == "*" || candidate == etag) return true;
    }
    return false;
}

response serve(docs_ui const* ui, std::string_view name, request_context const& ctx) {
    if (ui == nullptr) {
        // Logged once at start-up with the directory that was searched.
        return http::detail_response(status::service_unavailable,
                                     "The Swagger UI is not installed on this server");
    }
    auto const* file = ui->find(name);
    if (file == nullptr) return http::detail_response(status::not_found, "Not Found");
    bool const not_modified = matches_if_none_match(ctx.header(field::if_none_match), file->etag);
    response res{not_modified ? status::not_modified : status::ok, 11};
    res.set(field::etag, file->etag);
    // Our page and its set-up are revalidated on every load (cheap with the ETag), so a new
    // wardend's settings show at once; the package's files may be reused for an hour.
    bool const ours = name == docs_ui::page || name == "swagger-initializer.js";
    res.set(field::cache_control, ours ? "no-cache" : "public, max-age=3600");
    res.set("X-Content-Type-Options", "nosniff");
    if (name == docs_ui::page) {
        res.set("Content-Security-Policy", page_policy);
        res.set("Referrer-Policy", "no-referrer");
    }
    if (not_modified) return res;
    res.set(field::content_type, file->content_type);
    res.body() = file->body;
    return res;
}

}  // namespace

void add_docs_routes(http::router& routes, services& svc) {
    if (!svc.settings.docs) return;  // --docs off: no /docs at all (404)
    using http::verb;
    docs_ui const* const ui = svc.swagger_ui.get();
    // Served, not part of the API: left out of the OpenAPI document, as FastAPI leaves /docs.
    routes.add(
        {.method = verb::get, .pattern = "/docs", .summary = "Swagger UI", .in_schema = false},
        [ui](request_context& ctx) -> asio::awaitable<response> {
            co_return serve(ui, docs_ui::page, ctx);
        });
    routes.add({.method = verb::get,
                .pattern = "/docs/{file}",
                .summary = "Swagger UI's scripts, styles and icon",
                .in_schema = false},
               [ui](request_context& ctx) -> asio::awaitable<response> {
                   co_return serve(ui, ctx.param("file"), ctx);
               });
}

}  // namespace warden::app
