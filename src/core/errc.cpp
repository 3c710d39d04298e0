#include <warden/core/errc.hpp>

#include <string>

namespace warden {
namespace {

class core_category_impl final : public boost::system::error_category {
  public:
    constexpr core_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2042ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.core"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<core_errc>(value)) {
            case core_errc::invalid_base64url:
                return "not valid unpadded base64url";
            case core_errc::random_failed:
                return "the random number generator failed";
            case core_errc::pool_full:
                return "the work queue is full";
            case core_errc::task_failed:
                return "a background task failed";
            case core_errc::invalid_json:
                return "not valid JSON";
            case core_errc::duplicate_member:
                return "duplicate member name in a JSON object";
            case core_errc::json_too_deep:
                return "JSON nested too deeply";
        }
        return "unknown core error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<core_errc>(value)) {
            case core_errc::invalid_base64url:
                return condition::invalid_request;
            case core_errc::random_failed:
                return condition::internal;
            case core_errc::pool_full:
                return condition::unavailable;
            case core_errc::task_failed:
                return condition::internal;
            case core_errc::invalid_json:
            case core_errc::duplicate_member:
            case core_errc::json_too_deep:
                return condition::invalid_request;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& core_category() noexcept {
    static constexpr core_category_impl instance;
    return instance;
}

}  // namespace warden
