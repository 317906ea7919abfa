// Deliberately wrong: domain code reaching for the database through a gt
// header that pulls in Connector/C++. Must not build.
#include "gt/mysql_pool.h"

int BadManagerMysql() { return 0; }
