# Helpers that give every warden target the same warnings and layout.

# Warnings on our own targets only (DESIGN.md "CMake").
function(warden_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion)
    if(WARDEN_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# warden_module(<name> SOURCES ... PUBLIC_LINKS ... PRIVATE_LINKS ...)
# Defines the static library warden_<name>, alias warden::<name>, with include/ as its public headers.
function(warden_module name)
    cmake_parse_arguments(arg "" "" "SOURCES;PUBLIC_LINKS;PRIVATE_LINKS" ${ARGN})
    add_library(warden_${name} STATIC ${arg_SOURCES})
    add_library(warden::${name} ALIAS warden_${name})
    set_target_properties(warden_${name} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
    target_include_directories(warden_${name} PUBLIC
        $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
        $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>  # configured headers: warden/version.hpp
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_include_directories(warden_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    target_compile_features(warden_${name} PUBLIC cxx_std_20)
    target_link_libraries(warden_${name} PUBLIC ${arg_PUBLIC_LINKS} PRIVATE ${arg_PRIVATE_LINKS})
    warden_warnings(warden_${name})
    set_property(GLOBAL APPEND PROPERTY WARDEN_INSTALL_TARGETS warden_${name})
endfunction()
