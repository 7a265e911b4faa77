/* hubd-s3-test-proxy.c: a TCP proxy in front of s3rver that makes the faults s3rver cannot:
 * SlowDown and InternalError answers, connections reset mid-part, answers cut short or
 * reset, another ETag, slow bodies. It passes every other byte unchanged, Host header
 * included, so s3rver still checks each signature. One request per connection. */
#define G_LOG_DOMAIN "HubdS3TestProxy"

#include "hubd-s3-test-proxy.h"

#include <string.h>
#include <sys/socket.h>

#define INTERNAL_BODY                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>" \
	"<Message>We encountered an internal error. Please try again.</Message></Error>"

#define SLOWDOWN_BODY                                                              \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>" \
	"<Message>Please reduce your request rate.</Message></Error>"

#define PRECONDITION_BODY                                                                    \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PreconditionFailed</Code>" \
	"<Message>At least one of the pre-conditions you specified did not hold</Message>"   \
	"<Condition>If-Match</Condition></Error>"

#define SLOW_CHUNK 1024

static HubdTestS3Server *server; /* not owned */
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
		g_autoptr(GString) ignored = read_answer(up);
		answer_error(client, "500 Internal Server Error", INTERNAL_BODY);
		return NULL;
	}
	if (g_str_has_prefix(head->str, "GET ")) {
		FaultMode mode = g_atomic_int_get(&fault_mode);
		if ((mode == FAULT_TRUNCATE_GET || mode == FAULT_RESET_GET ||
		     mode == FAULT_NEW_ETAG || mode == FAULT_PRECONDITION) &&
		    take_fault()) {
			truncate_answer(up, client, mode == FAULT_RESET_GET);
			return NULL;
		}
		if (mode == FAULT_NEW_ETAG) {
			new_etag_answer(up, client);
			return NULL;
		}
		if (mode == FAULT_PRECONDITION && strstr(head->str, "\r\nIf-Match: ") != NULL) {
			g_autoptr(GString) ignored = read_answer(up);
			answer_error(client, "412 Precondition Failed", PRECONDITION_BODY);
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

void
hubd_test_s3_proxy_start(HubdTestS3Server *s3rver)
{
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	GSocket *listener;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = g_uri_parse(hubd_test_s3_server_get_endpoint(s3rver), 0, NULL);

	server = s3rver;
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

HubdStorage *
hubd_test_s3_proxied(const gchar *prefix, const gchar *retries)
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

HubdStorage *
hubd_test_s3_direct(const gchar *prefix)
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

void
hubd_test_s3_set_fault(FaultMode mode, gint budget)
{
	g_atomic_int_set(&slowdowns_left, budget);
	g_atomic_int_set(&faults_made, 0);
	g_atomic_int_set(&fault_mode, mode);
}

gint
hubd_test_s3_faults_made(void)
{
	return g_atomic_int_get(&faults_made);
}

guint16
hubd_test_s3_proxy_port(void)
{
	return proxy_port;
}

gint
hubd_test_s3_proxy_connections(void)
{
	return g_atomic_int_get(&connections);
}

void
hubd_test_s3_lose_abort_answer(gboolean lose)
{
	g_atomic_int_set(&lose_abort_answer, lose);
}

gboolean
hubd_test_s3_abort_answer_pending(void)
{
	return g_atomic_int_get(&lose_abort_answer) != 0;
}
