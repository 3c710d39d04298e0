# install(EXPORT) of warden::warden and a config file that finds its dependencies: the
# "development" component (install rules without a COMPONENT are the programs' "runtime").
include(CMakePackageConfigHelpers)

get_property(module_targets GLOBAL PROPERTY WARDEN_INSTALL_TARGETS)
install(TARGETS ${module_targets} warden_warden warden_boost_config
    EXPORT warden-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY include/warden DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
    PATTERN "*.in" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/include/warden/version.hpp
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/warden COMPONENT development)
install(EXPORT warden-targets NAMESPACE warden:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/warden
    COMPONENT development)

configure_package_config_file(cmake/warden-config.cmake.in
    ${PROJECT_BINARY_DIR}/warden-config.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/warden)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/warden-config-version.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/warden-config.cmake ${PROJECT_BINARY_DIR}/warden-config-version.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/warden COMPONENT development)
