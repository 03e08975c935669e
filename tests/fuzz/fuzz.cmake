# libFuzzer targets for the parsers that read untrusted text: migration files and the TOML
# configuration. Built only with clang and -DAUTOCRM_FUZZ=ON (scripts/fuzz does both, in build-fuzz/).
# Each target links its own copy of the core, catalog and check libraries (no database), instrumented for coverage and built with
# AddressSanitizer and UndefinedBehaviorSanitizer, so the normal targets are left untouched.
option(AUTOCRM_FUZZ "Build the libFuzzer targets (clang only)" OFF)

if(AUTOCRM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "AUTOCRM_FUZZ=ON needs clang (CC=clang CXX=clang++); scripts/fuzz configures it")
  endif()
  set(AUTOCRM_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)

  add_library(autocrm_core_fuzz STATIC ${CORE_SOURCES} ${CATALOG_SOURCES} ${CHECK_SOURCES})
  target_include_directories(autocrm_core_fuzz PUBLIC src ${PG_QUERY_INCLUDE})
  target_link_libraries(autocrm_core_fuzz PUBLIC fmt::fmt tomlplusplus::tomlplusplus
                        PRIVATE ${PG_QUERY_LIB} OpenSSL::Crypto Threads::Threads)
  target_compile_options(autocrm_core_fuzz PRIVATE ${AUTOCRM_FUZZ_FLAGS})

  # Every tests/fuzz/fuzz_<target>.cpp is a target named fuzz_<target>; its seed corpus is
  # tests/fuzz/corpus/<target>/ and its crash regressions tests/fuzz/regressions/<target>/.
  #   fuzz_migration:         core::parse_migration + core::section_statements (+ file names)
  #   fuzz_config:            core::Config::load from text (LoadOptions.config_text) + ${VAR} expansion
  #   fuzz_check_declaration: check::parse_declaration, the documented schema of `check`
  file(GLOB AUTOCRM_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/fuzz_*.cpp)
  foreach(source ${AUTOCRM_FUZZ_SOURCES})
    get_filename_component(target ${source} NAME_WE)
    add_executable(${target} ${source})
    target_link_libraries(${target} PRIVATE autocrm_core_fuzz)
    target_compile_options(${target} PRIVATE ${AUTOCRM_FUZZ_FLAGS})
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  endforeach()
endif()
