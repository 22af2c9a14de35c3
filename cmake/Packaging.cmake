# Installation layout (binary, manual page, shell completions, documentation) and the Debian package.
include(GNUInstallDirs)

install(TARGETS ksail-benchstat RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES docs/ksail-benchstat.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES completions/ksail-benchstat.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ksail-benchstat)
install(FILES completions/_ksail-benchstat DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
# README.md links docs/*.md, so the pages keep that layout under the documentation directory.
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md" PATTERN "*.png")

set(CPACK_PACKAGE_NAME ksail-benchstat)
set(CPACK_PACKAGE_VENDOR "The ksail-benchstat authors")
set(CPACK_PACKAGE_CONTACT "The ksail-benchstat authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "compare benchmark results and gate CI on real regressions")
set(CPACK_PACKAGE_DESCRIPTION
    "Compares Go benchmark text, go test -json and Google Benchmark JSON results: medians with \
confidence intervals, Mann-Whitney U tests and Hodges-Lehmann change intervals, as text, markdown, \
CSV, JSON or HTML, and a CI gate that fails only on real regressions.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends is computed by dpkg-shlibdeps from the shared libraries the binary links: none for the
# default static executable (KSAIL_STATIC_RUNTIME).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
include(CPack)
