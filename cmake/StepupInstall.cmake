# Install, export and package-config rules, so that `find_package(stepup)`
# yields the same stepup::stepup target as add_subdirectory.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(STEPUP_CONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/stepup")

install(TARGETS stepup EXPORT stepupTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/stepup"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT stepupTargets NAMESPACE stepup:: DESTINATION ${STEPUP_CONFIG_DIR})

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/stepupConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/stepupConfig.cmake"
  INSTALL_DESTINATION ${STEPUP_CONFIG_DIR})
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/stepupConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/stepupConfig.cmake"
              "${PROJECT_BINARY_DIR}/stepupConfigVersion.cmake"
        DESTINATION ${STEPUP_CONFIG_DIR})

# The build tree is a package too: find_package(stepup) with
# stepup_DIR=<build dir> uses the library without installing it.
export(EXPORT stepupTargets NAMESPACE stepup::
       FILE "${PROJECT_BINARY_DIR}/stepupTargets.cmake")

# pkg-config: `pkg-config --cflags --libs stepup` (add --static for a static
# libstepup.a). The prefix is found from the .pc file's own place, so an
# install under any --prefix works.
file(RELATIVE_PATH STEPUP_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file("${PROJECT_SOURCE_DIR}/cmake/stepup.pc.in" "${PROJECT_BINARY_DIR}/stepup.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/stepup.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
