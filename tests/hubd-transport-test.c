/* hubd-transport-test.c: hubd over a real transport — nginx (TLS with a CA
 * made here with openssl, HTTP/2) in front of the local Hub, the CDN on its
 * own origin behind its own nginx server with limit_rate, a forward proxy
 * (tinyproxy) — and the errors for an untrusted certificate and a proxy that
 * cannot be reached. Skips when nginx, tinyproxy or openssl is missing. */
#define G_LOG_DOMAIN "HubdTransportTest"

#include "hubd-download-fixture.h"
#include "hubd-test-tls.h"

#define BIG_SIZE (2 * 1024 * 1024 + 777)

typedef struct {
	Fixture f;
	gchar *dir;
	gchar *ca;
	guint hub_port;   /* nginx, TLS: the Hub */
	guint cdn_port;   /* nginx, TLS: the CDN */
	guint proxy_port; /* tinyproxy */
	GPid nginx;
	GPid proxy;
	gchar *endpoint;
} TFixture;

static void
start_nginx(TFixture *t, guint hub_plain, guint cdn_plain)
{
	g_autofree gchar *conf = g_build_filename(t->dir, "nginx.conf", NULL);
	g_autofree gchar *text = NULL;
	const gchar *argv[] = {"nginx", "-c", conf, "-p", t->dir, NULL};
	g_autofree gchar *tls_lines =
		g_strdup_printf("ssl_certificate %s/srv.pem; ssl_certificate_key %s/srv.key;",
				t->dir,
				t->dir);

	text = g_strdup_printf(
		/* one process: it dies with the test (see hubd_test_spawn_server()) */
		"daemon off; master_process off; pid %s/nginx.pid; error_log %s/error.log;\n"
		"events { worker_connections 256; }\n"
		"http {\n"
		/* whether a request carried a token, never the token itself */
		"  map $http_authorization $auth { '' noauth; default auth; }\n"
		"  log_format t '$server_port $request_method $uri $server_protocol $status "
		"$connection $auth';\n"
		"  access_log %s/access.log t;\n"
		"  client_body_temp_path %s/tmp; proxy_temp_path %s/tmp;\n"
		"  fastcgi_temp_path %s/tmp; uwsgi_temp_path %s/tmp; scgi_temp_path %s/tmp;\n"
		"  client_max_body_size 0; proxy_buffering off; proxy_request_buffering off;\n"
		"  proxy_http_version 1.1;\n"
		"  server { listen 127.0.0.1:%u ssl http2; %s\n"
		"    location / { proxy_pass http://127.0.0.1:%u;\n"
		"      proxy_set_header Host $http_host;\n"
		"      proxy_set_header X-Forwarded-Proto $scheme; } }\n"
		"  server { listen 127.0.0.2:%u ssl http2; %s\n"
		"    limit_rate 8m;\n"
		"    location / { proxy_pass http://127.0.0.1:%u;\n"
		"      proxy_set_header Host $http_host; } }\n"
		"}\n",
		t->dir,
		t->dir,
		t->dir,
		t->dir,
		t->dir,
		t->dir,
		t->dir,
		t->dir,
		t->hub_port,
		tls_lines,
		hub_plain,
		t->cdn_port,
		tls_lines,
		cdn_plain);
	hubd_test_write_file(conf, text);
	{
		g_autofree gchar *tmp = g_build_filename(t->dir, "tmp", NULL);
		g_mkdir_with_parents(tmp, 0777);
		g_chmod(tmp, 0777);
	}
	t->nginx = hubd_test_spawn_server(argv);
	hubd_test_wait_port("127.0.0.1", t->hub_port);
	hubd_test_wait_port("127.0.0.2", t->cdn_port);
}

static void
start_proxy(TFixture *t)
{
	g_autofree gchar *conf = g_build_filename(t->dir, "tinyproxy.conf", NULL);
	g_autofree gchar *text = g_strdup_printf("Port %u\nListen 127.0.0.1\nTimeout 60\n"
						 "Allow 127.0.0.1\nLogFile \"%s/tinyproxy.log\"\n"
						 "LogLevel Connect\nMaxClients 50\n",
						 t->proxy_port,
						 t->dir);
	const gchar *argv[] = {"tinyproxy", "-d", "-c", conf, NULL};

	hubd_test_write_file(conf, text);
	t->proxy = hubd_test_spawn_server(argv);
	hubd_test_wait_port("127.0.0.1", t->proxy_port);
}

