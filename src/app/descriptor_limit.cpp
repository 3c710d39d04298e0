#include "app/descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

#include <fmt/format.h>

namespace warden::app {

std::optional<std::string> raise_descriptor_limit(std::size_t max_connections) {
    auto const wanted = static_cast<rlim_t>(max_connections + descriptor_reserve);
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return "cannot read the open-file limit (getrlimit failed)";
    if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= wanted) return std::nullopt;
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, lim.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
    if (lim.rlim_cur >= wanted) return std::nullopt;
    return fmt::format(
        "the open-file limit is {} (hard limit {}), below the {} that {} connections need: raise "
        "it "
        "(ulimit -n, systemd LimitNOFILE=) or connections beyond it will be refused",
        lim.rlim_cur, lim.rlim_max, wanted, max_connections);
}

}  // namespace warden::app
