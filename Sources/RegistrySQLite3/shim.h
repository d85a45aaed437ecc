// The one header Swift sees of the system SQLite (Debian's libsqlite3-dev).
// The session extension (changesets) is compiled into Debian's library, but
// sqlite3.h declares its functions only when these are defined.
#ifndef SQLITE_ENABLE_SESSION
#define SQLITE_ENABLE_SESSION 1
#endif
#ifndef SQLITE_ENABLE_PREUPDATE_HOOK
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#endif
#include <sqlite3.h>

// sqlite3_config() is variadic, which Swift cannot call; this fixes its arguments.
// Memory statistics make every allocation take a global mutex, and registry
// never reads them (about 3% of a large import's time).
static inline int registry_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