static gboolean
have_tools(void)
{
	const gchar *tools[] = {"nginx", "tinyproxy", "openssl"};

	for (guint i = 0; i < G_N_ELEMENTS(tools); i++) {
		g_autofree gchar *p = g_find_program_in_path(tools[i]);
		if (p == NULL) {
			g_autofree gchar *m = g_strdup_printf("%s is not installed", tools[i]);
			g_test_skip(m);
			return FALSE;
		}
	}
	return TRUE;
}

static void
t_setup(TFixture *t, gconstpointer data)
{
	Fixture *f = &t->f;
	guint hub_plain = hubd_test_free_port();
	guint cdn_plain = hubd_test_free_port();
	g_autofree gchar *hp = NULL;
	g_autofree gchar *cp = NULL;
	g_autofree gchar *public_cdn = NULL;

	if (!have_tools())
		return;
	t->hub_port = hubd_test_free_port();
	t->cdn_port = hubd_test_free_port();
	t->proxy_port = hubd_test_free_port();
	t->dir = g_dir_make_tmp("hubd-tls-XXXXXX", NULL);
	t->ca = g_build_filename(t->dir, "ca.pem", NULL);
	hubd_test_tls_make_certs(t->dir, t->ca);
	hp = g_strdup_printf("%u", hub_plain);
	cp = g_strdup_printf("%u", cdn_plain);
	/* the CDN on a host of its own, as cdn-lfs.hf.co is to huggingface.co:
	 * another loopback address (all of 127/8 is). Not "localhost": it may
	 * resolve to ::1 first, where another test's server may hold the port */
	public_cdn = g_strdup_printf("https://127.0.0.2:%u", t->cdn_port);
	{
		/* 256 KiB parts: /transport/upload's 3 MiB go in 12, more than
		 * hubd's connections to one host, each on a connection of its own */
		const gchar *args[] = {"--port",
				       hp,
				       "--cdn-port",
				       cp,
				       "--public-cdn-url",
				       public_cdn,
				       "--lfs-chunk-size",
				       "262144",
				       NULL};
		f->hub = hubd_test_hub_start(args);
	}
	f->tmp = g_dir_make_tmp("hubd-dl-XXXXXX", NULL);
	f->cache = g_build_filename(f->tmp, "cache", NULL);
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"dl\",\"type\":\"model\"}");
	f->weights = g_strnfill(5000, 'w');
	f->commit = hubd_test_hub_commit_files(f->hub,
					       ALICE_WRITE,
					       "model",
					       REPO,
					       "main",
					       LFS_MIN,
					       "README.md",
					       "# dl\nhello\n",
					       "sub/dir/weights.bin",
					       f->weights,
					       NULL);
	start_nginx(t, hub_plain, cdn_plain);
	start_proxy(t);
	t->endpoint = g_strdup_printf("https://127.0.0.1:%u", t->hub_port);
}

static const gchar *const TRANSPORT_ENV[] = {
	"SSL_CERT_FILE",
	"REQUESTS_CA_BUNDLE",
	"HTTPS_PROXY",
	"https_proxy",
	"HTTP_PROXY",
	"http_proxy",
	"ALL_PROXY",
	"all_proxy",
	"NO_PROXY",
	"no_proxy",
	"XDG_CURRENT_DESKTOP",
};

