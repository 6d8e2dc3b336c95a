# Helpers every target uses: warnings as errors on project code, test registration with a label.

# distill_defaults(target): project-wide compile flags for our own code.
function(distill_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  # GCC 14 reports -Warray-bounds and -Wstringop-overflow inside libtorch 2.x's custom_function.h
  # (std::vector<bool>::reserve inlined into torch::autograd::Function::apply): false positives at -O3
  # located in the standard library's headers, in every file that defines an autograd function.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 14)
    target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-stringop-overflow)
  endif()
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()

# distill_library(name SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
function(distill_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  distill_defaults(${name})
endfunction()

# distill_qt_library(name SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...]): a library with moc.
function(distill_qt_library name)
  distill_library(${name} ${ARGN})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
endfunction()

# distill_add_test(tst_name SOURCES ... LIBS ... LABEL unit|gui|gpu|network|slow [TIMEOUT s])
# One executable per topic; runs from the source root so fixtures are found by relative path.
function(distill_add_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} Qt6::Test)
  # Compiled as the libraries are (-fPIC), so that a test can reuse a library's precompiled torch
  # header: GCC refuses a PCH made with other PIC/PIE settings (Qt 6.4 adds -fPIC itself, 6.8 does not).
  target_compile_options(${name} PRIVATE -fPIC)
  target_compile_definitions(${name} PRIVATE
    DISTILLERY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DISTILLERY_BINARY_DIR="${PROJECT_BINARY_DIR}")
  distill_defaults(${name})
  add_test(NAME ${name} COMMAND ${name})
  # ctest runs tests side by side on few cores: OpenBLAS's own thread pool then waits on threads the
  # other test keeps off the cores (the toy demo's test: 33 s alone, up to 294 s beside another, 51 s
  # with one BLAS thread), so each test's matrix products run on its own thread.
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DISTILLERY_CLI=$<TARGET_FILE:distillery-cli>;OPENBLAS_NUM_THREADS=1")
endfunction()
