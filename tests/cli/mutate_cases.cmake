# Writes a copy of a `stepup test` case table with one expectation changed,
# for the test that `stepup test` reports a failure and exits 1.
#   cmake -DIN=cases.json -DOUT=out.json -DCASE=2 -DFIELD=status -DEXPECT=200 -DVALUE=403 -P mutate_cases.cmake
# EXPECT is the current value (JSON text) that the mutation replaces: if the
# table changed so that it no longer holds, this script fails rather than
# test something else. VALUE is the new value as JSON text.
foreach(var IN ITEMS IN OUT CASE FIELD EXPECT VALUE)
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
if(type STREQUAL "STRING")
  string(JSON current_json GET "${table}" cases ${CASE} ${FIELD})
  # Compare as text: GET returns a string's value without quotes.
  set(current_text "\"${current_json}\"")
else()
  set(current_text "${current}")
endif()
if(NOT current_text STREQUAL EXPECT)
  message(FATAL_ERROR "mutate_cases.cmake: ${IN}: cases[${CASE}].${FIELD} is ${current_text}, "
                      "expected ${EXPECT}: update the test")
endif()
string(JSON mutated SET "${table}" cases ${CASE} ${FIELD} "${VALUE}")
get_filename_component(out_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${out_dir}")
file(WRITE "${OUT}" "${mutated}\n")
string(JSON name GET "${table}" cases ${CASE} name)
message(STATUS "wrote ${OUT}: cases[${CASE}] \"${name}\" ${FIELD} ${EXPECT} -> ${VALUE}")
