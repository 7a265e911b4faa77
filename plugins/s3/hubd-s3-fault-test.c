/* hubd-s3-fault-test.c: the S3 backend against faults s3rver cannot make, injected by a small
 * TCP proxy in front of it (signatures still checked by s3rver: the proxy passes the bytes,
 * Host header included): SlowDown answers retried, InternalError on parts retried, a server
 * that resets mid-part → a clear error, the multipart upload aborted, nothing stored; an abort
 * whose answer is lost; a body cut short → an error, never short bytes; slow bodies */
#define G_LOG_DOMAIN "HubdS3FaultTest"

#include <string.h>
#include <sys/socket.h>

#include "hubd-plugin.h"
#include "hubd-s3-test-server.h"
#include "hubd-storage-conformance.h"

#define INTERNAL_BODY                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>" \
	"<Message>We encountered an internal error. Please try again.</Message></Error>"

#define SLOWDOWN_BODY                                                              \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>" \
	"<Message>Please reduce your request rate.</Message></Error>"

typedef enum {
	FAULT_NONE,
	FAULT_SLOWDOWN,
	FAULT_RESET_PARTS,
	FAULT_INTERNAL_PARTS, /* 500 InternalError for the next `slowdowns_left` parts */
	FAULT_INTERNAL_PART1, /* 500 InternalError for every try of part 1 */
	FAULT_TRUNCATE_GET,   /* a GET's answer cut after half its body */
	FAULT_RESET_GET,      /* the same, the connection reset (RST) */
	FAULT_NEW_ETAG,       /* a GET cut, the later ones naming another ETag */
	FAULT_SLOW,           /* every byte passed on, 1 KiB per millisecond */
} FaultMode;

#define SLOW_CHUNK 1024

static HubdTestS3Server *server;
static guint16 upstream_port;
static guint16 proxy_port;
static volatile gint fault_mode;
static volatile gint slowdowns_left; /* faulty answers still to give; -1: always */
static volatile gint faults_made;
static volatile gint connections;       /* accepted by the proxy */
static volatile gint lose_abort_answer; /* 1: the next abort reaches s3rver, its answer a 500 */

/* A blocking send may still take only part of the buffer (a signal in the
 * middle): the rest must follow, or the body on the other side is torn. */
static gboolean
send_all(GSocket *to, const gchar *buf, gsize len)
{
	while (len > 0) {
		gssize n = g_socket_send(to, buf, len, NULL, NULL);
		if (n <= 0)
			return FALSE;
		buf += n;
		len -= (gsize)n;
	}
	return TRUE;
}

static void
pump(GSocket *from, GSocket *to)
{
	gchar buf[65536];
	gssize n;
	gboolean slow = g_atomic_int_get(&fault_mode) == FAULT_SLOW;

	while ((n = g_socket_receive(from, buf, slow ? SLOW_CHUNK : sizeof buf, NULL, NULL)) > 0) {
		if (!send_all(to, buf, (gsize)n))
			break;
		if (slow) {
			g_atomic_int_inc(&faults_made);
			g_usleep(1000);
		}
	}
	g_socket_shutdown(to, FALSE, TRUE, NULL);
}

/* Answers the client with `status` and an S3 error body, and reads what it
 * still sends, so that it sees the answer. */
static void
answer_error(GSocket *client, const gchar *status, const gchar *body)
{
	gchar buf[65536];
	g_autofree gchar *answer =
		g_strdup_printf("HTTP/1.1 %s\r\nContent-Type: application/xml\r\n"
				"Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
				status,
				strlen(body),
				body);

	g_atomic_int_inc(&faults_made);
	send_all(client, answer, strlen(answer));
	g_socket_shutdown(client, FALSE, TRUE, NULL);
	while (g_socket_receive(client, buf, sizeof buf, NULL, NULL) > 0)
		;
}

/* Takes one faulty answer of the budget; FALSE when it is spent. */
static gboolean
take_fault(void)
{
	gint left = g_atomic_int_get(&slowdowns_left);

	if (left == 0)
		return FALSE;
	if (left > 0)
		g_atomic_int_add(&slowdowns_left, -1);
	return TRUE;
}

