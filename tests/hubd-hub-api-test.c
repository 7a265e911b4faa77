/* hubd-hub-api-test.c: HubdHubApi against the local Hub (pages of 2) — each
 * endpoint function, what the Hub received, paging past one page, and how
 * its answers map to errors. The cases are in hubd-hub-api-test-*.c, one file
 * an area; this file registers them */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	hubd_hub_api_test_add_urls();
	hubd_hub_api_test_add_repos();
	hubd_hub_api_test_add_tree();
	hubd_hub_api_test_add_refs();
	hubd_hub_api_test_add_uploads();
	return g_test_run();
}
