// Password hashing: time per scheme and cost, the overhead of warden's wrapper over direct
// libargon2/libxcrypt calls, and hash_pool throughput against N x the single-thread rate.
//
//   cmake --preset release -B build/pw-release -DWARDEN_MODULES="core;password"
//   cmake --build build/pw-release -j2 --target password_bench
//   build/pw-release/bench/password/password_bench
//
// The overhead and pool figures are measured inside one benchmark each (interleaved, on thread
// CPU time for the overhead), so load from other processes falls on both sides alike.
#include <argon2.h>
#include <benchmark/benchmark.h>
#include <crypt.h>
#include <openssl/rand.h>
#include <time.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
#include <warden/password.hpp>

namespace {

namespace asio = boost::asio;
namespace pw = warden::password;

constexpr char const* password = "correct horse battery staple";
constexpr std::size_t password_size = 28;

pw::context make_context(pw::scheme s, pw::argon2_params argon2, unsigned bcrypt_rounds) {
    pw::options o;
    o.default_scheme = s;
    o.argon2 = argon2;
    o.bcrypt_rounds = bcrypt_rounds;
    auto ctx = pw::context::create(o);
    if (!ctx) throw std::runtime_error(ctx.error().message());
    return std::move(*ctx);
}

pw::argon2_params const owasp{.memory_kib = 19456, .iterations = 2, .parallelism = 1};
pw::argon2_params const cffi{.memory_kib = 65536, .iterations = 3, .parallelism = 4};

// --- direct library calls -------------------------------------------------------------------

std::string direct_argon2id_hash(pw::argon2_params const& p) {
    unsigned char salt[16];
    RAND_bytes(salt, sizeof salt);
    char encoded[160];
    if (argon2id_hash_encoded(p.iterations, p.memory_kib, p.parallelism, password, password_size,
                              salt, sizeof salt, 32, encoded, sizeof encoded) != ARGON2_OK) {
        throw std::runtime_error("argon2id_hash_encoded");
    }
    return encoded;
}

bool direct_argon2id_verify(std::string const& encoded) {
    return argon2id_verify(encoded.c_str(), password, password_size) == ARGON2_OK;
}

/// One reused work area, as a direct libxcrypt user would keep it.
crypt_data& direct_area() {
    thread_local auto area = std::make_unique<crypt_data>();
    return *area;
}

std::string direct_bcrypt_hash(unsigned rounds) {
    unsigned char random[16];
    RAND_bytes(random, sizeof random);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (crypt_gensalt_rn("$2b$", rounds, reinterpret_cast<char const*>(random), sizeof random,
                         setting, sizeof setting) == nullptr) {
        throw std::runtime_error("crypt_gensalt_rn");
    }
    char const* out = crypt_rn(password, setting, &direct_area(), sizeof(crypt_data));
    if (out == nullptr) throw std::runtime_error("crypt_rn");
    return out;
}

bool direct_bcrypt_verify(std::string const& stored) {
    char const* out = crypt_rn(password, stored.c_str(), &direct_area(), sizeof(crypt_data));
    return out != nullptr && std::strcmp(out, stored.c_str()) == 0;
}

// --- time per scheme and cost ----------------------------------------------------------------

void argon2id_hash(benchmark::State& state, pw::argon2_params p) {
    auto const ctx = make_context(pw::scheme::argon2id, p, 12);
    for (auto _ : state) benchmark::DoNotOptimize(ctx.hash(password));
}

void argon2id_verify(benchmark::State& state, pw::argon2_params p) {
    auto const ctx = make_context(pw::scheme::argon2id, p, 12);
    auto const stored = ctx.hash(password).value();
    for (auto _ : state) benchmark::DoNotOptimize(ctx.verify(password, stored));
}

void bcrypt_hash(benchmark::State& state) {
    auto const rounds = static_cast<unsigned>(state.range(0));
    auto const ctx = make_context(pw::scheme::bcrypt, owasp, rounds);
    for (auto _ : state) benchmark::DoNotOptimize(ctx.hash(password));
}

void bcrypt_verify(benchmark::State& state) {
    auto const rounds = static_cast<unsigned>(state.range(0));
    auto const ctx = make_context(pw::scheme::bcrypt, owasp, rounds);
    auto const stored = ctx.hash(password).value();
    for (auto _ : state) benchmark::DoNotOptimize(ctx.verify(password, stored));
}

BENCHMARK_CAPTURE(argon2id_hash, m19456_t2_p1, owasp)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(argon2id_verify, m19456_t2_p1, owasp)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(argon2id_verify, m65536_t3_p4, cffi)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(bcrypt_hash)->Arg(10)->Arg(12)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bcrypt_verify)->Arg(10)->Arg(12)->Unit(benchmark::kMillisecond)->UseRealTime();

