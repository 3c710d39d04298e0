#!/usr/bin/env bash
# Builds the Debian package in a configured and built tree (default build/release), lists it,
# installs it with apt, runs the installed programs and removes the package again: what a
# fresh Debian 12 machine does with it (docs/operations.md). As root; CI runs it after the
# release suite (scripts/test-all.sh).
#
# Idempotent: a warden package left by an earlier run is purged first, and on any failure the
# package is purged again, so it never stays installed. (So do not run it where a warden package
# is installed for real.)
set -euo pipefail
cd "$(dirname "$0")/.."

build=$(realpath "${1:-build/release}")
[[ -f "$build/CPackConfig.cmake" ]] || { echo "package-check: $build has no CPackConfig.cmake (configure it first)" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive

work=$(mktemp -d /tmp/warden-package-check.XXXXXX)
server_pid=
fail() {
    echo "package-check: FAILED: $*" >&2
    exit 1
}
purge_package() { # installed, or removed with its configuration left: purge it
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}' warden 2>/dev/null || true)
    if [[ -n "$status" && "$status" != not-installed ]]; then
        apt-get purge -y -qq warden >/dev/null
    fi
}
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    purge_package || echo "package-check: could not purge the warden package" >&2
    rm -rf "$work"
}
trap cleanup EXIT
purge_package

