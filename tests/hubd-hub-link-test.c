/* hubd-hub-link-test.c: the Link header parser every paged listing follows (RFC 8288) */
#define G_LOG_DOMAIN "HubdHubLinkTest"

#include "hubd-hub-link.h"

typedef struct {
	const gchar *header;
	const gchar *base;
	const gchar *next; /* NULL: no next page */
} LinkCase;

static void
check_cases(const LinkCase *cases, guint n)
{
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *next = hubd_hub_link_next(cases[i].header, cases[i].base);
		if (g_strcmp0(next, cases[i].next) != 0)
			g_error("Link: %s\n  got  %s\n  want %s",
				cases[i].header != NULL ? cases[i].header : "(null)",
				next != NULL ? next : "(null)",
				cases[i].next != NULL ? cases[i].next : "(null)");
	}
}

/* the Hub's own shape, and headers with no next page */
static void
test_link_simple(void)
{
	static const LinkCase cases[] = {
		{"<https://hub.example/api/models?limit=2&cursor=eyJ>; rel=\"next\"",
		 NULL,
		 "https://hub.example/api/models?limit=2&cursor=eyJ"},
		{NULL, NULL, NULL},
		{"", NULL, NULL},
		{"   ,  , ", NULL, NULL},
		{"<https://hub.example/p1>; rel=\"prev\"", NULL, NULL},
		{"<https://hub.example/p1>", NULL, NULL},
		{"no angle brackets; rel=\"next\"", NULL, NULL},
		/* unterminated target: nothing trustworthy follows */
		{"<https://hub.example/p2; rel=\"next\"", NULL, NULL},
		/* a URL may hold commas: the target runs to '>' */
		{"<https://hub.example/x?a=1,2>; rel=\"next\"",
		 NULL,
		 "https://hub.example/x?a=1,2"},
		/* "nextpage" is not "next" */
		{"<https://hub.example/x>; rel=\"nextpage\"", NULL, NULL},
	};

	check_cases(cases, G_N_ELEMENTS(cases));
}

/* rel="next" on a later link-value: the first <…> is not the answer */
static void
test_link_next_not_first(void)
{
	static const LinkCase cases[] = {
		{"<https://hub.example/p1>; rel=\"prev\", <https://hub.example/p3>; rel=\"next\"",
		 NULL,
		 "https://hub.example/p3"},
		{"<https://hub.example/first>; rel=\"first\", <https://hub.example/p1>; "
		 "rel=\"prev\", <https://hub.example/p3>; rel=\"next\", "
		 "<https://hub.example/last>; rel=\"last\"",
		 NULL,
		 "https://hub.example/p3"},
		/* libsoup joins repeated headers with ", " */
		{"<https://hub.example/p1>; rel=prev, <https://hub.example/p3>; rel=next",
		 NULL,
		 "https://hub.example/p3"},
	};

	check_cases(cases, G_N_ELEMENTS(cases));
}

/* parameters in any order, spacing, case, rel lists, the first rel only */
static void
test_link_params(void)
{
	static const LinkCase cases[] = {
		{"<https://hub.example/a>; title=\"Page 2\"; type=\"application/json\"; "
		 "rel=\"next\"",
		 NULL,
		 "https://hub.example/a"},
		{"<https://hub.example/a>;rel=next", NULL, "https://hub.example/a"},
		{"<https://hub.example/a> ; rel = \"next\" ", NULL, "https://hub.example/a"},
		{"<https://hub.example/a>; REL=\"NEXT\"", NULL, "https://hub.example/a"},
		{"<https://hub.example/a>; rel=\"prev next\"", NULL, "https://hub.example/a"},
		{"<https://hub.example/a>; rel=\"next   last\"", NULL, "https://hub.example/a"},
		/* RFC 8288 §3.3: a second rel is ignored */
		{"<https://hub.example/a>; rel=\"prev\"; rel=\"next\"", NULL, NULL},
		/* a parameter without a value, and garbage, are skipped */
		{"<https://hub.example/a>; crossorigin; rel=\"next\"",
		 NULL,
		 "https://hub.example/a"},
		{"<https://hub.example/a> junk; rel=\"next\"", NULL, "https://hub.example/a"},
	};

	check_cases(cases, G_N_ELEMENTS(cases));
}

