#pragma once
// The injectable clock: services take a `clock const&`; tests pass a `manual_clock`.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace warden {

using time_point = std::chrono::system_clock::time_point;

class clock {
  public:
    virtual ~clock() = default;
    [[nodiscard]] virtual time_point now() const noexcept = 0;
};

/// The real wall clock.
class system_clock final : public clock {
  public:
    [[nodiscard]] time_point now() const noexcept override {
        return std::chrono::system_clock::now();
    }
};

/// A clock that moves only when told to; thread-safe.
class manual_clock final : public clock {
  public:
    explicit manual_clock(time_point start = time_point{std::chrono::seconds{
                              1'700'000'000}}) noexcept
        : now_(start.time_since_epoch().count()) {}
    [[nodiscard]] time_point now() const noexcept override {
        return time_point{time_point::duration{now_.load()}};
    }
    void set(time_point t) noexcept { now_.store(t.time_since_epoch().count()); }
    void advance(std::chrono::system_clock::duration d) noexcept { now_.fetch_add(d.count()); }

  private:
    std::atomic<time_point::rep> now_;
};

/// Seconds since the epoch, as JWT NumericDate uses them.
[[nodiscard]] inline std::int64_t to_unix_seconds(time_point t) noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace warden