/* The upstream's whole answer to the request sent. */
static GString *
read_answer(GSocket *up)
{
	GString *answer = g_string_new(NULL);
	gchar buf[65536];
	gssize n;

	while ((n = g_socket_receive(up, buf, sizeof buf, NULL, NULL)) > 0)
		g_string_append_len(answer, buf, n);
	g_assert_nonnull(strstr(answer->str, "\r\n\r\n"));
	return answer;
}

/* The upstream's answer, to the client only its head and half its body,
 * and the connection closed, or with `reset` reset. */
static void
truncate_answer(GSocket *up, GSocket *client, gboolean reset)
{
	g_autoptr(GString) answer = read_answer(up);
	gsize head_len = (gsize)(strstr(answer->str, "\r\n\r\n") - answer->str) + 4;

	g_atomic_int_inc(&faults_made);
	send_all(client, answer->str, head_len + (answer->len - head_len) / 2);
	if (reset) {
		/* closing with a zero linger sends RST instead of FIN */
		struct linger now = {.l_onoff = 1, .l_linger = 0};
		g_assert_cmpint(setsockopt(g_socket_get_fd(client),
					   SOL_SOCKET,
					   SO_LINGER,
					   &now,
					   sizeof now),
				==,
				0);
	}
	g_socket_close(client, NULL);
}

/* The upstream's answer with another ETag, as if the object had been
 * replaced since. */
static void
new_etag_answer(GSocket *up, GSocket *client)
{
	g_autoptr(GString) answer = read_answer(up);
	const gchar *etag = strstr(answer->str, "ETag: \"");
	const gchar *end = etag != NULL ? strchr(etag + 7, '"') : NULL;

	g_assert_nonnull(end);
	for (gchar *c = answer->str + (etag - answer->str) + 7; c < end; c++)
		*c = '0';
	g_atomic_int_inc(&faults_made);
	send_all(client, answer->str, answer->len);
	g_socket_close(client, NULL);
}

static gpointer
pump_thread(gpointer data)
{
	GSocket **pair = data;

	pump(pair[0], pair[1]);
	return NULL;
}

/* the request's head, as far as the blank line (and what came with it) */
static GString *
read_head(GSocket *client)
{
	GString *head = g_string_new(NULL);
	gchar buf[4096];
	gssize n;

	while (strstr(head->str, "\r\n\r\n") == NULL &&
	       (n = g_socket_receive(client, buf, sizeof buf, NULL, NULL)) > 0)
		g_string_append_len(head, buf, n);
	return head;
}

