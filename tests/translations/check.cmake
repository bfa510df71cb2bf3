# Fails when a user-visible string has no Chinese translation, or the .ts keeps entries the code no longer has.
# lupdate runs over the sources into a copy of the committed .ts (the committed file is never touched here).
# Inputs: LUPDATE, SOURCE_DIR, WORK_DIR.
file(MAKE_DIRECTORY ${WORK_DIR})
set(ts ${SOURCE_DIR}/translations/llm_foundry_zh_CN.ts)
file(READ ${ts} committed)
string(REGEX MATCHALL "type=\"(obsolete|vanished)\"" stale "${committed}")
list(LENGTH stale staleCount)
if(staleCount GREATER 0)
    message(FATAL_ERROR "${ts} keeps ${staleCount} obsolete entries: run lupdate with -no-obsolete (see README).")
endif()
configure_file(${ts} ${WORK_DIR}/check.ts COPYONLY)
execute_process(COMMAND ${LUPDATE} -locations none -no-obsolete ${SOURCE_DIR}/views ${SOURCE_DIR}/app/gui
                        -ts ${WORK_DIR}/check.ts
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed: ${out}")
endif()
file(READ ${WORK_DIR}/check.ts updated)
string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*(<comment>[^<]*</comment>[ \n]*)?<translation type=\"unfinished\""
       unfinished "${updated}")
list(LENGTH unfinished count)
if(count GREATER 0)
    string(REPLACE "<translation type=\"unfinished\"" "" listed "${unfinished}")
    message(FATAL_ERROR "${count} user-visible strings have no zh_CN translation:\n${listed}\n"
                        "Run: lupdate -locations none -no-obsolete views app/gui -ts translations/llm_foundry_zh_CN.ts "
                        "and translate them.")
endif()

# English: only the plural forms ("%n thread(s)" → "1 thread" / "2 threads").
configure_file(${SOURCE_DIR}/translations/llm_foundry_en.ts ${WORK_DIR}/check_en.ts COPYONLY)
execute_process(COMMAND ${LUPDATE} -locations none -no-obsolete -pluralonly ${SOURCE_DIR}/views ${SOURCE_DIR}/app/gui
                        -ts ${WORK_DIR}/check_en.ts
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed: ${out}")
endif()
file(READ ${WORK_DIR}/check_en.ts updated)
string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*<translation type=\"unfinished\"" unfinished "${updated}")
list(LENGTH unfinished count)
if(count GREATER 0)
    message(FATAL_ERROR "${count} English plural forms are missing:\n${unfinished}\nRun: lupdate -locations none "
                        "-no-obsolete -pluralonly views app/gui -ts translations/llm_foundry_en.ts and fill them in.")
endif()
message(STATUS "zh_CN translation and English plural forms complete")
