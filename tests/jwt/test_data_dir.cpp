// tests/CMakeLists.txt passes WARDEN_TEST_ENVIRONMENT to gtest_discover_tests as a list, and CTest
// then sets only its first entry (ASAN_OPTIONS): WARDEN_TEST_DATA never reaches the tests. Until
// that is fixed there, this binary falls back to the source tree's tests/data (a value CTest does
// set still wins).
#include <stdlib.h>

namespace {

struct default_test_data {
    default_test_data() { ::setenv("WARDEN_TEST_DATA", WARDEN_JWT_TEST_DATA_DIR, 0); }
};
default_test_data const set_default_test_data;

}  // namespace
