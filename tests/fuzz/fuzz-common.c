/* fuzz-common.c: what every fuzz target shares */
#define G_LOG_DOMAIN "HubdFuzz"

#include "fuzz-common.h"

#include <stdlib.h>

static void
hubd_fuzz_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	g_log_default_handler(domain, level, message, data);
	if (level & G_LOG_LEVEL_CRITICAL)
		abort();
}

void
hubd_fuzz_abort_on_critical(void)
{
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		g_log_set_default_handler(hubd_fuzz_log, NULL);
		g_once_init_leave(&done, 1);
	}
}