// --- wrapper overhead: interleaved direct/wrapper calls on thread CPU time --------------------

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <class Direct, class Wrapped>
void overhead(benchmark::State& state, Direct direct, Wrapped wrapped) {
    // Warm-up: the first large allocations of a thread page-fault (see pool_verify).
    benchmark::DoNotOptimize(direct());
    benchmark::DoNotOptimize(wrapped());
    double direct_s = 0;
    double wrapped_s = 0;
    for (auto _ : state) {
        double t0 = thread_cpu_seconds();
        benchmark::DoNotOptimize(direct());
        double t1 = thread_cpu_seconds();
        benchmark::DoNotOptimize(wrapped());
        double t2 = thread_cpu_seconds();
        direct_s += t1 - t0;
        wrapped_s += t2 - t1;
    }
    auto const n = static_cast<double>(state.iterations());
    state.counters["direct_ms"] = direct_s / n * 1e3;
    state.counters["warden_ms"] = wrapped_s / n * 1e3;
    state.counters["overhead_pct"] = (wrapped_s - direct_s) / direct_s * 100;
}

void overhead_argon2id_hash(benchmark::State& state) {
    auto const ctx = make_context(pw::scheme::argon2id, owasp, 12);
    overhead(
        state, [] { return direct_argon2id_hash(owasp); }, [&] { return ctx.hash(password); });
}

void overhead_argon2id_verify(benchmark::State& state) {
    auto const ctx = make_context(pw::scheme::argon2id, owasp, 12);
    auto const stored = ctx.hash(password).value();
    overhead(
        state, [&] { return direct_argon2id_verify(stored); },
        [&] { return ctx.verify(password, stored); });
}

void overhead_bcrypt_hash(benchmark::State& state) {
    auto const ctx = make_context(pw::scheme::bcrypt, owasp, 12);
    overhead(
        state, [] { return direct_bcrypt_hash(12); }, [&] { return ctx.hash(password); });
}

void overhead_bcrypt_verify(benchmark::State& state) {
    auto const ctx = make_context(pw::scheme::bcrypt, owasp, 12);
    auto const stored = ctx.hash(password).value();
    overhead(
        state, [&] { return direct_bcrypt_verify(stored); },
        [&] { return ctx.verify(password, stored); });
}

/// dummy_verify against a verify of a wrong password on a current hash ("direct" here).
void dummy_vs_verify(benchmark::State& state, pw::scheme s) {
    auto const ctx = make_context(s, owasp, 12);
    auto const stored = ctx.hash(password).value();
    overhead(
        state, [&] { return ctx.verify("not the password", stored); },
        [&] { return ctx.dummy_verify("not the password"); });
}

BENCHMARK_CAPTURE(dummy_vs_verify, argon2id, pw::scheme::argon2id)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);
BENCHMARK_CAPTURE(dummy_vs_verify, bcrypt12, pw::scheme::bcrypt)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(6);
BENCHMARK(overhead_argon2id_hash)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(overhead_argon2id_verify)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(overhead_bcrypt_hash)->Unit(benchmark::kMillisecond)->Iterations(8);
BENCHMARK(overhead_bcrypt_verify)->Unit(benchmark::kMillisecond)->Iterations(8);

