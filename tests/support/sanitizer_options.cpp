// Sanitizer runtime options built into every test executable, so a plain `ctest` (or running a
// test binary by hand) gets them without any environment. Ignored when no sanitizer is linked.
extern "C" {

char const* __asan_default_options() {
    return "detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1";
}

char const* __ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1"; }

char const* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1"; }

}  // extern "C"