/* hubd at the nginx endpoint with `env` (HF_TOKEN and HF_HUB_CACHE added). */
static void
t_daemon(TFixture *t, const gchar *const *set, const gchar *const *env)
{
	Fixture *f = &t->f;
	g_autofree gchar *cache_env = g_strdup_printf("HF_HUB_CACHE=%s", f->cache);
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autoptr(GPtrArray) envs = g_ptr_array_new();

	g_ptr_array_add(args, (gpointer) "--endpoint");
	g_ptr_array_add(args, t->endpoint);
	g_ptr_array_add(args, (gpointer) "--set");
	g_ptr_array_add(args, (gpointer) "http.retry-base-ms=50");
	for (guint i = 0; set != NULL && set[i] != NULL; i++) {
		g_ptr_array_add(args, (gpointer) "--set");
		g_ptr_array_add(args, (gpointer)set[i]);
	}
	g_ptr_array_add(args, NULL);
	/* what the machine's environment says about CAs and proxies is not
	 * this test's: each case sets its own */
	for (guint i = 0; i < G_N_ELEMENTS(TRANSPORT_ENV); i++)
		g_ptr_array_add(envs, (gpointer)TRANSPORT_ENV[i]);
	g_ptr_array_add(envs, (gpointer) "HF_TOKEN=" ALICE_WRITE);
	g_ptr_array_add(envs, cache_env);
	for (guint i = 0; env != NULL && env[i] != NULL; i++)
		g_ptr_array_add(envs, (gpointer)env[i]);
	g_ptr_array_add(envs, NULL);
	f->daemon = hubd_test_daemon_start((const gchar *const *)args->pdata,
					   (const gchar *const *)envs->pdata);
	f->bus = hubd_test_session_bus();
}

static void
t_teardown(TFixture *t, gconstpointer data)
{
	hubd_test_stop_server(&t->nginx);
	hubd_test_stop_server(&t->proxy);
	if (t->f.hub != NULL)
		fixture_teardown(&t->f, data);
	if (t->dir != NULL)
		hubd_test_rm_rf(t->dir);
	g_free(t->dir);
	g_free(t->ca);
	g_free(t->endpoint);
}

static void
assert_file(Fixture *f, const gchar *file, const gchar *want)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", file, NULL);
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;

	assert_ok(r);
	path = result_string(r, "path");
	text = read_file(path);
	g_assert_true(strcmp(text, want) == 0);
}

static gchar *
dir_file(TFixture *t, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(t->dir, name, NULL);

	return read_file(path);
}

/* The token goes to the Hub and never to the CDN's host: every line nginx
 * logged for the CDN's port says "noauth", and the Hub saw at least one
 * request with the token. */
static void
assert_token_only_to_hub(TFixture *t, const gchar *log)
{
	g_auto(GStrv) lines = g_strsplit(log, "\n", -1);
	g_autofree gchar *cdn = g_strdup_printf("%u ", t->cdn_port);
	g_autofree gchar *hub = g_strdup_printf("%u ", t->hub_port);
	guint cdn_lines = 0;
	gboolean hub_auth = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], cdn)) {
			cdn_lines++;
			g_assert_true(g_str_has_suffix(lines[i], " noauth"));
		} else if (g_str_has_prefix(lines[i], hub) && g_str_has_suffix(lines[i], " auth")) {
			hub_auth = TRUE;
		}
	}
	g_assert_cmpuint(cdn_lines, >, 0);
	g_assert_true(hub_auth);
}

/* [hub] ca-file trusts the private CA: a regular file from the Hub, an LFS
 * file from the CDN (a redirect to its own origin) and a big one in
 * segments, over TLS and HTTP/2. */
static void
test_tls(TFixture *t, gconstpointer data)
{
	Fixture *f = &t->f;
	g_autofree gchar *ca = NULL;
	g_autofree gchar *big = NULL;
	g_autofree gchar *log = NULL;
	g_autofree gchar *cdn_h2 = NULL;

	if (t->dir == NULL)
		return;
	ca = g_strdup_printf("hub.ca-file=%s", t->ca);
	{
		const gchar *set[] = {ca,
				      "downloads.parallel-min-size=1000000",
				      "downloads.one-stream-rate=0",
				      NULL};
		t_daemon(t, set, NULL);
	}
	big = commit_big(f, BIG_SIZE);
	assert_file(f, "README.md", "# dl\nhello\n");
	assert_file(f, "sub/dir/weights.bin", f->weights);
	assert_file(f, "big.bin", big);
	log = dir_file(t, "access.log");
	cdn_h2 = g_strdup_printf("%u GET /lfs/", t->cdn_port);
	g_assert_nonnull(strstr(log, cdn_h2));
	/* libsoup negotiates HTTP/2 with nginx (ALPN) */
	g_assert_nonnull(strstr(log, "HTTP/2.0 206"));
	g_assert_nonnull(strstr(log, " HEAD /alice/dl/resolve/main/big.bin HTTP/2.0 302"));
	assert_token_only_to_hub(t, log);
}

/* nginx's connection numbers (the field before the last) of the access
 * log's lines holding `what`, each once. */
