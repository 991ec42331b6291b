# Runs one libFuzzer binary briefly on a fresh copy of its seed corpus.
#   cmake -DFUZZER=<binary> -DSEED_CORPUS=<dir> -DWORK_DIR=<dir> -DDICT=<file>
#         -DMAX_TOTAL_TIME=<seconds> -P run_smoke.cmake
foreach(var FUZZER SEED_CORPUS WORK_DIR DICT MAX_TOTAL_TIME)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_smoke.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/corpus ${WORK_DIR}/artifacts)
file(COPY ${SEED_CORPUS}/ DESTINATION ${WORK_DIR}/corpus)

execute_process(
  COMMAND ${FUZZER} -max_total_time=${MAX_TOTAL_TIME} -max_len=16384 -dict=${DICT}
          -artifact_prefix=${WORK_DIR}/artifacts/ -print_final_stats=1 ${WORK_DIR}/corpus
  WORKING_DIRECTORY ${WORK_DIR}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}); crash inputs are in ${WORK_DIR}/artifacts")
endif()
