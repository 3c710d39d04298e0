#pragma once
// Key material that is wiped from memory when it goes away.
#include <string>
#include <string_view>

namespace warden {

/// Owns secret bytes (a MAC key, a password); wipes them on destruction and on move-from.
/// Copy is explicit (`clone()`) so secrets are not duplicated by accident.
class secret_bytes {
  public:
    secret_bytes() = default;
    explicit secret_bytes(std::string_view bytes) : bytes_(bytes) {}
    explicit secret_bytes(std::string&& bytes) noexcept : bytes_(std::move(bytes)) {}
    secret_bytes(secret_bytes&& other) noexcept;
    secret_bytes& operator=(secret_bytes&& other) noexcept;
    secret_bytes(secret_bytes const&) = delete;
    secret_bytes& operator=(secret_bytes const&) = delete;
    ~secret_bytes();

    [[nodiscard]] secret_bytes clone() const { return secret_bytes{std::string_view{bytes_}}; }
    [[nodiscard]] std::string_view view() const noexcept { return bytes_; }
    [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
    [[nodiscard]] bool empty() const noexcept { return bytes_.empty(); }

  private:
    void wipe() noexcept;
    std::string bytes_;
};

}  // namespace warden
