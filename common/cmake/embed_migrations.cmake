# Writes OUT, a C++ file defining `const std::vector<gt::Migration>& NAME()`
# with every SQL file of DIR embedded. Run by gt_embed_migrations at build
# time, so editing a migration rebuilds the binary that carries it.
file(GLOB sql_files "${DIR}/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT sql_files)
set(body "")
foreach(f ${sql_files})
  get_filename_component(fname ${f} NAME)
  string(SUBSTRING ${fname} 0 4 version)
  math(EXPR version "${version}")
  file(READ ${f} sql)
  string(FIND "${sql}" ")gtsql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )gtsql\"")
  endif()
  string(APPEND body "      {${version}, \"${fname}\", R\"gtsql(${sql})gtsql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from ${DIR} by common/cmake/embed_migrations.cmake. Do not edit.\n"
"#include \"gt/migrations.h\"\n\n"
"namespace gt {\n"
"const std::vector<Migration>& ${NAME}() {\n"
"  static const std::vector<Migration> kMigrations = {\n${body}  };\n"
"  return kMigrations;\n"
"}\n"
"}  // namespace gt\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