# --- build and list ---------------------------------------------------------------------------
rm -f "$build"/warden_*.deb
(cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
shopt -s nullglob
debs=("$build"/warden_*.deb)
shopt -u nullglob
((${#debs[@]} == 1)) || fail "expected one warden_*.deb in $build, found ${#debs[@]}"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg --print-architecture)
[[ "$(basename "$deb")" == "warden_${version}_${arch}.deb" ]] || fail "file name $(basename "$deb"), expected warden_${version}_${arch}.deb"
project_version=$(sed -n 's/^project(warden VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ "$version" == "$project_version" ]] || fail "package version $version, project version $project_version"

echo "== dpkg-deb -I $(basename "$deb")"
dpkg-deb -I "$deb"
echo "== dpkg-deb -c $(basename "$deb")"
dpkg-deb -c "$deb" | tee "$work/contents"

contents=$(awk '{print $6}' "$work/contents" | sed 's|^\./|/|')
expect_file() { grep -qx "$1" <<<"$contents" || fail "the package lacks $1"; }
expect_file /usr/bin/wardend
expect_file /usr/bin/warden
expect_file /lib/systemd/system/warden.service
expect_file /etc/warden/wardend.toml
expect_file /usr/share/doc/warden/copyright
if grep -q '^WARDEN_DOCS_UI:BOOL=ON' "$build/CMakeCache.txt"; then
    expect_file /usr/share/warden/swagger-ui/index.html
fi
if grep -qE '^/usr/(include/|lib/.*\.a$|lib/cmake/)' <<<"$contents"; then
    fail "the package holds the library's development files"
fi
[[ "$(dpkg-deb -I "$deb" conffiles)" == "/etc/warden/wardend.toml" ]] || fail "/etc/warden/wardend.toml is not a conffile"
depends=$(dpkg-deb -f "$deb" Depends)
[[ "$depends" == *adduser* ]] || fail "Depends lacks adduser (postinst runs it): $depends"

# Every shared library the programs load comes from a package in Depends, so the package runs
# on a machine that has only those (not the -dev packages this one built with).
dpkg-deb -x "$deb" "$work/root"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
depends_names=$(printf '%s\n' "${depends//[,|]/$'\n'}" | sed 's/(.*//; s/ //g')
for program in wardend warden; do
    for soname in $(objdump -p "$work/root/usr/bin/$program" | awk '$1 == "NEEDED" {print $2}'); do
        owners=$(dpkg -S "*/$soname" 2>/dev/null | grep "/lib/\($multiarch/\)\?$soname\$" | cut -d: -f1 | sort -u || true)
        [[ -n "$owners" ]] || fail "$program needs $soname, which no installed package provides"
        found= # the package, or a name it provides (libspdlog1.10 provides libspdlog1.10-fmt9)
        for owner in $owners; do
            for name in $owner $(dpkg-query -W -f='${Provides}' "$owner" | sed 's/([^)]*)//g; s/,/ /g'); do
                grep -qxF "$name" <<<"$depends_names" && found=1
            done
        done
        [[ -n "$found" ]] || fail "$program needs $soname (package $owners), not in Depends: $depends"
    done
done

# --- install ----------------------------------------------------------------------------------
echo "== apt-get install ./$(basename "$deb")"
(cd "$build" && apt-get install -y -qq "./$(basename "$deb")") || fail "apt-get install"
getent passwd warden >/dev/null || fail "postinst did not create the warden system user"
[[ "$(getent passwd warden | cut -d: -f7)" == /usr/sbin/nologin ]] || fail "the warden user has a login shell"
[[ "$(/usr/bin/wardend --version)" == "wardend $version" ]] || fail "wardend --version: $(/usr/bin/wardend --version)"
[[ "$(/usr/bin/warden --version)" == "warden $version" ]] || fail "warden --version: $(/usr/bin/warden --version)"
if command -v systemd-analyze >/dev/null; then # where systemd is installed: it warns, exit 0 or not
    verified=$(systemd-analyze verify /lib/systemd/system/warden.service 2>&1) || true
    [[ -z "$verified" ]] || fail "systemd-analyze verify warden.service: $verified"
fi

# --- run: the installed wardend, as the service user, on the shipped configuration -----------
chmod 0711 "$work"
install -d -o warden -g warden -m 0700 "$work/data"
# setpriv execs wardend itself (runuser would stay its parent and exit 143 on SIGTERM).
setpriv --reuid=warden --regid=warden --init-groups -- /usr/bin/wardend --config /etc/warden/wardend.toml --data-dir "$work/data" \
    --listen 127.0.0.1:0 >"$work/wardend.out" 2>"$work/wardend.err" &
server_pid=$!
url=
for _ in $(seq 1 150); do # 30 s
    url=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/wardend.out" | head -n 1)
    [[ -n "$url" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
done
[[ -n "$url" ]] || { cat "$work/wardend.out" "$work/wardend.err" >&2; fail "the installed wardend did not start"; }
status=
for _ in $(seq 1 50); do # 10 s
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/healthz" || true)
    [[ "$status" == 200 ]] && break
    sleep 0.2
done
[[ "$status" == 200 ]] || { cat "$work/wardend.err" >&2; fail "GET $url/healthz answered '$status', not 200"; }
echo "== the installed wardend answers GET $url/healthz: 200"
if grep -qx /usr/share/warden/swagger-ui/index.html <<<"$contents"; then
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/docs" || true)
    [[ "$status" == 200 ]] || fail "GET $url/docs answered '$status': the installed wardend misses its Swagger UI"
    echo "== and GET $url/docs: 200 (the Swagger UI from /usr/share/warden/swagger-ui)"
fi
kill -TERM "$server_pid"
wait "$server_pid" && stopped=0 || stopped=$?
server_pid=
((stopped == 0)) || { cat "$work/wardend.err" >&2; fail "wardend exited $stopped after SIGTERM"; }

# The CLI, as the service user, on the service's state directory (which systemd's
# StateDirectory= would create): the data a remove keeps and a purge deletes.
install -d -o warden -g warden -m 0700 /var/lib/warden
echo 'package check password' | runuser -u warden -- /usr/bin/warden --config /etc/warden/wardend.toml \
    user add --email package-check@example.com --password-stdin >/dev/null || fail "warden user add as the warden user"
[[ -f /var/lib/warden/warden.db ]] || fail "warden user add wrote no /var/lib/warden/warden.db"

# --- remove, then purge -----------------------------------------------------------------------
apt-get remove -y -qq warden || fail "apt-get remove warden"
[[ ! -e /usr/bin/wardend && ! -e /lib/systemd/system/warden.service ]] || fail "apt-get remove left the programs or the unit"
[[ -f /etc/warden/wardend.toml ]] || fail "apt-get remove deleted the configuration (a conffile stays until purge)"
[[ -f /var/lib/warden/warden.db ]] || fail "apt-get remove deleted /var/lib/warden (only a purge may)"
apt-get purge -y -qq warden || fail "apt-get purge warden"
[[ ! -e /etc/warden && ! -e /var/lib/warden ]] || fail "apt-get purge left /etc/warden or /var/lib/warden"
echo "package-check: $(basename "$deb") built, installed, served /healthz, removed and purged"