static gpointer
connection_thread(gpointer data)
{
	g_autoptr(GSocket) client = data;
	g_autoptr(GString) head = read_head(client);
	g_autoptr(GSocket) up = NULL;
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, upstream_port);
	gboolean part = strstr(head->str, "partNumber=") != NULL;
	GSocket *back[2];
	GThread *thread;

	if (g_atomic_int_get(&fault_mode) == FAULT_SLOWDOWN && take_fault()) {
		answer_error(client, "503 Slow Down", SLOWDOWN_BODY);
		return NULL;
	}
	if ((part && g_atomic_int_get(&fault_mode) == FAULT_INTERNAL_PARTS && take_fault()) ||
	    (strstr(head->str, "partNumber=1&") != NULL &&
	     g_atomic_int_get(&fault_mode) == FAULT_INTERNAL_PART1)) {
		answer_error(client, "500 Internal Server Error", INTERNAL_BODY);
		return NULL;
	}
	up = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
	if (up == NULL || !g_socket_connect(up, addr, NULL, NULL))
		return NULL;
	{
		/* one request per connection (the server closes after it), so that
		 * every request's head passes here; Connection is not signed */
		const gchar *eol = strstr(head->str, "\r\n");
		if (eol != NULL)
			g_string_insert(head, eol - head->str, "\r\nConnection: close");
	}
	send_all(up, head->str, head->len);
	if (g_str_has_prefix(head->str, "DELETE ") && strstr(head->str, "uploadId=") != NULL &&
	    g_atomic_int_compare_and_exchange(&lose_abort_answer, 1, 0)) {
		/* the server aborts the upload, the client hears a 500 and asks again */
		gchar buf[65536];
		while (g_socket_receive(up, buf, sizeof buf, NULL, NULL) > 0)
			;
		answer_error(client, "500 Internal Server Error", INTERNAL_BODY);
		return NULL;
	}
	if (g_str_has_prefix(head->str, "GET ")) {
		FaultMode mode = g_atomic_int_get(&fault_mode);
		if ((mode == FAULT_TRUNCATE_GET || mode == FAULT_RESET_GET ||
		     mode == FAULT_NEW_ETAG) &&
		    take_fault()) {
			truncate_answer(up, client, mode == FAULT_RESET_GET);
			return NULL;
		}
		if (mode == FAULT_NEW_ETAG) {
			new_etag_answer(up, client);
			return NULL;
		}
	}
	if (part && g_atomic_int_get(&fault_mode) == FAULT_RESET_PARTS) {
		/* a part's first bytes reach the server, then the connection dies */
		gchar buf[65536];
		gssize n = g_socket_receive(client, buf, sizeof buf, NULL, NULL);
		if (n > 0)
			g_socket_send(up, buf, (gsize)n / 2, NULL, NULL);
		g_atomic_int_inc(&faults_made);
		g_socket_close(up, NULL);
		g_socket_close(client, NULL);
		return NULL;
	}
	back[0] = up;
	back[1] = client;
	thread = g_thread_new("s3-proxy-back", pump_thread, back);
	pump(client, up);
	g_thread_join(thread);
	return NULL;
}

static gpointer
accept_thread(gpointer data)
{
	GSocket *listener = data;
	GSocket *client;

	while ((client = g_socket_accept(listener, NULL, NULL)) != NULL) {
		g_atomic_int_inc(&connections);
		g_thread_unref(g_thread_new("s3-proxy-conn", connection_thread, client));
	}
	return NULL;
}

static void
proxy_start(void)
{
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	GSocket *listener;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = g_uri_parse(hubd_test_s3_server_get_endpoint(server), 0, NULL);

	upstream_port = (guint16)g_uri_get_port(uri);
	listener = g_socket_new(G_SOCKET_FAMILY_IPV4,
				G_SOCKET_TYPE_STREAM,
				G_SOCKET_PROTOCOL_TCP,
				&error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(listener, any, TRUE, &error));
	g_assert_true(g_socket_listen(listener, &error));
	bound = g_socket_get_local_address(listener, &error);
	g_assert_no_error(error);
	proxy_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_thread_unref(g_thread_new("s3-proxy", accept_thread, listener));
}

/* a backend through the proxy (`retries` attempts after the first) */
static HubdStorage *
proxied(const gchar *prefix, const gchar *retries)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = g_strdup_printf("s3://" HUBD_TEST_S3_BUCKET "/%s", prefix);
	g_autofree gchar *endpoint = g_strdup_printf("http://127.0.0.1:%u", proxy_port);
	HubdStorage *storage =
		hubd_storage_new("faulty",
				 url,
				 g_variant_new_parsed("{'endpoint': <%s>, 'credentials': <'env'>, "
						      "'retries': <%s>, 'part-size': <'5242880'>}",
						      endpoint,
						      retries),
				 NULL,
				 &error);

	g_assert_no_error(error);
	return storage;
}

/* s3rver itself, not through the proxy */
static HubdStorage *
direct(const gchar *prefix)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = g_strdup_printf("s3://" HUBD_TEST_S3_BUCKET "/%s", prefix);
	HubdStorage *storage =
		hubd_storage_new("direct",
				 url,
				 g_variant_new_parsed("{'endpoint': <%s>, 'credentials': <'env'>}",
						      hubd_test_s3_server_get_endpoint(server)),
				 NULL,
				 &error);

	g_assert_no_error(error);
	return storage;
}

