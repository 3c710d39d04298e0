// WARDEN_TEST_DATA for these tests when ctest did not set it. tests/CMakeLists.txt hands its
// ENVIRONMENT list to gtest_discover_tests unescaped, so only the first entry (ASAN_OPTIONS)
// reaches each test; until that is fixed, fall back to the source tree this binary was built
// from. An existing value (ctest's, or the caller's) always wins.
#include <cstdlib>

namespace {

[[maybe_unused]] int const data_root = setenv("WARDEN_TEST_DATA", WARDEN_PASSWORD_TEST_DATA, 0);

}  // namespace
