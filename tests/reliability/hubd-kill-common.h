/* hubd-kill-common.h: what the kill -9 campaigns share — how many rounds,
 * the seed, and the figures each prints (completed/rounds, partial files
 * seen, bytes moved as a multiple of the payload) */
#pragma once

#include <glib.h>

typedef struct {
	guint rounds;
	guint completed;
	guint partial_seen;
	guint64 payload;
	guint64 moved;
} Figures;

/* HUBD_KILL_ROUNDS, default 20 */
guint
kill_rounds(void);
/* seeded by HUBD_KILL_SEED or at random; the seed is printed */
GRand *
kill_rand(void);
/* prints the figures as a TAP comment; asserts every round completed and
 * nothing partial was seen */
void
kill_report(const gchar *what, const Figures *fig);
