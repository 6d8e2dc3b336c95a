# cmake -DDOC=docs/ARCHITECTURE.md -DTABLE=<build>/architecture_targets.md [-DUPDATE=ON] -P this file:
# fails when the document's target table (between the `targets` markers) differs from the one the
# build wrote; with UPDATE, writes the build's table into the document instead.
file(READ ${DOC} doc)
file(READ ${TABLE} table)
set(begin "<!-- targets: generated from the build (cmake/DistillArchitecture.cmake) -->\n")
set(end "<!-- /targets -->")
string(FIND "${doc}" "${begin}" b)
string(FIND "${doc}" "${end}" e)
if(b EQUAL -1 OR e EQUAL -1)
  message(FATAL_ERROR "${DOC} has no target table markers")
endif()
string(LENGTH "${begin}" blen)
math(EXPR start "${b} + ${blen}")
math(EXPR len "${e} - ${start}")
string(SUBSTRING "${doc}" ${start} ${len} current)
if(current STREQUAL table)
  return()
endif()
if(UPDATE)
  string(SUBSTRING "${doc}" 0 ${start} head)
  string(SUBSTRING "${doc}" ${e} -1 tail)
  file(WRITE ${DOC} "${head}${table}${tail}")
  message(STATUS "updated the target table of ${DOC}")
else()
  message(FATAL_ERROR "the target table of ${DOC} no longer matches the build; update it with\n"
                      "  cmake -DDOC=${DOC} -DTABLE=${TABLE} -DUPDATE=ON -P ${CMAKE_CURRENT_LIST_FILE}\n"
                      "build's table:\n${table}")
endif()