static guint
count_connections(const gchar *log, const gchar *what)
{
	g_auto(GStrv) lines = g_strsplit(log, "\n", -1);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = NULL;
		guint n;

		if (strstr(lines[i], what) == NULL)
			continue;
		fields = g_strsplit(lines[i], " ", -1);
		n = g_strv_length(fields);
		g_assert_cmpuint(n, >=, 2);
		g_hash_table_add(seen, g_strdup(fields[n - 2]));
	}
	return g_hash_table_size(seen);
}

/* Every line of the access log holding `what` also holds `also`; how many
 * there are. */
static guint
assert_lines_have(const gchar *log, const gchar *what, const gchar *also)
{
	g_auto(GStrv) lines = g_strsplit(log, "\n", -1);
	guint n = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		if (strstr(lines[i], what) == NULL)
			continue;
		if (strstr(lines[i], also) == NULL)
			g_error("“%s” lacks “%s”", lines[i], also);
		n++;
	}
	return n;
}

/* hubd trusting the CA through REQUESTS_CA_BUNDLE, the variable requests reads */
static void
t_daemon_requests_ca(TFixture *t)
{
	g_autofree gchar *ca = g_strdup_printf("REQUESTS_CA_BUNDLE=%s", t->ca);
	const gchar *env[] = {ca, NULL};

	t_daemon(t, NULL, env);
}

/* Uploads 3 MiB of bytes made from `salt` as `name`: 12 parts of 256 KiB.
 * Returns the bytes. */
static gchar *
upload_parts(TFixture *t, const gchar *name, guint salt)
{
	Fixture *f = &t->f;
	g_autofree gchar *local = g_build_filename(f->tmp, name, NULL);
	gchar *bytes = g_malloc(3 * 1024 * 1024 + 1);
	g_autoptr(HubdTestJobResult) r = NULL;
	GVariantBuilder files;

	for (gsize i = 0; i < 3 * 1024 * 1024; i++)
		bytes[i] = (gchar)(i % 251 == 0 ? 0 : 'a' + (i + salt) % 23);
	bytes[3 * 1024 * 1024] = '\0';
	g_assert_true(g_file_set_contents(local, bytes, 3 * 1024 * 1024, NULL));
	g_variant_builder_init(&files, G_VARIANT_TYPE("a(ss)"));
	g_variant_builder_add(&files, "(ss)", local, name);
	r = hubd_test_run_job(f->bus,
			      "Upload",
			      g_variant_new("(sssa(ss)@a{sv})",
					    "model",
					    REPO,
					    "",
					    &files,
					    opts("{'no_policy': <true>}")),
			      JOB_MS);
	assert_ok(r);
	return bytes;
}

/* An LFS upload through nginx, in 12 parts: the Hub's batch answer points
 * at the CDN's public origin and its verify action at the Hub's (built from
 * the Host and X-Forwarded-Proto nginx passes on), so the upload completes,
 * and the file comes back identical. */
static void
test_upload(TFixture *t, gconstpointer data)
{
	Fixture *f = &t->f;
	g_autofree gchar *bytes = NULL;
	g_autofree gchar *log = NULL;
	g_autofree gchar *put = NULL;
	g_autofree gchar *verify = NULL;
	g_autoptr(HubdTestJobResult) back = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;

	if (t->dir == NULL)
		return;
	t_daemon_requests_ca(t);
	bytes = upload_parts(t, "model.bin", 0);
	log = dir_file(t, "access.log");
	put = g_strdup_printf("%u PUT /upload/", t->cdn_port);
	verify = g_strdup_printf("%u POST /_lfs/verify/", t->hub_port);
	g_assert_nonnull(strstr(log, verify));
	/* the streamed bodies over HTTP/1.1 (libsoup 3.2's HTTP/2 client could
	 * hang on them), the Hub's API calls still over HTTP/2 */
	g_assert_cmpuint(assert_lines_have(log, put, " HTTP/1.1 200 "), ==, 12);
	/* the CDN never spoke HTTP/2 to hubd: its idle connections are reused */
	g_assert_cmpuint(count_connections(log, put), <, 12);
	g_assert_cmpuint(
		assert_lines_have(log, " POST /api/models/alice/dl/commit/main ", " HTTP/1.1 200 "),
		==,
		1);
	g_assert_cmpuint(assert_lines_have(log,
					   " POST /alice/dl.git/info/lfs/objects/batch ",
					   " HTTP/2.0 200 "),
			 ==,
			 1);
	assert_token_only_to_hub(t, log);
	back = download(f, "main", "model.bin", "{'force': <true>}");
	assert_ok(back);
	path = result_string(back, "path");
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_true(memcmp(text, bytes, 3 * 1024 * 1024) == 0);
}