// --- pool throughput against N x the single-thread rate ---------------------------------------

double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct single_rate {
    double per_second;      ///< wall clock
    double cpu_per_verify;  ///< thread CPU seconds
};

/// Verifications of `ctx` run back to back on this thread.
single_rate single_thread_rate(pw::context const& ctx, std::string const& stored, int count) {
    auto const start = std::chrono::steady_clock::now();
    double const cpu0 = thread_cpu_seconds();
    for (int i = 0; i < count; ++i) benchmark::DoNotOptimize(ctx.verify(password, stored));
    double const cpu = thread_cpu_seconds() - cpu0;
    double const wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {count / wall, cpu / count};
}

void pool_verify(benchmark::State& state, pw::scheme s) {
    auto const threads = static_cast<std::size_t>(state.range(0));
    pw::hash_pool pool{make_context(s, owasp, 12), {.threads = threads, .queue_limit = 256}};
    auto const& ctx = pool.hashing_context();
    auto const stored = ctx.hash(password).value();
    int const batch = static_cast<int>(4 * threads);
    double single = 0;
    double single_cpu = 0;
    double pooled_s = 0;
    double pooled_cpu = 0;
    std::int64_t done = 0;
    // Warm-up: the first argon2 hash on a thread page-faults its fresh memory (here ~4,900
    // faults, 4x the hash's own time); glibc then reuses it. Measure the steady state.
    auto warm = [&] {
        asio::io_context io;
        for (int i = 0; i < batch; ++i) {
            asio::co_spawn(
                io,
                [&]() -> asio::awaitable<void> {
                    auto const r = co_await pool.verify(
                        warden::secret_bytes{std::string_view{password}}, stored);
                    benchmark::DoNotOptimize(r);
                },
                asio::detached);
        }
        io.run();
    };
    warm();
    (void)single_thread_rate(ctx, stored, 1);
    for (auto _ : state) {
        // The single-thread rate right before each batch, under the same load.
        auto const one = single_thread_rate(ctx, stored, 2);
        single += one.per_second;
        single_cpu += one.cpu_per_verify;
        asio::io_context io;
        std::atomic<int> matched{0};
        for (int i = 0; i < batch; ++i) {
            asio::co_spawn(
                io,
                [&]() -> asio::awaitable<void> {
                    auto const r = co_await pool.verify(
                        warden::secret_bytes{std::string_view{password}}, stored);
                    if (r && *r == pw::verdict::match) ++matched;
                },
                asio::detached);
        }
        auto const start = std::chrono::steady_clock::now();
        double const cpu0 = process_cpu_seconds();
        io.run();
        pooled_cpu += process_cpu_seconds() - cpu0;
        pooled_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (matched.load() != batch) state.SkipWithError("a pooled verify failed");
        done += batch;
    }
    double const rate = static_cast<double>(done) / pooled_s;
    double const single_rate = single / static_cast<double>(state.iterations());
    state.counters["pool_per_s"] = rate;
    state.counters["single_per_s"] = single_rate;
    state.counters["vs_N_x_single_pct"] = rate / (static_cast<double>(threads) * single_rate) * 100;
    // CPU spent per pooled verify against one verify on a single thread: 100 % means the pool
    // itself costs nothing, and any shortfall above is cores taken by other processes.
    double const cpu_per_pooled = pooled_cpu / static_cast<double>(done);
    double const cpu_per_single = single_cpu / static_cast<double>(state.iterations());
    state.counters["cpu_vs_single_pct"] = cpu_per_pooled / cpu_per_single * 100;
    state.SetItemsProcessed(done);
}

BENCHMARK_CAPTURE(pool_verify, argon2id, pw::scheme::argon2id)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(4);
BENCHMARK_CAPTURE(pool_verify, bcrypt12, pw::scheme::bcrypt)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
