# The Debian package: `cpack -G DEB` in a build tree makes warden_<version>_<arch>.deb
# (docs/operations.md; scripts/package-check.sh installs and runs it). It holds two install
# components:
# - "runtime", every install rule without a COMPONENT: wardend and warden in /usr/bin, the
#   Swagger UI, the docs;
# - "debian", the files only a Debian system wants, at absolute paths: the systemd unit and the
#   example configuration (a conffile). EXCLUDE_FROM_ALL keeps them out of a plain
#   `cmake --install`, which must not write to /etc.
# The library's "development" component (cmake/warden_install.cmake) is not packaged.
set(WARDEN_PACKAGE_CONTACT "Seed e58e419a maintainers <maintainers@users.noreply.r-seed-e58e419a.example>"
    CACHE STRING "Maintainer of the Debian package: NAME <EMAIL>")

set(debian_dir ${PROJECT_SOURCE_DIR}/packaging/debian)
install(FILES ${debian_dir}/warden.service DESTINATION /lib/systemd/system
    COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES ${debian_dir}/wardend.toml DESTINATION /etc/warden COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES ${debian_dir}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR}
    COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES docs/operations.md docs/configuration.md docs/cli.md docs/keys.md docs/mail.md
    DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_INSTALL_CMAKE_PROJECTS
    "${PROJECT_BINARY_DIR};${PROJECT_NAME};runtime;/"
    "${PROJECT_BINARY_DIR};${PROJECT_NAME};debian;/")
set(CPACK_PACKAGE_NAME warden)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${WARDEN_PACKAGE_CONTACT})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "authentication service for REST APIs (OAuth2 password flow, JWT)")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "wardend serves the OAuth2 password flow, JWT bearer tokens, argon2id/bcrypt password\n"
    "hashing and user management over HTTP, on SQLite or PostgreSQL, with an OpenAPI document,\n"
    "a Swagger UI and Prometheus metrics; warden is its admin CLI. Tokens and password hashes\n"
    "are compatible with the FastAPI security pattern (PyJWT, python-jose, passlib).\n"
    "This package runs wardend as the systemd service warden.service.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # warden_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries' packages (dpkg-shlibdeps, from dpkg-dev), plus what the scripts run.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${debian_dir}/conffiles ${debian_dir}/postinst ${debian_dir}/prerm ${debian_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
