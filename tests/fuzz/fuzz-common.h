/* fuzz-common.h: what every fuzz target shares */
#pragma once

#include <glib.h>

/* Makes a GLib critical (a failed g_return_if_fail: a caller broke a rule)
 * fail the input with abort(), which libFuzzer catches and keeps the input
 * of; G_DEBUG=fatal-criticals would trap instead, which it does not. */
void
hubd_fuzz_abort_on_critical(void);
