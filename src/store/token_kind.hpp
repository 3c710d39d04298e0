#pragma once
// How a one-time token's kind is stored: the text the schema's CHECK allows.
#include <string_view>

#include <warden/store/one_time_token_store.hpp>

namespace warden::store {

[[nodiscard]] inline std::string_view kind_text(one_time_token_kind kind) noexcept {
    return kind == one_time_token_kind::reset ? "reset" : "verify";
}

/// The stored text back as a kind (the schema allows no other text than these two).
[[nodiscard]] inline one_time_token_kind kind_of_text(std::string_view text) noexcept {
    return text == "reset" ? one_time_token_kind::reset : one_time_token_kind::verify;
}

}  // namespace warden::store
