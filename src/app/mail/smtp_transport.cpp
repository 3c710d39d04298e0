#include "app/mail/smtp_transport.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

#include "app/mail/mail_errc.hpp"

namespace warden::app {
namespace {

struct curl_deleter {
    void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct slist_deleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

// The message as libcurl reads it (libcurl dot-stuffs lines that start with '.').
struct upload {
    std::string_view data;
    std::size_t offset = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& source = *static_cast<upload*>(user);
    std::size_t const n = std::min(size * count, source.data.size() - source.offset);
    std::memcpy(buffer, source.data.data() + source.offset, n);
    source.offset += n;
    return n;
}

// Called about once a second during a transfer, and more often while data flows: a stop makes
// libcurl give up (CURLE_ABORTED_BY_CALLBACK) instead of waiting out its timeout.
int check_abort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<std::atomic<bool> const*>(user)->load() ? 1 : 0;
}

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

smtp_transport::smtp_transport(smtp_options options) : options_(std::move(options)) {
    init_curl_once();
}

error_code smtp_transport::send(std::string_view recipient, std::string_view message,
                                std::atomic<bool> const& abort, std::string* why) {
    std::unique_ptr<CURL, curl_deleter> const curl{curl_easy_init()};
    if (!curl) {
        if (why != nullptr) *why = "libcurl could not start a transfer";
        return mail_errc::send_failed;
    }
    std::string const rcpt = fmt::format("<{}>", recipient);
    std::unique_ptr<curl_slist, slist_deleter> const recipients{
        curl_slist_append(nullptr, rcpt.c_str())};
    std::string const from = fmt::format("<{}>", options_.envelope_from);
    upload source{message};
    CURL* const c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // STARTTLS when the server offers it; smtps:// is TLS from the start anyway.
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &source);
    if (!options_.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
        // secret_bytes holds a std::string: its data is NUL-terminated.
        if (options_.password)
            curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password->view().data());
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_abort);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &abort);

    CURLcode const code = curl_easy_perform(c);
    if (code == CURLE_OK) return {};
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        if (why != nullptr) *why = "stopped while sending";
        return mail_errc::aborted;
    }
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    if (why != nullptr) {
        *why = reply != 0 ? fmt::format("{} (SMTP reply {})", curl_easy_strerror(code), reply)
                          : std::string{curl_easy_strerror(code)};
    }
    // 5xx: the server refused for good (RFC 5321 §4.2.1); anything else may pass later.
    return reply >= 500 && reply < 600 ? mail_errc::rejected : mail_errc::send_failed;
}

}  // namespace warden::app
