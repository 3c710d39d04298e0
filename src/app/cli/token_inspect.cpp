#include "app/cli/token_inspect.hpp"

#include <fmt/format.h>

#include <boost/system/errc.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <vector>
#include <warden/auth/signing_keys.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/json.hpp>
#include <warden/core/utf8.hpp>
#include <warden/jwt/algorithm.hpp>
#include <warden/jwt/key_set.hpp>
#include <warden/store/store.hpp>

#include "app/keys.hpp"

namespace warden::app::cli {
namespace {

error_code invalid(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
    return make_error_code(boost::system::errc::invalid_argument);
}

std::string_view trim(std::string_view text) {
    auto const first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

result<std::string> token_argument(std::string_view argument, std::string* why) {
    std::string text{argument};
    if (argument == "-") {
        text.assign(std::istreambuf_iterator<char>{std::cin}, std::istreambuf_iterator<char>{});
    }
    auto token = std::string{trim(text)};
    if (token.empty()) {
        return invalid(why, argument == "-" ? "no token on standard input" : "the token is empty");
    }
    return token;
}

result<boost::json::object> decode_unverified(std::string_view token, std::string* why) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        auto const dot = token.find('.', start);
        parts.push_back(token.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (parts.size() == 5)
        return invalid(why, "this is an encrypted token (JWE, 5 segments): it cannot be decoded");
    if (parts.size() != 3) {
        return invalid(why, fmt::format("not a compact JWS: {} segment{} instead of 3",
                                        parts.size(), parts.size() == 1 ? "" : "s"));
    }
    auto const header_text = base64url_decode(parts[0]);
    if (!header_text) return invalid(why, "the header segment is not base64url");
    auto const header = parse_json_strict(*header_text);
    if (!header || !header->is_object()) return invalid(why, "the header is not a JSON object");
    auto const payload_text = base64url_decode(parts[1]);
    if (!payload_text) return invalid(why, "the payload segment is not base64url");
    boost::json::value payload;
    if (auto parsed = parse_json_strict(*payload_text)) {
        payload = std::move(*parsed);
    } else if (is_valid_utf8(*payload_text)) {
        payload = boost::json::string{*payload_text};
    } else {
        return invalid(why, "the payload is neither JSON nor UTF-8 text");
    }
    return boost::json::object{
        {"verified", false}, {"header", header->as_object()}, {"payload", std::move(payload)}};
}

namespace {

/// HS*: the secret. Otherwise the public keys in the store (no key-encryption key needed).
result<std::vector<jwt::key>> configured_keys(config const& settings, jwt::algorithm alg,
                                              warden::clock const& clock, std::string* why) {
    if (jwt::is_symmetric(alg)) {
        if (!settings.secret_key && !std::filesystem::exists(settings.secret_file)) {
            return invalid(why, fmt::format("no {} key: {} does not exist (check --data-dir, or "
                                            "pass --secret-key)",
                                            settings.algorithm, settings.secret_file.string()));
        }
        try {
            return std::vector<jwt::key>{load_secret_key(settings, [](std::string_view) {})};
        } catch (startup_error const& e) {
            return invalid(why, e.what());
        }
    }
    std::string problem;
    auto stores = store::open(settings.database, &problem);
    if (!stores) {
        return invalid(why,
                       fmt::format("cannot open the database {}: {}", redact_url(settings.database),
                                   problem.empty() ? stores.error().message() : problem));
    }
    if (!stores->keys) return invalid(why, "this database holds no signing keys");
    auto keys = auth::published_keys(*stores->keys, to_unix_seconds(clock.now()));
    if (!keys) return invalid(why, "cannot read the signing keys: " + keys.error().message());
    if (keys->empty()) {
        return invalid(why, fmt::format("no {} key: the store holds no signing key yet (wardend "
                                        "or 'warden key rotate' makes the first)",
                                        settings.algorithm));
    }
    return keys;
}

}  // namespace

result<jwt::verifier> configured_verifier(config const& settings, warden::clock const& clock,
                                          std::string* why) {
    auto const alg = jwt::algorithm_from_string(settings.algorithm);
    if (!alg) return invalid(why, fmt::format("unknown algorithm {}", settings.algorithm));
    auto trusted = configured_keys(settings, *alg, clock, why);
    if (!trusted) return trusted.error();
    auto keys = jwt::key_set::from_keys(std::move(*trusted));
    if (!keys) return invalid(why, "cannot build the key set: " + keys.error().message());
    jwt::verifier_options options;
    if (settings.issuer) options.issuer = *settings.issuer;
    if (settings.audience) options.audiences = {*settings.audience};
    options.leeway = settings.token_leeway;
    auto verifier = jwt::verifier::create(std::move(*keys), options, clock);
    if (!verifier) return invalid(why, "cannot build the verifier: " + verifier.error().message());
    return std::move(*verifier);
}

boost::json::object verified_view(jwt::claims const& claims) {
    boost::json::object header{{"alg", jwt::to_string(claims.alg())}};
    if (!claims.kid().empty()) header["kid"] = claims.kid();
    if (!claims.typ().empty()) header["typ"] = claims.typ();
    return {{"verified", true}, {"header", std::move(header)}, {"payload", claims.payload()}};
}

}  // namespace warden::app::cli