/* commas, semicolons and quotes inside quoted strings do not split */
static void
test_link_quoted(void)
{
	static const LinkCase cases[] = {
		{"<https://hub.example/a>; title=\"a, b; rel=next\", <https://hub.example/b>; "
		 "rel=\"next\"",
		 NULL,
		 "https://hub.example/b"},
		{"<https://hub.example/a>; title=\"say \\\"hi\\\", <x>; rel=next\"; rel=\"prev\", "
		 "<https://hub.example/b>; rel=\"next\"",
		 NULL,
		 "https://hub.example/b"},
		{"<https://hub.example/a>; title=\"x;y\"; rel=\"next\"",
		 NULL,
		 "https://hub.example/a"},
		/* an unterminated quoted string swallows the rest */
		{"<https://hub.example/a>; title=\"open, <https://hub.example/b>; rel=\"next\"",
		 NULL,
		 NULL},
	};

	check_cases(cases, G_N_ELEMENTS(cases));
}

/* relative targets resolve against the page's URL; escapes stay */
static void
test_link_relative(void)
{
	static const LinkCase cases[] = {
		{"</api/models?cursor=abc>; rel=\"next\"",
		 "https://hub.example/api/models?limit=2",
		 "https://hub.example/api/models?cursor=abc"},
		{"<?cursor=abc>; rel=\"next\"",
		 "https://hub.example/api/models/a/b/tree/main?recursive=true",
		 "https://hub.example/api/models/a/b/tree/main?cursor=abc"},
		{"<page2>; rel=\"next\"",
		 "http://127.0.0.1:8080/api/list/page1",
		 "http://127.0.0.1:8080/api/list/page2"},
		{"</api/models/a/b/tree/refs%2Fpr%2F1?cursor=a%2Fb%3D>; rel=\"next\"",
		 "https://hub.example/api/models/a/b/tree/refs%2Fpr%2F1",
		 "https://hub.example/api/models/a/b/tree/refs%2Fpr%2F1?cursor=a%2Fb%3D"},
		/* absolute targets are used as given */
		{"<https://other.example/api/models?cursor=1>; rel=\"next\"",
		 "https://hub.example/api/models",
		 "https://other.example/api/models?cursor=1"},
		/* without a base, the target as written */
		{"</api/models?cursor=abc>; rel=\"next\"", NULL, "/api/models?cursor=abc"},
		/* a target with a space or a control character is no URL: the next
		 * usable one is taken */
		{"<https://hub.example/a b>; rel=\"next\", <https://hub.example/c>; rel=\"next\"",
		 NULL,
		 "https://hub.example/c"},
		{"<https://hub.example/a\tb>; rel=\"next\"", NULL, NULL},
	};

	check_cases(cases, G_N_ELEMENTS(cases));
}

/* an absurdly long header is not scanned */
static void
test_link_huge(void)
{
	g_autoptr(GString) header = g_string_new("<https://hub.example/a>; rel=\"next\"");
	g_autofree gchar *next = NULL;

	while (header->len <= 64 * 1024)
		g_string_append(header, ", <https://hub.example/x>; rel=\"prev\"");
	next = hubd_hub_link_next(header->str, NULL);
	g_assert_null(next);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hubd/hub-link/simple", test_link_simple);
	g_test_add_func("/hubd/hub-link/next-not-first", test_link_next_not_first);
	g_test_add_func("/hubd/hub-link/params", test_link_params);
	g_test_add_func("/hubd/hub-link/quoted", test_link_quoted);
	g_test_add_func("/hubd/hub-link/relative", test_link_relative);
	g_test_add_func("/hubd/hub-link/huge", test_link_huge);
	return g_test_run();
}
