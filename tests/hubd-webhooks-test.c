/* hubd-webhooks-test.c: org.hubd.Hub1.Webhooks and `hubctl webhooks` end to
 * end — the real daemon with its listener on, the local Hub delivering real
 * webhooks: what the listener refuses (and with which status), a commit that
 * becomes a Received signal with typed fields, and the management API as the
 * Hub records it. Secrets must not reach hubd's (debug) log.
 *
 * The cases are in hubd-webhooks-test-{receive,management,transport}.c, the
 * fixture in hubd-webhooks-test-common.c. */
#include "hubd-webhooks-test-common.h"

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	hubd_webhooks_test_add_receive_tests();
	hubd_webhooks_test_add_management_tests();
	hubd_webhooks_test_add_transport_tests();
	return g_test_run();
}