/* After a download over HTTP/2 from the CDN, libsoup would carry the parts
 * over that connection: each takes a new HTTP/1.1 connection instead. */
static void
test_upload_after_http2(TFixture *t, gconstpointer data)
{
	Fixture *f = &t->f;
	g_autofree gchar *big = NULL;
	g_autofree gchar *bytes = NULL;
	g_autofree gchar *log = NULL;
	g_autofree gchar *cdn_get = NULL;
	g_autofree gchar *put = NULL;

	if (t->dir == NULL)
		return;
	t_daemon_requests_ca(t);
	big = commit_big(f, BIG_SIZE);
	assert_file(f, "big.bin", big);
	log = dir_file(t, "access.log");
	cdn_get = g_strdup_printf("%u GET /lfs/", t->cdn_port);
	g_assert_cmpuint(assert_lines_have(log, cdn_get, " HTTP/2.0 "), >=, 1);
	g_clear_pointer(&log, g_free);
	bytes = upload_parts(t, "second.bin", 7);
	log = dir_file(t, "access.log");
	put = g_strdup_printf("%u PUT /upload/", t->cdn_port);
	g_assert_cmpuint(assert_lines_have(log, put, " HTTP/1.1 200 "), ==, 12);
	g_assert_cmpuint(count_connections(log, put), ==, 12);
}

/* The daemon started with `env` refuses the private CA's certificate at
 * once, with a message that says so and how to trust a private CA. */
static void
assert_certificate_refused(TFixture *t, const gchar *const *env)
{
	Fixture *f = &t->f;
	g_autoptr(HubdTestJobResult) r = NULL;

	t_daemon(t, NULL, env);
	r = download(f, "main", "README.md", NULL);
	assert_failed(r, ERR "Network");
	g_assert_nonnull(strstr(r->message, "certificate is not trusted"));
	g_assert_nonnull(strstr(r->message, "ca-file"));
	hubd_test_assert_daemon_answers(f->bus);
}

static void
test_untrusted(TFixture *t, gconstpointer data)
{
	if (t->dir == NULL)
		return;
	assert_certificate_refused(t, NULL);
}

/* A CA file that cannot be read (it is read when the first https request
 * goes out) does not open the door: the system's CAs stay. */
static void
test_unreadable_ca(TFixture *t, gconstpointer data)
{
	const gchar *env[] = {"SSL_CERT_FILE=/nonexistent/ca.pem", NULL};
	g_autofree gchar *log = NULL;

	if (t->dir == NULL)
		return;
	assert_certificate_refused(t, env);
	/* the warning is this test's point: check it, then spare the teardown's
	 * "no warnings" rule */
	log = hubd_test_daemon_read_log(t->f.daemon);
	g_assert_nonnull(strstr(log, "the CA file /nonexistent/ca.pem cannot be used"));
	hubd_test_daemon_stop(g_steal_pointer(&t->f.daemon));
}

/* HTTPS_PROXY: everything goes through tinyproxy (CONNECT tunnels), and
 * SSL_CERT_FILE trusts the CA. */
static void
test_proxy(TFixture *t, gconstpointer data)
{
	Fixture *f = &t->f;
	g_autofree gchar *proxy = NULL;
	g_autofree gchar *cert = NULL;
	g_autofree gchar *log = NULL;
	g_autofree gchar *hub_connect = NULL;
	g_autofree gchar *cdn_connect = NULL;

	if (t->dir == NULL)
		return;
	proxy = g_strdup_printf("HTTPS_PROXY=http://127.0.0.1:%u", t->proxy_port);
	cert = g_strdup_printf("SSL_CERT_FILE=%s", t->ca);
	{
		const gchar *env[] = {proxy, cert, NULL};
		t_daemon(t, NULL, env);
	}
	assert_file(f, "sub/dir/weights.bin", f->weights);
	log = dir_file(t, "tinyproxy.log");
	hub_connect = g_strdup_printf("CONNECT 127.0.0.1:%u", t->hub_port);
	cdn_connect = g_strdup_printf("CONNECT 127.0.0.2:%u", t->cdn_port);
	g_assert_nonnull(strstr(log, hub_connect));
	g_assert_nonnull(strstr(log, cdn_connect));
}

