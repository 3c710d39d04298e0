#pragma once
// Root ignores file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), and CI runs the
// tests as root, so a test of "permission denied" would pass for the wrong reason or skip. This
// scope lowers those capabilities in the calling thread's effective set (Linux capabilities are
// per thread; lowering one's own effective set needs no privilege), so file modes bite for the
// code the test runs on this thread; the destructor raises them back from the permitted set.
// For an unprivileged process it does nothing: the modes already bite.
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace warden::test {

class without_permission_override {
  public:
    without_permission_override() {
        if (syscall(SYS_capget, &header_, saved_) != 0) return;
        __user_cap_data_struct lowered[2] = {saved_[0], saved_[1]};
        lowered[0].effective &=
            ~((1U << CAP_DAC_OVERRIDE) | (1U << CAP_DAC_READ_SEARCH) | (1U << CAP_FOWNER));
        active_ = syscall(SYS_capset, &header_, lowered) == 0;
    }
    without_permission_override(without_permission_override const&) = delete;
    without_permission_override& operator=(without_permission_override const&) = delete;
    ~without_permission_override() {
        if (active_) syscall(SYS_capset, &header_, saved_);
    }

  private:
    __user_cap_header_struct header_{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct saved_[2]{};
    bool active_ = false;
};

}  // namespace warden::test
