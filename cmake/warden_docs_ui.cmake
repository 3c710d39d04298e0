# The Swagger UI wardend serves at /docs (README, "Swagger UI"): swagger-ui-dist from npm at the
# version web/package-lock.json pins, fetched once per build tree by `npm ci` (then from ~/.npm),
# plus our page and set-up script from web/. wardend reads the files from
# <its directory>/${WARDEN_DOCS_UI_RELATIVE_DIR}: installed, <bindir>/../share/warden/swagger-ui;
# the build tree mirrors that next to the built wardend.
option(WARDEN_DOCS_UI "Fetch the Swagger UI (npm) and install it for wardend's /docs" ON)

# The install's path from the programs to the UI, compiled into wardend (app/docs_ui.cpp).
set(WARDEN_DOCS_UI_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/warden/swagger-ui)
file(RELATIVE_PATH WARDEN_DOCS_UI_RELATIVE_DIR ${CMAKE_INSTALL_FULL_BINDIR}
    ${CMAKE_INSTALL_FULL_DATADIR}/warden/swagger-ui)

# warden_docs_ui(<program>): builds the UI's directory beside <program>'s build output before
# <program> and installs it into ${WARDEN_DOCS_UI_INSTALL_DIR}.
function(warden_docs_ui program)
    if(NOT WARDEN_DOCS_UI)
        return()
    endif()
    find_program(WARDEN_NPM npm)
    if(NOT WARDEN_NPM)
        message(FATAL_ERROR "WARDEN_DOCS_UI needs npm (Debian: nodejs); -DWARDEN_DOCS_UI=OFF builds without /docs")
    endif()
    set(web ${PROJECT_SOURCE_DIR}/web)
    set(npm_dir ${PROJECT_BINARY_DIR}/web)
    set(dist ${npm_dir}/node_modules/swagger-ui-dist)
    get_target_property(program_dir ${program} BINARY_DIR)
    cmake_path(SET ui_dir NORMALIZE "${program_dir}/${WARDEN_DOCS_UI_RELATIVE_DIR}")

    # --ignore-scripts: the package's one dependency (@scarf/scarf) only reports installs home.
    add_custom_command(OUTPUT ${npm_dir}/npm-ci.stamp
        COMMAND ${CMAKE_COMMAND} -E copy ${web}/package.json ${web}/package-lock.json ${npm_dir}
        COMMAND ${WARDEN_NPM} ci --no-audit --no-fund --ignore-scripts --prefix ${npm_dir}
        COMMAND ${CMAKE_COMMAND} -E touch ${npm_dir}/npm-ci.stamp
        DEPENDS ${web}/package.json ${web}/package-lock.json
        COMMENT "Fetching swagger-ui-dist (web/package-lock.json) with npm ci"
        VERBATIM)

    # What the page loads (app/docs_ui.cpp serves exactly these) and the package's licences.
    set(dist_files swagger-ui-bundle.js swagger-ui.css index.css favicon-32x32.png
        oauth2-redirect.html oauth2-redirect.js LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt)
    set(own_files index.html swagger-initializer.js)
    set(outputs)
    set(sources)
    foreach(file IN LISTS dist_files)
        list(APPEND outputs ${ui_dir}/${file})
        list(APPEND sources ${dist}/${file})
    endforeach()
    foreach(file IN LISTS own_files)
        list(APPEND outputs ${ui_dir}/${file})
        list(APPEND sources ${web}/${file})
    endforeach()
    add_custom_command(OUTPUT ${outputs}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${ui_dir}
        COMMAND ${CMAKE_COMMAND} -E copy ${sources} ${ui_dir}
        DEPENDS ${npm_dir}/npm-ci.stamp ${web}/index.html ${web}/swagger-initializer.js
        COMMENT "Copying the Swagger UI to ${ui_dir}"
        VERBATIM)
    add_custom_target(warden_docs_ui ALL DEPENDS ${outputs})
    add_dependencies(${program} warden_docs_ui)
    install(FILES ${outputs} DESTINATION ${WARDEN_DOCS_UI_INSTALL_DIR})
endfunction()
