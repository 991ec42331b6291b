# Builds and runs tests/consumer/project against stepup, either from the build
# tree (MODE=build-tree) or from a fresh install (MODE=install).
# Inputs: SOURCE_DIR, STEPUP_BINARY_DIR, WORK_DIR, MODE, GENERATOR, CXX_FLAGS, CXX_COMPILER.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MODE STREQUAL "install")
  execute_process(COMMAND "${CMAKE_COMMAND}" --install "${STEPUP_BINARY_DIR}"
                          --prefix "${WORK_DIR}/prefix"
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${result}")
  endif()
  set(locate "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
else()
  set(locate "-Dstepup_DIR=${STEPUP_BINARY_DIR}")
endif()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
          "${locate}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
          -DCMAKE_BUILD_TYPE=Release
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the consumer failed: ${result}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the consumer failed: ${result}")
endif()
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer failed: ${result}")
endif()
