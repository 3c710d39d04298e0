#pragma once
// warden::http: the Beast server, router, request readers, limits and the condition mapping.
#include <warden/http/cors.hpp>
#include <warden/http/dispatch.hpp>
#include <warden/http/errc.hpp>
#include <warden/http/form.hpp>
#include <warden/http/framing.hpp>
#include <warden/http/json_body.hpp>
#include <warden/http/limits.hpp>
#include <warden/http/message.hpp>
#include <warden/http/multipart.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>
#include <warden/http/router.hpp>
#include <warden/http/server.hpp>
#include <warden/http/tls.hpp>
#include <warden/http/trusted_proxies.hpp>
#include <warden/http/validation.hpp>
