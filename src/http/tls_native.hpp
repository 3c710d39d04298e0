#pragma once
// What the server needs of a tls_context: the Asio (OpenSSL) context and the stream type a TLS
// connection reads and writes through. Internal to the http module.
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <warden/http/tls.hpp>

namespace warden::http {

struct tls_context::native {
    boost::asio::ssl::context context{boost::asio::ssl::context::tls_server};
};

/// Beast's SSL stream rather than Asio's: it joins a response's header and body buffers into one
/// TLS record where Asio's would write one record (and one send) per buffer.
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// Makes the next async_shutdown send our close_notify and complete without waiting for the
/// client's: the server lingers on the TCP connection afterwards as it does for plain HTTP,
/// reading and dropping whatever the client still sends.
void skip_waiting_for_close_notify(tls_stream& stream) noexcept;

}  // namespace warden::http
