/* hubd-test-crashlog.h: the end of each live hubd's log on stderr when the
 * test dies of SIGABRT, SIGTRAP, SIGTERM or SIGSEGV */
#pragma once

#include <glib.h>

/* remembers `path` (copied) until hubd_test_crashlog_remove() */
void
hubd_test_crashlog_add(const gchar *path);

void
hubd_test_crashlog_remove(const gchar *path);