/* A file whose bytes come from the CDN arrives; the Hub was reached through
 * the proxy and the CDN directly (nginx saw it, the proxy did not). */
static void
assert_hub_proxied_cdn_direct(TFixture *t)
{
	Fixture *f = &t->f;
	g_autofree gchar *log = NULL;
	g_autofree gchar *access = NULL;
	g_autofree gchar *hub_connect = g_strdup_printf("CONNECT 127.0.0.1:%u", t->hub_port);
	g_autofree gchar *cdn_get = g_strdup_printf("%u GET /lfs/", t->cdn_port);

	assert_file(f, "sub/dir/weights.bin", f->weights);
	log = dir_file(t, "tinyproxy.log");
	g_assert_nonnull(strstr(log, hub_connect));
	g_assert_null(strstr(log, "CONNECT 127.0.0.2"));
	access = dir_file(t, "access.log");
	g_assert_nonnull(strstr(access, cdn_get));
}

/* NO_PROXY names the CDN's host: the Hub is reached through the proxy, the
 * CDN directly. */
static void
test_no_proxy(TFixture *t, gconstpointer data)
{
	g_autofree gchar *proxy = NULL;
	g_autofree gchar *cert = NULL;

	if (t->dir == NULL)
		return;
	proxy = g_strdup_printf("HTTPS_PROXY=http://127.0.0.1:%u", t->proxy_port);
	cert = g_strdup_printf("SSL_CERT_FILE=%s", t->ca);
	{
		/* a list, with spaces and a domain suffix, as users write it */
		const gchar *env[] = {proxy, cert, "no_proxy=.example.org, 127.0.0.2", NULL};
		t_daemon(t, NULL, env);
	}
	assert_hub_proxied_cdn_direct(t);
}

/* GNOME's proxy settings (org.gnome.system.proxy) in a keyfile GSettings
 * backend under the test's folder: manual, https through tinyproxy, the
 * CDN's host ignored. Returns the XDG_CONFIG_HOME= to start hubd with. */
static gchar *
desktop_proxy_settings(TFixture *t)
{
	g_autofree gchar *xdg = g_build_filename(t->dir, "xdg-config", NULL);
	g_autofree gchar *settings_dir = g_build_filename(xdg, "glib-2.0", "settings", NULL);
	g_autofree gchar *keyfile = g_build_filename(settings_dir, "keyfile", NULL);
	g_autofree gchar *settings =
		g_strdup_printf("[system/proxy]\nmode='manual'\n"
				"ignore-hosts=['127.0.0.2']\n\n"
				"[system/proxy/https]\nhost='127.0.0.1'\nport=%u\n",
				t->proxy_port);

	g_assert_cmpint(g_mkdir_with_parents(settings_dir, 0700), ==, 0);
	hubd_test_write_file(keyfile, settings);
	return g_strdup_printf("XDG_CONFIG_HOME=%s", xdg);
}

/* Without proxy variables hubd follows the desktop's proxy settings through
 * GIO: on GNOME, org.gnome.system.proxy, with its ignore-hosts. */
static void
test_desktop_proxy(TFixture *t, gconstpointer data)
{
	g_autofree gchar *cert = NULL;
	g_autofree gchar *xdg_env = NULL;

	if (t->dir == NULL)
		return;
	cert = g_strdup_printf("SSL_CERT_FILE=%s", t->ca);
	xdg_env = desktop_proxy_settings(t);
	{
		const gchar *env[] = {cert,
				      xdg_env,
				      "XDG_CURRENT_DESKTOP=GNOME",
				      "GSETTINGS_BACKEND=keyfile",
				      NULL};
		t_daemon(t, NULL, env);
	}
	assert_hub_proxied_cdn_direct(t);
}

/* A file whose bytes come from the CDN arrives, and the proxy tunnelled
 * nothing: the Hub and the CDN were reached directly. */
