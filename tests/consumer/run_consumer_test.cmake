# Builds and runs tests/consumer/project against stepup the way a user would:
#   build-tree        find_package with stepup_DIR=<this build tree>
#   install           find_package from a fresh `cmake --install`
#   pkg-config        `pkg-config --static --cflags --libs stepup` on that install
#   add-subdirectory  the consumer adds stepup's source tree
#   shared            stepup built anew with BUILD_SHARED_LIBS=ON: the SONAME
#                     and the exported symbols are checked (check_exports.py),
#                     the C API is called through Python's ctypes
#                     (tests/capi/capi_ctypes_test.py), then the install is
#                     used through find_package and pkg-config
# With NGINX_MODULE, `install` also checks the nginx module and its load
# snippet: Debian's `nginx -t` loads the installed module through the
# snippet and reads a policy with it.
# Inputs: SOURCE_DIR (the consumer), STEPUP_SOURCE_DIR, STEPUP_BINARY_DIR,
# WORK_DIR, MODE, GENERATOR, CXX_FLAGS, CXX_COMPILER, PYTHON, NGINX_MODULE.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed: ${result}")
  endif()
endfunction()

# Configures, builds and runs the consumer with extra configure arguments.
function(consume_with_cmake name)
  set(build "${WORK_DIR}/${name}")
  run("configuring the consumer (${name})" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${build}"
      -G "${GENERATOR}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
      -DCMAKE_BUILD_TYPE=Release ${ARGN})
  run("building the consumer (${name})" "${CMAKE_COMMAND}" --build "${build}")
  run("the consumer (${name})" "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${WORK_DIR}/prefix/lib"
      "${build}/consumer")
endfunction()

# Compiles and runs the consumer with the flags pkg-config gives.
function(consume_with_pkg_config name)
  set(ENV{PKG_CONFIG_PATH} "${WORK_DIR}/prefix/lib/pkgconfig")
  execute_process(COMMAND pkg-config ${ARGN} --cflags --libs stepup
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} stepup failed: ${result}")
  endif()
  message(STATUS "pkg-config ${ARGN} stepup: ${flags}")
  separate_arguments(flags UNIX_COMMAND "${flags}")
  separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
  run("compiling the consumer with pkg-config (${name})" "${CXX_COMPILER}" -std=c++20
      ${cxx_flags} "${SOURCE_DIR}/main.cc" -o "${WORK_DIR}/${name}" ${flags})
  run("the consumer (${name})" "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${WORK_DIR}/prefix/lib"
      "${WORK_DIR}/${name}")
endfunction()

# The installed module, loaded by Debian's nginx through the installed
# snippet (nginx -t: configuration read, policy loaded, nothing bound).
function(check_installed_nginx_module)
  file(GLOB_RECURSE module "${WORK_DIR}/prefix/*/nginx/modules/ngx_http_stepup_module.so")
  set(snippet "${WORK_DIR}/prefix/share/nginx/modules-available/mod-http-stepup.conf")
  if(NOT module OR NOT EXISTS "${snippet}")
    message(FATAL_ERROR "cmake --install did not install the nginx module and ${snippet}")
  endif()
  file(READ "${snippet}" load)
  if(NOT load STREQUAL "load_module ${module};\n")
    message(FATAL_ERROR "${snippet} says '${load}', not where the module is (${module})")
  endif()
  set(prefix "${WORK_DIR}/nginx")
  file(MAKE_DIRECTORY "${prefix}/logs")
  file(WRITE "${prefix}/nginx.conf"
    "include ${snippet};\npid logs/nginx.pid;\nevents {}\nhttp {\n"
    "  stepup_policy ${STEPUP_SOURCE_DIR}/examples/policy/policy.json;\n"
    "  server { listen 127.0.0.1:1; location / { stepup on; } }\n}\n")
  run("nginx -t with the installed module" /usr/sbin/nginx -t -p "${prefix}/"
      -c "${prefix}/nginx.conf" -e "${prefix}/logs/error.log")
endfunction()

if(MODE STREQUAL "build-tree")
  consume_with_cmake(build "-Dstepup_DIR=${STEPUP_BINARY_DIR}")
elseif(MODE STREQUAL "install")
  run("cmake --install" "${CMAKE_COMMAND}" --install "${STEPUP_BINARY_DIR}"
      --prefix "${WORK_DIR}/prefix")
  consume_with_cmake(build "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
  if(NGINX_MODULE)
    check_installed_nginx_module()
  endif()
elseif(MODE STREQUAL "pkg-config")
  run("cmake --install" "${CMAKE_COMMAND}" --install "${STEPUP_BINARY_DIR}"
      --prefix "${WORK_DIR}/prefix")
  consume_with_pkg_config(consumer-static --static)
elseif(MODE STREQUAL "add-subdirectory")
  consume_with_cmake(build "-DSTEPUP_SOURCE_DIR=${STEPUP_SOURCE_DIR}")
elseif(MODE STREQUAL "shared")
  set(stepup_build "${WORK_DIR}/stepup-build")
  run("configuring a shared stepup" "${CMAKE_COMMAND}" -S "${STEPUP_SOURCE_DIR}"
      -B "${stepup_build}" -G "${GENERATOR}" -DBUILD_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_INSTALL_LIBDIR=lib
      -DSTEPUP_BUILD_TESTS=OFF -DSTEPUP_BUILD_EXAMPLES=OFF -DSTEPUP_BUILD_TOOLS=OFF)
  run("building a shared stepup" "${CMAKE_COMMAND}" --build "${stepup_build}")
  run("cmake --install (shared)" "${CMAKE_COMMAND}" --install "${stepup_build}"
      --prefix "${WORK_DIR}/prefix")
  run("checking the exported symbols" "${PYTHON}" "${CMAKE_CURRENT_LIST_DIR}/check_exports.py"
      "${WORK_DIR}/prefix/lib/libstepup.so")
  run("the C API through ctypes" "${PYTHON}" "${STEPUP_SOURCE_DIR}/tests/capi/capi_ctypes_test.py"
      --library "${WORK_DIR}/prefix/lib/libstepup.so"
      --cases "${STEPUP_SOURCE_DIR}/examples/policy/cases.json"
      --policy-dir "${STEPUP_SOURCE_DIR}/examples/policy")
  consume_with_cmake(build "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
  consume_with_pkg_config(consumer-pkg-config)
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()
