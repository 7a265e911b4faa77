/* hubd-git-credential-test.c: which git credential requests get hubd's token
 * — exactly the endpoint's scheme, host and port, default ports written or
 * not, IPv6 literals as git writes them — and the user name handed out */
#define G_LOG_DOMAIN "HubdGitCredentialTest"

#include <glib.h>

#include "hubd-git-credential.h"

static void
test_matches(void)
{
	static const struct {
		const gchar *endpoint;
		const gchar *protocol;
		const gchar *host;
		gboolean expected;
	} cases[] = {
		{"https://huggingface.co", "https", "huggingface.co", TRUE},
		{"https://huggingface.co/", "https", "huggingface.co", TRUE},
		{"https://huggingface.co", "https", "HuggingFace.co", TRUE},
		{"https://huggingface.co", "https", "huggingface.co:443", TRUE},
		{"https://huggingface.co:443", "https", "huggingface.co", TRUE},
		{"http://127.0.0.1:8080", "http", "127.0.0.1:8080", TRUE},
		{"http://[::1]:8080", "http", "[::1]:8080", TRUE},
		/* plain http to an https Hub: never */
		{"https://huggingface.co", "http", "huggingface.co", FALSE},
		{"https://huggingface.co", "https", "huggingface.co:8443", FALSE},
		{"https://huggingface.co", "https", "evil.example", FALSE},
		{"https://huggingface.co", "https", "huggingface.co.evil.example", FALSE},
		{"https://huggingface.co", "https", "evilhuggingface.co", FALSE},
		{"http://127.0.0.1:8080", "http", "127.0.0.1", FALSE},
		{"http://127.0.0.1:8080", "http", "127.0.0.1:8081", FALSE},
		{"http://[::1]:8080", "http", "[::1", FALSE},
		{"https://huggingface.co", "https", "huggingface.co:", FALSE},
		{"https://huggingface.co", "https", "huggingface.co:x", FALSE},
		{"https://huggingface.co", "https", "", FALSE},
		{"https://huggingface.co", "ssh", "huggingface.co", FALSE},
		{"not a url", "https", "huggingface.co", FALSE},
		{NULL, "https", "huggingface.co", FALSE},
		{"https://huggingface.co", NULL, "huggingface.co", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("%s vs %s://%s",
			       cases[i].endpoint,
			       cases[i].protocol,
			       cases[i].host);
		g_assert_cmpint(hubd_git_credential_matches(cases[i].endpoint,
							    cases[i].protocol,
							    cases[i].host),
				==,
				cases[i].expected);
	}
}

static void
test_username(void)
{
	g_assert_cmpstr(hubd_git_credential_username("alice"), ==, "alice");
	g_assert_cmpstr(hubd_git_credential_username(""), ==, "hf_user");
	g_assert_cmpstr(hubd_git_credential_username(NULL), ==, "hf_user");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/git-credential/matches", test_matches);
	g_test_add_func("/git-credential/username", test_username);
	return g_test_run();
}
