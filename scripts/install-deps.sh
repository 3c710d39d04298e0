#!/usr/bin/env bash
# Installs everything warden needs to build, test and benchmark on Debian 12 (bookworm), as root.
# Idempotent: packages already present are not reinstalled; apt-get update only runs if needed.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build pkg-config clang-format clang-14 libclang-rt-14-dev libfuzzer-14-dev
    # libraries (DESIGN.md "Dependencies")
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
    libssl-dev libcrypt-dev libargon2-dev libsqlite3-dev libpq-dev libhiredis-dev
    libcli11-dev libtomlplusplus-dev libfmt-dev libspdlog-dev libicu-dev
    libcurl4-openssl-dev  # mail over SMTP (docs/mail.md)
    # tests and benchmarks
    libgtest-dev libgmock-dev libbenchmark-dev wrk
    postgresql redis-server  # throwaway servers the tests start (tests/support/test_servers.py)
    python3 python3-requests python3-jwt python3-jose python3-passlib python3-argon2 python3-bcrypt
    python3-requests-oauthlib python3-prometheus-client  # the reference parser of /metrics' text
    openssl python3-cryptography  # certificates made by the TLS tests (tests/e2e/test_tls.py)
    python3-authlib  # an OAuth2 client library of the client_credentials tests (tests/e2e/test_clients.py)
    python3-aiosmtpd  # the real SMTP server of the mail tests (tests/support/smtp_sink.py)
    python3-pyotp  # an authenticator app's TOTP codes for the second-factor tests (tests/e2e/test_totp.py)
    # npm fetches the Swagger UI (web/) and playwright-core, which drives chromium (tests/browser)
    nodejs chromium
    # the Debian package (cpack -G DEB: dpkg-shlibdeps, file) and its check (scripts/package-check.sh)
    dpkg-dev file curl
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's nodejs comes without npm; NodeSource's includes it (and conflicts with Debian's npm).
if ! command -v npm >/dev/null; then
    apt-get install -y -qq --no-install-recommends npm
fi
