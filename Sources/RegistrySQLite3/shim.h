// The one header Swift sees of the system SQLite (Debian's libsqlite3-dev).
#include <sqlite3.h>
