#include "http/content_type.hpp"

#include <boost/beast/core/string.hpp>

namespace warden::http {

bool has_media_type(std::string_view content_type, std::string_view expected) noexcept {
    std::string_view media = content_type.substr(0, content_type.find(';'));
    while (!media.empty() && (media.front() == ' ' || media.front() == '\t'))
        media.remove_prefix(1);
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
    return boost::beast::iequals(media, expected);
}

}  // namespace warden::http