static void
set_fault(FaultMode mode, gint slowdowns)
{
	g_atomic_int_set(&slowdowns_left, slowdowns);
	g_atomic_int_set(&faults_made, 0);
	g_atomic_int_set(&fault_mode, mode);
}

/* Two SlowDown answers, then the server takes the put: retried, stored whole. */
static void
test_slowdown_retried(void)
{
	g_autoptr(HubdStorage) storage = proxied("slow", "4");
	g_autoptr(HubdStorage) check = direct("slow");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(100000, 3);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;

	set_fault(FAULT_SLOWDOWN, 2);
	object = hubd_storage_conformance_put(storage, "a.bin", bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_atomic_int_get(&faults_made), ==, 2);
	set_fault(FAULT_NONE, 0);
	back = hubd_storage_conformance_get(check, "a.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

/* SlowDown on every attempt: RateLimited saying so, nothing stored. */
static void
test_slowdown_gives_up(void)
{
	g_autoptr(HubdStorage) storage = proxied("slower", "1");
	g_autoptr(HubdStorage) check = direct("slower");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 4);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(HubdStorageObject) none = NULL;

	set_fault(FAULT_SLOWDOWN, -1);
	object = hubd_storage_conformance_put(storage, "b.bin", bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_RATE_LIMITED);
	g_assert_nonnull(strstr(error->message, "slow down"));
	g_assert_cmpint(g_atomic_int_get(&faults_made), ==, 2);
	g_clear_error(&error);
	set_fault(FAULT_NONE, 0);
	none = hubd_storage_conformance_head(check, "b.bin", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
}

/* An 11 MiB put of unknown length (the multipart path: three parts of
 * 5, 5 and 1 MiB) of `bytes` as big.bin. */
static HubdStorageObject *
put_multipart(HubdStorage *storage, GBytes *bytes, GError **error)
{
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);

	return hubd_storage_conformance_put_stream(storage, "big.bin", stream, -1, NULL, error);
}

/* After a failed put under `prefix`: its upload was aborted once since
 * s3rver had logged `aborts` aborts, and no object is left. */
static void
assert_aborted(const gchar *prefix, guint aborts)
{
	g_autoptr(HubdStorage) check = direct(prefix);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) left = NULL;

	g_assert_cmpuint(hubd_test_s3_server_count(server, "abort "), ==, aborts + 1);
	left = hubd_storage_conformance_list_all(check, "", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(left->len, ==, 0);
}

/* Every part's connection reset halfway, under PREFIX: a network error
 * naming the server, the multipart upload aborted once (s3rver logged it),
 * no object. With lose_abort set, the abort reaches the server but the
 * client hears a 500 and asks again. */
static void
put_through_resets(const gchar *prefix, gboolean lose_abort)
{
	g_autoptr(HubdStorage) storage = proxied(prefix, "1");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 5);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	set_fault(FAULT_RESET_PARTS, 0);
	g_atomic_int_set(&lose_abort_answer, lose_abort);
	object = put_multipart(storage, bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
	g_assert_nonnull(strstr(error->message, "127.0.0.1"));
	g_assert_cmpint(g_atomic_int_get(&faults_made), >=, 2);
	g_assert_cmpint(g_atomic_int_get(&lose_abort_answer), ==, 0);
	set_fault(FAULT_NONE, 0);
	assert_aborted(prefix, aborts);
}

static void
test_reset_mid_part(void)
{
	put_through_resets("reset", FALSE);
}

/* The retried abort finds the upload gone, which is what an abort is for:
 * no warning (they are fatal here), still the put's own error. */
static void
test_abort_answer_lost(void)
{
	put_through_resets("lost", TRUE);
}

/* 500 InternalError on two parts of a multipart put: each part is asked
 * again, the object is stored whole, no upload is aborted. */
static void
test_internal_error_parts(void)
{
	g_autoptr(HubdStorage) storage = proxied("internal", "4");
	g_autoptr(HubdStorage) check = direct("internal");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 9);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	set_fault(FAULT_INTERNAL_PARTS, 2);
	object = put_multipart(storage, bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_atomic_int_get(&faults_made), ==, 2);
	set_fault(FAULT_NONE, 0);
	g_assert_cmpuint(hubd_storage_object_get_size(object), ==, g_bytes_get_size(bytes));
	g_assert_cmpuint(hubd_test_s3_server_count(server, "abort "), ==, aborts);
	back = hubd_storage_conformance_get(check, "big.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

/* Part 1 fails on every try while the later parts are stored: the put
 * fails with the server's error, the upload is aborted, nothing stored. */
static void
test_internal_error_part_fails(void)
{
	g_autoptr(HubdStorage) storage = proxied("internal1", "1");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 12);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	set_fault(FAULT_INTERNAL_PART1, 0);
	object = put_multipart(storage, bytes, &error);
	set_fault(FAULT_NONE, 0);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_SERVER);
	g_assert_nonnull(strstr(error->message, "InternalError"));
	assert_aborted("internal1", aborts);
}

