# Writes a copy of a `stepup test` case table with one expectation changed,
# for the tests that `stepup test` reports failures and exits 1.
#   cmake -DIN=cases.json -DOUT=out.json -DCASE=2 -DFIELD=status
#         -DEXPECT=200 -DVALUE=403 -P mutate_cases.cmake
#     replaces an integer: EXPECT is its current value, VALUE the new one.
#   cmake -DIN=cases.json -DOUT=out.json -DCASE=1 -DFIELD=www_authenticate
#         -DAPPEND=x -P mutate_cases.cmake
#     appends text to a string.
# If the table no longer has what the mutation expects, this script fails
# rather than let the test check something else.
foreach(var IN ITEMS IN OUT CASE FIELD)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "mutate_cases.cmake: -D${var}=... is required")
  endif()
endforeach()
file(READ "${IN}" table)
string(JSON current ERROR_VARIABLE error GET "${table}" cases ${CASE} ${FIELD})
if(error)
  message(FATAL_ERROR "mutate_cases.cmake: ${IN}: cases[${CASE}].${FIELD}: ${error}")
endif()
string(JSON type TYPE "${table}" cases ${CASE} ${FIELD})
if(DEFINED APPEND)
  if(NOT type STREQUAL "STRING")
    message(FATAL_ERROR "mutate_cases.cmake: cases[${CASE}].${FIELD} is not a string")
  endif()
  set(new_text "${current}${APPEND}")
  string(REPLACE "\\" "\\\\" new_text "${new_text}")
  string(REPLACE "\"" "\\\"" new_text "${new_text}")
  set(new_json "\"${new_text}\"")
else()
  if(NOT DEFINED EXPECT OR NOT DEFINED VALUE)
    message(FATAL_ERROR "mutate_cases.cmake: give -DAPPEND=..., or -DEXPECT=... and -DVALUE=...")
  endif()
  if(NOT type STREQUAL "NUMBER" OR NOT current STREQUAL EXPECT)
    message(FATAL_ERROR "mutate_cases.cmake: ${IN}: cases[${CASE}].${FIELD} is ${current}, "
                        "expected ${EXPECT}: update the test")
  endif()
  set(new_json "${VALUE}")
endif()
string(JSON mutated SET "${table}" cases ${CASE} ${FIELD} "${new_json}")
get_filename_component(out_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${out_dir}")
file(WRITE "${OUT}" "${mutated}\n")
string(JSON name GET "${table}" cases ${CASE} name)
message(STATUS "wrote ${OUT}: cases[${CASE}] \"${name}\": ${FIELD} changed")
