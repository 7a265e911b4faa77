/* hubd-test-common-private.h: internals of the harness library, shared by
 * hubd-test-common.c (which defines them), hubd-test-dbus.c and
 * hubd-test-run.c; not for the test programs */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The value of environment variable `name`; asserts (run through meson) when
 * it is unset or empty. */
const gchar *
hubd_test_require_env(const gchar *name);
/* TRUE if `args` has `option`, alone or as "option=value"; *value (may be
 * NULL) is then its value. */
gboolean
hubd_test_strv_has_option(const gchar *const *args, const gchar *option, const gchar **value);
/* A launcher whose children die with the test; extra_env as in
 * hubd-test-common.h. */
GSubprocessLauncher *
hubd_test_launcher_new(GSubprocessFlags flags, const gchar *const *extra_env);
/* The exit code of `proc`, -1 if a signal killed it. */
gint
hubd_test_exit_code(GSubprocess *proc);
/* Iterates `context` until *done; after timeout_ms kills `proc`, cancels
 * `cancellable` and returns FALSE once the callback has run. */
gboolean
hubd_test_iterate_until(GMainContext *context,
			const gboolean *done,
			guint timeout_ms,
			GCancellable *cancellable,
			GSubprocess *proc);
/* TRUE once `proc` has exited, FALSE if it still runs after timeout_ms. */
gboolean
hubd_test_proc_wait(GSubprocess *proc, guint timeout_ms);

G_END_DECLS