static void
assert_direct(TFixture *t)
{
	g_autofree gchar *log = NULL;

	assert_file(&t->f, "sub/dir/weights.bin", t->f.weights);
	log = dir_file(t, "tinyproxy.log");
	g_assert_null(strstr(log, "CONNECT 127.0.0."));
}

/* Whether the daemon has mapped a GIO proxy module (libproxy's pulls in
 * libstdc++: 2 MiB that stay resident). */
static gboolean
daemon_maps_proxy_modules(TFixture *t)
{
	GPid pid = hubd_test_daemon_get_pid(t->f.daemon);
	g_autofree gchar *maps_path = g_strdup_printf("/proc/%d/maps", (int)pid);
	g_autofree gchar *maps = NULL;

	g_assert_cmpint(pid, >, 0);
	g_assert_true(g_file_get_contents(maps_path, &maps, NULL, NULL));
	return strstr(maps, "libgiolibproxy") != NULL || strstr(maps, "libgiognomeproxy") != NULL;
}

/* Outside a desktop session (no XDG_CURRENT_DESKTOP) and without proxy
 * variables, hubd connects directly, as huggingface_hub does, even where
 * GNOME's settings name a proxy; and it loads none of GIO's proxy modules. */
static void
test_no_desktop_direct(TFixture *t, gconstpointer data)
{
	g_autofree gchar *xdg_env = NULL;
	g_autofree gchar *cert = NULL;

	if (t->dir == NULL)
		return;
	xdg_env = desktop_proxy_settings(t);
	cert = g_strdup_printf("SSL_CERT_FILE=%s", t->ca);
	{
		const gchar *env[] = {cert, xdg_env, "GSETTINGS_BACKEND=keyfile", NULL};
		t_daemon(t, NULL, env);
	}
	assert_direct(t);
	g_assert_false(daemon_maps_proxy_modules(t));
}

/* NO_PROXY=* means no proxy at all: not the variables', and not the
 * desktop's either. */
static void
test_no_proxy_star(TFixture *t, gconstpointer data)
{
	g_autofree gchar *xdg_env = NULL;
	g_autofree gchar *proxy = NULL;
	g_autofree gchar *cert = NULL;

	if (t->dir == NULL)
		return;
	xdg_env = desktop_proxy_settings(t);
	proxy = g_strdup_printf("HTTPS_PROXY=http://127.0.0.1:%u", t->proxy_port);
	cert = g_strdup_printf("SSL_CERT_FILE=%s", t->ca);
	{
		const gchar *env[] = {proxy,
				      cert,
				      xdg_env,
				      "NO_PROXY=*",
				      "XDG_CURRENT_DESKTOP=GNOME",
				      "GSETTINGS_BACKEND=keyfile",
				      NULL};
		t_daemon(t, NULL, env);
	}
	assert_direct(t);
}

/* A proxy nobody listens on: the error names it. */
static void
test_proxy_unreachable(TFixture *t, gconstpointer data)
{
	Fixture *f = &t->f;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *proxy = NULL;
	g_autofree gchar *cert = NULL;
	g_autofree gchar *where = NULL;

	if (t->dir == NULL)
		return;
	proxy = g_strdup_printf("https_proxy=http://127.0.0.1:%u", hubd_test_free_port());
	cert = g_strdup_printf("SSL_CERT_FILE=%s", t->ca);
	{
		const gchar *env[] = {proxy, cert, NULL};
		t_daemon(t, NULL, env);
	}
	r = download(f, "main", "README.md", NULL);
	assert_failed(r, ERR "Network");
	where = g_strdup_printf("through the proxy http://127.0.0.1:");
	g_assert_nonnull(strstr(r->message, where));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/transport/" name, TFixture, NULL, t_setup, fn, t_teardown)
	ADD("tls-http2", test_tls);
	ADD("upload", test_upload);
	ADD("upload-after-http2", test_upload_after_http2);
	ADD("untrusted-certificate", test_untrusted);
	ADD("unreadable-ca", test_unreadable_ca);
	ADD("proxy", test_proxy);
	ADD("no-proxy", test_no_proxy);
	ADD("desktop-proxy", test_desktop_proxy);
	ADD("no-desktop-direct", test_no_desktop_direct);
	ADD("no-proxy-star", test_no_proxy_star);
	ADD("proxy-unreachable", test_proxy_unreachable);
	return g_test_run();
}
