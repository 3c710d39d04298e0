#pragma once
// warden::core: error conditions, base64url, secrets, clock, random bytes, constant-time compare.
#include <warden/core/base64url.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/condition.hpp>
#include <warden/core/constant_time.hpp>
#include <warden/core/digest.hpp>
#include <warden/core/errc.hpp>
#include <warden/core/json.hpp>
#include <warden/core/network_range.hpp>
#include <warden/core/random.hpp>
#include <warden/core/result.hpp>
#include <warden/core/sealed_box.hpp>
#include <warden/core/secret.hpp>
#include <warden/core/utf8.hpp>
#include <warden/core/work_pool.hpp>
