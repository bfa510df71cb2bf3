# Installs the build tree's core into WORK_DIR/prefix, then configures, builds and runs the out-of-tree
# example in tests/package/example against it with find_package(LLMFoundry).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
find_program(CCACHE ccache)
set(launcher "")
if(CCACHE)
    set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/example -B ${WORK_DIR}/build
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release ${launcher}
                RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "configuring the example against the install tree failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "building the example failed (${rc})")
endif()
execute_process(COMMAND ${WORK_DIR}/build/package_example RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if(rc OR NOT out MATCHES "parameters: 7078144")
    message(FATAL_ERROR "the example did not run as expected (${rc}): ${out}")
endif()
