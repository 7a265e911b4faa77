/* hubd-job-progress-test.c: a job's progress numbers — restarts never go below zero, the
 * files list keeps the order files began and shows the most recently active, the rate over
 * a window, the expected end */
#define G_LOG_DOMAIN "HubdJobProgressTest"

#include <glib.h>

#include "hubd-job-progress.h"

#define SEC G_USEC_PER_SEC

static void
test_bytes_restart(void)
{
	g_autoptr(HubdJobProgress) p = hubd_job_progress_new();

	hubd_job_progress_set_totals(p, 1000, 2);
	hubd_job_progress_add_bytes(p, 300);
	hubd_job_progress_add_bytes(p, -100);
	g_assert_cmpuint(hubd_job_progress_get_bytes_done(p), ==, 200);
	/* a restart bigger than what was done stops at zero, not at 2^64 - 300 */
	hubd_job_progress_add_bytes(p, -500);
	g_assert_cmpuint(hubd_job_progress_get_bytes_done(p), ==, 0);
	hubd_job_progress_add_bytes_total(p, 24);
	hubd_job_progress_add_files(p, 1);
	g_assert_cmpuint(hubd_job_progress_get_bytes_total(p), ==, 1024);
	g_assert_cmpuint(hubd_job_progress_get_files_done(p), ==, 1);
	g_assert_cmpuint(hubd_job_progress_get_files_total(p), ==, 2);
}

static void
test_files_in_flight(void)
{
	g_autoptr(HubdJobProgress) p = hubd_job_progress_new();
	g_autoptr(GVariant) v = NULL;
	g_autofree gchar *text = NULL;

	hubd_job_progress_file_begin(p, "a.bin", 100);
	hubd_job_progress_file_begin(p, "b.bin", 50);
	hubd_job_progress_file_progress(p, "a.bin", 40);
	hubd_job_progress_file_progress(p, "b.bin", 10);
	hubd_job_progress_file_progress(p, "a.bin", -40); /* a retry of a.bin */
	/* progress of a file not listed still counts towards BytesDone */
	hubd_job_progress_file_progress(p, NULL, 5);
	g_assert_cmpuint(hubd_job_progress_get_bytes_done(p), ==, 15);

	v = hubd_job_progress_files_variant(p);
	text = g_variant_print(v, FALSE);
	g_assert_cmpstr(text, ==, "[('a.bin', 0, 100), ('b.bin', 10, 50)]");

	g_assert_true(hubd_job_progress_file_end(p, "a.bin"));
	g_assert_false(hubd_job_progress_file_end(p, "a.bin"));
	g_assert_false(hubd_job_progress_file_end(p, NULL));
	hubd_job_progress_end_files(p);
	g_clear_pointer(&v, g_variant_unref);
	v = hubd_job_progress_files_variant(p);
	g_assert_cmpuint(g_variant_n_children(v), ==, 0);
}

/* with more files in flight than are shown, the most recently active win, still listed
 * in the order they began */
static void
test_files_most_recent(void)
{
	g_autoptr(HubdJobProgress) p = hubd_job_progress_new();
	g_autoptr(GVariant) v = NULL;
	const gchar *first = NULL;
	guint n;

	for (guint i = 0; i < 20; i++) {
		g_autofree gchar *path = g_strdup_printf("f%02u", i);

		hubd_job_progress_file_begin(p, path, 10);
	}
	/* f00 moves again: it is among the most recent, and still first */
	hubd_job_progress_file_progress(p, "f00", 1);
	v = hubd_job_progress_files_variant(p);
	n = (guint)g_variant_n_children(v);
	g_assert_cmpuint(n, ==, 16);
	g_variant_get_child(v, 0, "(&stt)", &first, NULL, NULL);
	g_assert_cmpstr(first, ==, "f00");
	g_variant_get_child(v, 1, "(&stt)", &first, NULL, NULL);
	g_assert_cmpstr(first, ==, "f05"); /* f01..f04 are the least recently active */
}

static void
test_rate_and_end(void)
{
	g_autoptr(HubdJobProgress) p = hubd_job_progress_new();
	gint64 t0 = 1000 * SEC;

	hubd_job_progress_set_totals(p, 10000, 1);
	/* one sample is no rate, and no rate is no expected end */
	g_assert_cmpuint(hubd_job_progress_sample_rate(p, t0), ==, 0);
	g_assert_cmpuint(hubd_job_progress_expected_end(p, 5 * SEC), ==, 0);

	hubd_job_progress_add_bytes(p, 1000);
	g_assert_cmpuint(hubd_job_progress_sample_rate(p, t0 + 1 * SEC), ==, 1000);
	/* 9000 bytes left at 1000 B/s: nine seconds from now */
	g_assert_cmpuint(hubd_job_progress_expected_end(p, 5 * SEC), ==, 14 * SEC);

	/* samples older than the window (5 s) drop out: after a slow stretch, the rate is
	 * that of the last second, not the average since t0 + 1 s (at t0 + 6 s:
	 * 100 bytes in the 5 s since t0 + 1 s; t0 itself has dropped out) */
	hubd_job_progress_add_bytes(p, 100);
	g_assert_cmpuint(hubd_job_progress_sample_rate(p, t0 + 6 * SEC), ==, 100 / 5);
	hubd_job_progress_add_bytes(p, 3000);
	g_assert_cmpuint(hubd_job_progress_sample_rate(p, t0 + 7 * SEC), ==, 3000);

	/* a restart is not negative speed: the rate is 0 and counting starts again */
	hubd_job_progress_add_bytes(p, -3500);
	g_assert_cmpuint(hubd_job_progress_sample_rate(p, t0 + 8 * SEC), ==, 0);
	hubd_job_progress_add_bytes(p, 500);
	g_assert_cmpuint(hubd_job_progress_sample_rate(p, t0 + 9 * SEC), ==, 500);
}

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/job-progress/bytes-restart", test_bytes_restart);
	g_test_add_func("/job-progress/files-in-flight", test_files_in_flight);
	g_test_add_func("/job-progress/files-most-recent", test_files_most_recent);
	g_test_add_func("/job-progress/rate-and-end", test_rate_and_end);
	return g_test_run();
}
