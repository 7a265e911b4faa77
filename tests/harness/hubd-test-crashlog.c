/* hubd-test-crashlog.c: when a test dies (a failed assertion aborts, a fatal
 * warning traps, meson's timeout sends SIGTERM), the end of every live
 * hubd's log goes to stderr, where meson's test log keeps it. A flaky
 * failure in CI is otherwise seen once with no daemon side at all: the logs
 * live in temporary folders that are gone when the run ends.
 *
 * The handler only uses async-signal-safe calls (open, read, write, lseek,
 * signal, raise) on paths copied when the daemon started. */
#include "hubd-test-crashlog.h"

#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define MAX_LOGS  16
#define TAIL_SIZE (96 * 1024) /* the end of a --verbose log is what matters */

static gchar *logs[MAX_LOGS];
static volatile sig_atomic_t dumping;
static const int fatal_signals[] = {SIGABRT, SIGTRAP, SIGTERM, SIGSEGV};

static void
say(const char *text)
{
	size_t left = strlen(text);

	while (left > 0) {
		ssize_t n = write(STDERR_FILENO, text, left);
		if (n <= 0)
			return;
		text += n;
		left -= (size_t)n;
	}
}

static void
dump_one(const char *path)
{
	char buf[8192];
	ssize_t n;
	off_t end;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	end = lseek(fd, 0, SEEK_END);
	lseek(fd, end > TAIL_SIZE ? end - TAIL_SIZE : 0, SEEK_SET);
	say("\n---- the test died: the end of hubd's log ");
	say(path);
	say(" ----\n");
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (write(STDERR_FILENO, buf, (size_t)n) != n)
			break;
	}
	say("\n---- end of hubd's log ----\n");
	close(fd);
}

static void
on_fatal_signal(int sig)
{
	if (!dumping) {
		dumping = 1;
		for (guint i = 0; i < MAX_LOGS; i++) {
			if (logs[i] != NULL)
				dump_one(logs[i]);
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void
hubd_test_crashlog_add(const gchar *path)
{
	static gboolean installed;

	if (!installed) {
		installed = TRUE;
		for (guint i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
			signal(fatal_signals[i], on_fatal_signal);
	}
	for (guint i = 0; i < MAX_LOGS; i++) {
		if (logs[i] == NULL) {
			logs[i] = g_strdup(path);
			return;
		}
	}
}

void
hubd_test_crashlog_remove(const gchar *path)
{
	for (guint i = 0; i < MAX_LOGS; i++) {
		if (g_strcmp0(logs[i], path) == 0) {
			gchar *old = logs[i];
			logs[i] = NULL;
			g_free(old);
			return;
		}
	}
}
