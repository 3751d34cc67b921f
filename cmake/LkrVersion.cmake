# The text of `lkrecover --version`: "lkrecover <project version> (<commit>)".
# The commit is `git describe --always --dirty` of the source tree at configure time
# (scripts/build configures on every call, so it follows commits), "unknown" outside git.
# The "-dirty" test is a read-only `git status` rather than describe's own --dirty: that
# one rewrites .git/index when it can take its lock, and a configure must never race a
# `git add` or a commit running in the same tree for the index lock.
set(LKR_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" --no-optional-locks describe --always
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    RESULT_VARIABLE lkr_describe_rc
    OUTPUT_VARIABLE lkr_describe
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(lkr_describe_rc EQUAL 0 AND lkr_describe)
    set(LKR_GIT_COMMIT "${lkr_describe}")
    execute_process(
      COMMAND "${GIT_EXECUTABLE}" --no-optional-locks status --porcelain --untracked-files=no
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
      OUTPUT_VARIABLE lkr_changes
      ERROR_QUIET)
    if(lkr_changes)
      string(APPEND LKR_GIT_COMMIT "-dirty")
    endif()
  endif()
endif()
message(STATUS "lkrecover ${PROJECT_VERSION} (${LKR_GIT_COMMIT})")

# configure_file rewrites the header only when the text changes: a reconfigure on the same
# commit recompiles nothing.
configure_file("${CMAKE_CURRENT_LIST_DIR}/lkrecover_version.h.in"
               "${PROJECT_BINARY_DIR}/generated/lkrecover_version.h" @ONLY)
include_directories("${PROJECT_BINARY_DIR}/generated")
