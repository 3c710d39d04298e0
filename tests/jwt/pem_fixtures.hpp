#pragma once
// PEM fixtures made once with the openssl CLI (test keys, never used elsewhere).
#include <string_view>

namespace warden::jwt::test::pem {

// An encrypted PKCS#8 P-256 key (passphrase "secret").
inline constexpr std::string_view encrypted_ec_private =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAj+jwfivejY2QICCAAw\n"
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEBbAPi2R9kqjvv/ZHKpcd10EgZAT\n"
    "lxh9InWQD5rIPAj4FqLV/fipUWXq7zCev/LrWepXax80NNfjIycWxkfvMHwVYtrF\n"
    "ivf90QgFFZfAMs2zXg8SHA4TNlKiG7XVR9FWZBdAbBQIsrxwWvb5PjMy83kfSfgL\n"
    "wH/2+k9LN9YCb6VjJfqLZRSwwmyGXSN7rAwRobecakjuouGxBokUR8LqhEp7goA=\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n";

// A 1024-bit RSA public key (too weak for JOSE).
inline constexpr std::string_view rsa1024_public =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDgWbjzcf4CpZwdlgwTDAC1Qw2B\n"
    "6Hrg+lEOY5SLtt0Zi1V2lC6UFjDXoMaIEuikvtEEU/NmjEua53dQ5YWH1bUBULG2\n"
    "2/4PEtFBtyCvo4ITn1Yc2oLEmrJiQ0EscG/8ZDrowUZRGsmM8SikYJ8QbAJq5dRb\n"
    "Xx3oHITDiPZ7xJduLwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

// An X25519 key (key agreement, not a JWS key type).
inline constexpr std::string_view x25519_public =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VuAyEACvhvY8soB/ZAQ000zh8cvNrRFdaLlHHiVuI12BmLlyo=\n"
    "-----END PUBLIC KEY-----\n";

// A secp256k1 key (ES256K is not implemented).
inline constexpr std::string_view secp256k1_public =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEBSuf7vgry63P3qspvYUufXOeMysDXQNe\n"
    "BanLEUPH2LCygooqfifFaeu3MfzOnQjoK/X6aZ/KmOk1QQp/c+bY6Q==\n"
    "-----END PUBLIC KEY-----\n";

// The public half of rsa2048_pkcs1_private, as a PKCS#1 RSAPublicKey.
inline constexpr std::string_view rsa2048_pkcs1_public =
    "-----BEGIN RSA PUBLIC KEY-----\n"
    "MIIBCgKCAQEAqcXTT8O85bQMcDonG3mlv3HF9BTUuV/zHgUnLQjbggOWsxbjJPdD\n"
    "npq+CvKSKP37uCfSQAHnyQu8GF3qd6wZrrQTvlaXa5QrsG6XaOJXcgXpbP752GHu\n"
    "0tGG7zbiZLXtDy3WZJhu8TNh+DkBhNMsPJRtv/H8dLtvviWw6gN8cai1koxiWQpv\n"
    "HT11oH3PQbskvoZpTTKLt13uLlypmUxFx1D2y+agJr8dAS/45JvB+0a33zYyn8v4\n"
    "WFAgLZpOus16Prw0TewiJ3wO+pe8v2GSy6q88mz9YGl0XVwDNHS1LzBHWHmHsTzk\n"
    "VkHyJD4V7egiNw0YqpH1XgWNUfjjr3RX7QIDAQAB\n"
    "-----END RSA PUBLIC KEY-----\n";

// A 2048-bit RSA key in the traditional PKCS#1 form.
inline constexpr std::string_view rsa2048_pkcs1_private =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAqcXTT8O85bQMcDonG3mlv3HF9BTUuV/zHgUnLQjbggOWsxbj\n"
    "JPdDnpq+CvKSKP37uCfSQAHnyQu8GF3qd6wZrrQTvlaXa5QrsG6XaOJXcgXpbP75\n"
    "2GHu0tGG7zbiZLXtDy3WZJhu8TNh+DkBhNMsPJRtv/H8dLtvviWw6gN8cai1koxi\n"
    "WQpvHT11oH3PQbskvoZpTTKLt13uLlypmUxFx1D2y+agJr8dAS/45JvB+0a33zYy\n"
    "n8v4WFAgLZpOus16Prw0TewiJ3wO+pe8v2GSy6q88mz9YGl0XVwDNHS1LzBHWHmH\n"
    "sTzkVkHyJD4V7egiNw0YqpH1XgWNUfjjr3RX7QIDAQABAoIBAAT0Iv+Nkk4wg/ll\n"
    "VP1J/iJZJ0HBNtjG2jDqzRMVElSXlrbYiN2sAlLXKIrou4eLK6RasxmPhKwa1czv\n"
    "Npdx09kDY50W6TmoG+M8wtm6WvtWfVJjGTatWtrXZsTFmPL/1PAvsfUC9p++lFH6\n"
    "FdeCkuScnxwt6yQb0P2fG2ukmOW3DpS7XJNjchxYr+PEKQLivArzXQBPCeqspUjd\n"
    "9ycqO3w8zk4hNHrUuc03JnKeaVwqGbeTTfOIXVlTrGK23oXhW/e4uRiCV0i7Ppsz\n"
    "F0b/1YsUFEnFKnFfAKbXtypWOom0v2V9Paut7b2Z9PtiQF2vP9sHBvCvg1IH63h6\n"
    "CBlP11kCgYEA0NvTaUYjW2Re0ePcEBSA+tTS/GaPJvGs2JGJGTpor/AuSUZ2lEcz\n"
    "+FLmP2UN4+r8285Hh5gzSpSiNBLYsDNfcaWMX0N+VSs6tzmaecAlcHHd0V6pjQQ6\n"
    "vL7Fu1qX+5XsIOSb3gnouPhhW0sLnjNu63movlXXu7CpMcZRHfCl9HkCgYEA0BeN\n"
    "7MHn+xVv3Ge3OtYcBKvUkMoeKLwchggGmcIBHilLgOqcguHTSJEcJviPtgZ0Pxvw\n"
    "xeSlg1WQtZl3lrse70CA4jrMnGm6BKjD5mC2qAkO54OjR9u86+r60Zmd9Hp4cphT\n"
    "/FTQ2ZlstdyL1BONDiOWOaMmdh2DyH/GFbBbGhUCgYEApxnZsXaOP0a0nlUh8jOV\n"
    "Zhn0nEAp9EyTr8nw2KBkta8COVoI8WVubRVWZg4h6OJPYEVP8WqSTu9QPz185KyV\n"
    "hkWfY3CKmPW3SnTp5NMYoThY8nQ8Tzi9DdnMNbOruXwfqcl9804WRjdjHTmTmAUq\n"
    "j3eMzIu9yMr083/p0nyBKnECgYAdXGVzFX0E6WZqI9wvmgxEAHayo0IUH06q/rDn\n"
    "uv7rYYo8u12v/esQ3yCowwOL/GckjG2xjmxoFoefh/LeurJHscM9qGw8WZKcm69g\n"
    "bx72oKiQs/sy5WdHplUTg+hMmYcrLCEVhmYdfc9f7alxF/0cFJtasJF5svpoLNcn\n"
    "MkX4bQKBgHaN8ANQGl0cFpN9UzcMuCYOMFiMmT4FycH7ugAjIadfzuQ06RCIW93+\n"
    "i+SyjvSAMujUYgEvJw8ATWFGcMu7Gqn1X8XS4/CLqqRKkKuVr+7lqC5prXhlbvXX\n"
    "hio52WBFImsn2KXYW17kfzfxxy7E4EqfCo4CMAkrvjk4bXwyOs9B\n"
    "-----END RSA PRIVATE KEY-----\n";

}  // namespace warden::jwt::test::pem
