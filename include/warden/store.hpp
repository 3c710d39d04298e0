#pragma once
// warden::store: users, refresh-token families, revoked jtis and login counters behind
// `store::open(url)` (SQLite backend; docs/store.md).
#include <warden/store/backup.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>
#include <warden/store/store.hpp>
