# Every external dependency, found once (DESIGN.md "Dependencies"). Debian 12 packages only.
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url system)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
# Unicode normalization and case folding of e-mail addresses (auth).
find_package(ICU REQUIRED COMPONENTS uc)
find_package(PkgConfig REQUIRED)
pkg_check_modules(argon2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(xcrypt REQUIRED IMPORTED_TARGET libxcrypt)
pkg_check_modules(hiredis REQUIRED IMPORTED_TARGET hiredis)

# Boost.Asio/Beast: no deprecated names.
add_library(warden_boost_config INTERFACE)
target_compile_definitions(warden_boost_config INTERFACE
    BOOST_ASIO_NO_DEPRECATED)
target_link_libraries(warden_boost_config INTERFACE Boost::headers)