/* Puts 300,000 bytes as c.bin under `prefix` straight into s3rver; returns
 * them, and a backend reading them through the proxy with `retries`. */
static GBytes *
put_for_get(const gchar *prefix, const gchar *retries, HubdStorage **through)
{
	g_autoptr(HubdStorage) source = direct(prefix);
	GBytes *bytes = hubd_storage_conformance_make_bytes(300000, 10);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_conformance_put(source, "c.bin", bytes, &error);

	g_assert_no_error(error);
	*through = proxied(prefix, retries);
	return bytes;
}

/* A GET of [offset, offset + length) (length -1: to the end) cut after half
 * its body, by a close or a reset: the rest is asked for with a range from
 * the first missing byte, and the reader gets every byte. */
static void
get_resumed(const gchar *prefix, FaultMode mode, guint64 offset, gint64 length)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get(prefix, "1", &storage);
	g_autoptr(GBytes) want = g_bytes_new_from_bytes(
		bytes,
		offset,
		length >= 0 ? (gsize)length : g_bytes_get_size(bytes) - offset);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;

	set_fault(mode, 1);
	back = hubd_storage_conformance_get(storage, "c.bin", offset, length, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, want));
	g_assert_cmpint(g_atomic_int_get(&faults_made), ==, 1);
	set_fault(FAULT_NONE, 0);
}

static void
test_get_cut_resumed(void)
{
	get_resumed("cut", FAULT_TRUNCATE_GET, 0, -1);
}

static void
test_get_range_cut_resumed(void)
{
	get_resumed("cut-range", FAULT_TRUNCATE_GET, 1000, 200000);
}

static void
test_get_reset_resumed(void)
{
	get_resumed("reset-get", FAULT_RESET_GET, 0, -1);
}

/* Every answer cut: after its one resume, the reader gets an error, never a
 * short object that looks whole. */
static void
test_get_cut_gives_up(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get("cut-always", "1", &storage);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) cut = NULL;

	set_fault(FAULT_TRUNCATE_GET, -1);
	cut = hubd_storage_conformance_get(storage, "c.bin", 0, -1, NULL, &error);
	set_fault(FAULT_NONE, 0);
	g_assert_null(cut);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
	/* half, then half of the rest */
	g_assert_nonnull(strstr(error->message, "“c.bin” after 225000 of its 300000 bytes"));
}

/* The object changed between the cut and the resume (another ETag): an
 * error saying so, not a mix of two objects. */
static void
test_get_changed_while_resumed(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get("changed", "1", &storage);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) mixed = NULL;

	set_fault(FAULT_NEW_ETAG, 1);
	mixed = hubd_storage_conformance_get(storage, "c.bin", 0, -1, NULL, &error);
	set_fault(FAULT_NONE, 0);
	g_assert_null(mixed);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_assert_nonnull(strstr(error->message, "“c.bin” changed while it was read"));
}

/* A sync reader in a worker thread (as an upload from a backend reads): the
 * resume's request goes through the context the storage runs in. */
