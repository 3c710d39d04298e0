#pragma once
// Drives one of the services' coroutines to completion from the CLI's main thread, on a private
// io_context: the blocking work runs on the services' pools, the coroutine resumes here.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <utility>

namespace warden::app::cli {

/// Runs `task` until it finishes and returns its value; rethrows what it threw (a bug).
template <class T>
T run_sync(boost::asio::awaitable<T> task) {
    boost::asio::io_context io;
    std::optional<T> value;
    std::exception_ptr error;
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e) value.emplace(std::move(v));
    });
    io.run();
    if (error) std::rethrow_exception(error);
    return std::move(*value);
}

}  // namespace warden::app::cli
