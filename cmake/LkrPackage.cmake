# The Debian package (CPack, DEB generator): lkrecover_<version>_amd64.deb with the
# stripped binary, its man page, bash completion, an example inventory, the audit files'
# JSON Schemas, the docs and the Ansible module. scripts/package builds it from a Release
# build. Only the product is installed: no rule here or anywhere else installs the lab or a
# test.
include(GNUInstallDirs)

# `cpack` and `cmake --install` copy what is built; they must not build every test first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(LKR_DEB_MAINTAINER
    "lkrecover maintainers <maintainers@users.noreply.r-seed-f8f51444.example>"
    CACHE STRING "The Debian package's Maintainer field (name <address>)")
# The changelog's date: SOURCE_DATE_EPOCH when set (a reproducible build), else now.
string(TIMESTAMP LKR_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)

set(lkr_pkg_dir "${PROJECT_BINARY_DIR}/package")
set(lkr_man "${lkr_pkg_dir}/lkrecover.1.gz")
set(lkr_changelog "${lkr_pkg_dir}/changelog.gz")
configure_file("${CMAKE_CURRENT_LIST_DIR}/debian/changelog.in" "${lkr_pkg_dir}/changelog" @ONLY)

# The man page is the program's own --help and --version (help2man), so it cannot drift
# from the binary. Debian wants both files compressed with gzip -9n (no name, no time).
find_program(LKR_HELP2MAN help2man)
add_custom_command(
  OUTPUT "${lkr_man}"
  COMMAND "${LKR_HELP2MAN}" --no-info --no-discard-stderr --section=1
          "--name=recover a SIOS LifeKeeper for Windows cluster after a node was reinstalled"
          "--include=${CMAKE_CURRENT_LIST_DIR}/debian/lkrecover.h2m"
          "--output=${lkr_pkg_dir}/lkrecover.1" "$<TARGET_FILE:lkrecover>"
  COMMAND gzip -9nf "${lkr_pkg_dir}/lkrecover.1"
  DEPENDS lkrecover "${CMAKE_CURRENT_LIST_DIR}/debian/lkrecover.h2m"
  COMMENT "help2man: lkrecover.1.gz"
  VERBATIM)
add_custom_command(
  OUTPUT "${lkr_changelog}"
  COMMAND gzip -9nkf "${lkr_pkg_dir}/changelog"
  DEPENDS "${lkr_pkg_dir}/changelog"
  VERBATIM)
# Not part of `all`: only packaging needs help2man (scripts/package builds this target).
add_custom_target(package-files DEPENDS "${lkr_man}" "${lkr_changelog}")

set(lkr_doc "${CMAKE_INSTALL_DATADIR}/doc/lkrecover")
install(TARGETS lkrecover RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${lkr_man}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${PROJECT_SOURCE_DIR}/contrib/bash-completion/lkrecover"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
install(FILES "${PROJECT_SOURCE_DIR}/cmake/debian/copyright" "${lkr_changelog}"
              "${PROJECT_SOURCE_DIR}/README.md"
        DESTINATION "${lkr_doc}")
# docs/ keeps its name so that the README's links (docs/runbook.md) hold.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${lkr_doc}/docs"
        FILES_MATCHING PATTERN "*.md")
install(FILES "${PROJECT_SOURCE_DIR}/contrib/examples/inventory.yml"
        DESTINATION "${lkr_doc}/examples")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/schemas/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/lkrecover/schemas"
        FILES_MATCHING PATTERN "*.json")
# The module is read by Ansible, never run directly: mode 0644 like any other data file.
install(FILES "${PROJECT_SOURCE_DIR}/contrib/ansible/plugins/modules/lkrecover_run.py"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/lkrecover/ansible/plugins/modules")
install(FILES "${PROJECT_SOURCE_DIR}/contrib/ansible/example-playbook.yml"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/lkrecover/ansible")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lkrecover)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${LKR_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # lkrecover_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LKR_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "recover SIOS LifeKeeper for Windows clusters after a node reinstall
lkrecover reads an Ansible-style inventory of LifeKeeper for Windows clusters,
connects to every surviving node over OpenSSH or WinRM, removes everything that
refers to the reinstalled node (equivalencies, LKDRInfo files, DataKeeper jobs
and mirrors, the system and its comm paths) following the vendor's runbook,
verifies the result and leaves a hash-chained JSON audit trail.
.
The package also holds a man page, bash completion, an example inventory, the
JSON Schemas of the audit files and an Ansible module (lkrecover_run).")
include(CPack)
