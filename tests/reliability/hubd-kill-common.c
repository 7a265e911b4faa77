/* hubd-kill-common.c: what the kill -9 campaigns share */
#define G_LOG_DOMAIN "HubdKillCampaign"

#include "hubd-kill-common.h"

guint
kill_rounds(void)
{
	const gchar *env = g_getenv("HUBD_KILL_ROUNDS");

	return env != NULL ? (guint)g_ascii_strtoull(env, NULL, 10) : 20;
}

GRand *
kill_rand(void)
{
	const gchar *env = g_getenv("HUBD_KILL_SEED");
	guint32 seed = env != NULL ? (guint32)g_ascii_strtoull(env, NULL, 10) : g_random_int();

	g_test_message("seed %u (HUBD_KILL_SEED=%u repeats this campaign)", seed, seed);
	return g_rand_new_with_seed(seed);
}

void
kill_report(const gchar *what, const Figures *fig)
{
	g_test_message("%s: %u/%u completed after a kill, %u partial files seen, %.2fx the payload "
		       "moved",
		       what,
		       fig->completed,
		       fig->rounds,
		       fig->partial_seen,
		       fig->payload > 0 ? (gdouble)fig->moved / (gdouble)fig->payload : 0.0);
	g_assert_cmpuint(fig->completed, ==, fig->rounds);
	g_assert_cmpuint(fig->partial_seen, ==, 0);
}