static void
test_get_cut_resumed_sync(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get("cut-sync", "1", &storage);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;

	set_fault(FAULT_TRUNCATE_GET, 1);
	back = hubd_storage_conformance_get_sync(storage, "c.bin", 0, &error);
	g_assert_cmpint(g_atomic_int_get(&faults_made), ==, 1);
	set_fault(FAULT_NONE, 0);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

/* Every byte both ways passes 1 KiB per millisecond: a put and a get
 * through it arrive whole. */
static void
test_slow_bodies(void)
{
	g_autoptr(HubdStorage) storage = proxied("slowbody", "1");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1024 * 1024, 11);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;

	set_fault(FAULT_SLOW, 0);
	object = hubd_storage_conformance_put(storage, "s.bin", bytes, &error);
	g_assert_no_error(error);
	back = hubd_storage_conformance_get(storage, "s.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
	/* both bodies went through in slow pieces (heads take a few) */
	g_assert_cmpint(g_atomic_int_get(&faults_made), >=, 2000);
	set_fault(FAULT_NONE, 0);
}

static gboolean
maps_proxy_modules(void)
{
	g_autofree gchar *maps = NULL;

	g_assert_true(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
	return strstr(maps, "libgiolibproxy") != NULL || strstr(maps, "libgiognomeproxy") != NULL;
}

/* Outside a desktop and without proxy variables the backend goes direct, as
 * hubd does, and GIO's proxy modules (libproxy, libstdc++) stay unloaded. */
static void
test_proxy_none(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 7);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;

	g_unsetenv("XDG_CURRENT_DESKTOP");
	g_assert_false(maps_proxy_modules());
	storage = direct("direct");
	object = hubd_storage_conformance_put(storage, "d.bin", bytes, &error);
	g_assert_no_error(error);
	g_assert_false(maps_proxy_modules());
}

/* HTTP_PROXY names the proxy the backend goes through (here the test's TCP
 * proxy, which passes the absolute-form request on to s3rver). */
static void
test_proxy_from_environment(void)
{
	g_autofree gchar *proxy = g_strdup_printf("http://127.0.0.1:%u", proxy_port);
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdStorage) check = direct("via");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 8);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;
	guint before = g_atomic_int_get(&connections);

	g_setenv("HTTP_PROXY", proxy, TRUE);
	storage = direct("via");
	g_unsetenv("HTTP_PROXY");
	object = hubd_storage_conformance_put(storage, "p.bin", bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_atomic_int_get(&connections), >, before);
	back = hubd_storage_conformance_get(check, "p.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	hubd_test_s3_load_plugin();
	server = hubd_test_s3_server_start();
	proxy_start();
	g_test_add_func("/s3/fault/slowdown-retried", test_slowdown_retried);
	g_test_add_func("/s3/fault/slowdown-gives-up", test_slowdown_gives_up);
	g_test_add_func("/s3/fault/reset-mid-part", test_reset_mid_part);
	g_test_add_func("/s3/fault/abort-answer-lost", test_abort_answer_lost);
	g_test_add_func("/s3/fault/internal-error-parts", test_internal_error_parts);
	g_test_add_func("/s3/fault/internal-error-part-fails", test_internal_error_part_fails);
	g_test_add_func("/s3/fault/get-cut-resumed", test_get_cut_resumed);
	g_test_add_func("/s3/fault/get-range-cut-resumed", test_get_range_cut_resumed);
	g_test_add_func("/s3/fault/get-reset-resumed", test_get_reset_resumed);
	g_test_add_func("/s3/fault/get-cut-gives-up", test_get_cut_gives_up);
	g_test_add_func("/s3/fault/get-changed-while-resumed", test_get_changed_while_resumed);
	g_test_add_func("/s3/fault/get-cut-resumed-sync", test_get_cut_resumed_sync);
	g_test_add_func("/s3/fault/slow-bodies", test_slow_bodies);
	g_test_add_func("/s3/proxy/none", test_proxy_none);
	g_test_add_func("/s3/proxy/from-environment", test_proxy_from_environment);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
