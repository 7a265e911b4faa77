/* hubd-hub-rate-limiter.c: the daemon's one view of the Hub's request
 * budgets (docs/hub-http.md §4.3, §5.8). Each budget remembers what the last
 * answers said (remaining requests, when the window resets) and counts the
 * requests sent since, so that a spent budget holds every request back until
 * the reset instead of letting each one collect its own 429. */
#define G_LOG_DOMAIN "HubdHubRateLimiter"

#include "hubd-hub-rate-limiter.h"

#include <string.h>

/* answers of one window disagree on its reset by rounding: t= is in seconds */
#define SAME_WINDOW_US (G_USEC_PER_SEC * 3 / 2)

typedef struct {
	gint64 reset_at;  /* monotonic µs; 0: unknown */
	gint64 remaining; /* -1: unknown */
	gint64 quota;     /* RateLimit-Policy q=, -1: unknown */
	gint64 window;    /* RateLimit-Policy w= in seconds, 0: unknown */
} Budget;

struct _HubdHubRateLimiter {
	GObject parent_instance;
	GHashTable *budgets; /* key -> Budget* */
	guint waiters;
	gint64 waiting_until; /* real time µs, 0: nobody waits */
};

enum { PROP_0, PROP_WAITING_UNTIL, N_PROPS };
static GParamSpec *props[N_PROPS];

G_DEFINE_TYPE(HubdHubRateLimiter, hubd_hub_rate_limiter, G_TYPE_OBJECT)

static void
hubd_hub_rate_limiter_finalize(GObject *object)
{
	HubdHubRateLimiter *self = HUBD_HUB_RATE_LIMITER(object);

	g_hash_table_unref(self->budgets);
	G_OBJECT_CLASS(hubd_hub_rate_limiter_parent_class)->finalize(object);
}

static void
hubd_hub_rate_limiter_get_property(GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
	HubdHubRateLimiter *self = HUBD_HUB_RATE_LIMITER(object);

	if (id == PROP_WAITING_UNTIL)
		g_value_set_int64(value, self->waiting_until);
	else
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
}

static void
hubd_hub_rate_limiter_class_init(HubdHubRateLimiterClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = hubd_hub_rate_limiter_finalize;
	object_class->get_property = hubd_hub_rate_limiter_get_property;
	props[PROP_WAITING_UNTIL] = g_param_spec_int64("waiting-until",
						       NULL,
						       NULL,
						       0,
						       G_MAXINT64,
						       0,
						       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
							       G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_hub_rate_limiter_init(HubdHubRateLimiter *self)
{
	self->budgets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

HubdHubRateLimiter *
hubd_hub_rate_limiter_new(void)
{
	return g_object_new(HUBD_TYPE_HUB_RATE_LIMITER, NULL);
}

const gchar *
hubd_hub_rate_limiter_bucket_for_path(const gchar *path)
{
	if (path == NULL)
		return NULL;
	if (strstr(path, "/resolve/") != NULL)
		return "resolvers";
	if (g_str_has_prefix(path, "/api/"))
		return "api";
	return NULL;
}

static Budget *
hubd_hub_rate_limiter_budget(HubdHubRateLimiter *self, const gchar *key)
{
	Budget *b = g_hash_table_lookup(self->budgets, key);

	if (b == NULL) {
		b = g_new0(Budget, 1);
		b->remaining = -1;
		b->quota = -1;
		g_hash_table_insert(self->budgets, g_strdup(key), b);
	}
	if (b->reset_at != 0 && g_get_monotonic_time() >= b->reset_at) {
		/* a new window: with a known policy, only its quota may go at once
		 * (else every waiter would wake into one burst of 429s); its reset
		 * is estimated until an answer says */
		if (b->quota >= 0 && b->window > 0) {
			b->remaining = b->quota;
			b->reset_at = g_get_monotonic_time() + b->window * G_USEC_PER_SEC;
		} else {
			b->reset_at = 0;
			b->remaining = -1;
		}
	}
	return b;
}

gint64
hubd_hub_rate_limiter_acquire(HubdHubRateLimiter *self, const gchar *key)
{
	Budget *b = hubd_hub_rate_limiter_budget(self, key);

	if (b->remaining == 0)
		return MAX((b->reset_at - g_get_monotonic_time() + 999) / 1000, 1);
	if (b->remaining > 0)
		b->remaining--;
	return 0;
}

/* The numbers `a=` and `b=` of a RateLimit (`"api";r=12;t=87`) or
 * RateLimit-Policy (`"fixed window";"api";q=500;w=300`) value; FALSE
 * without both. */
static gboolean
hubd_hub_rate_limiter_parse(const gchar *value,
			    const gchar *a,
			    gint64 *va,
			    const gchar *b,
			    gint64 *vb)
{
	g_auto(GStrv) parts = NULL;
	gboolean have_a = FALSE;
	gboolean have_b = FALSE;

	if (value == NULL)
		return FALSE;
	parts = g_strsplit(value, ";", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		const gchar *p = g_strstrip(parts[i]);

		if (g_str_has_prefix(p, a) && g_ascii_isdigit(p[2])) {
			*va = g_ascii_strtoll(p + 2, NULL, 10);
			have_a = TRUE;
		} else if (g_str_has_prefix(p, b) && g_ascii_isdigit(p[2])) {
			*vb = g_ascii_strtoll(p + 2, NULL, 10);
			have_b = TRUE;
		}
	}
	return have_a && have_b;
}

void
hubd_hub_rate_limiter_note(HubdHubRateLimiter *self,
			   const gchar *key,
			   guint status,
			   SoupMessageHeaders *headers)
{
	Budget *b;
	gint64 r = -1;
	gint64 t = -1;
	gint64 q = -1;
	gint64 w = 0;
	gint64 now = g_get_monotonic_time();
	gint64 reset;

	if (headers == NULL)
		return;
	b = hubd_hub_rate_limiter_budget(self, key);
	if (hubd_hub_rate_limiter_parse(soup_message_headers_get_one(headers, "RateLimit-Policy"),
					"q=",
					&q,
					"w=",
					&w) &&
	    w > 0) {
		b->quota = q;
		b->window = MIN(w, G_MAXINT32);
	}
	if (!hubd_hub_rate_limiter_parse(soup_message_headers_get_one(headers, "RateLimit"),
					 "r=",
					 &r,
					 "t=",
					 &t)) {
		const gchar *ra = soup_message_headers_get_one(headers, "Retry-After");

		/* a 429 without a budget to read: Retry-After alone says when */
		if (status != 429 || ra == NULL || !g_ascii_isdigit(ra[0]))
			return;
		r = 0;
		t = g_ascii_strtoll(ra, NULL, 10);
	}
	if (status == 429)
		r = 0;
	reset = now + MIN(t, G_MAXINT32) * G_USEC_PER_SEC;
	if (b->reset_at != 0 && ABS(reset - b->reset_at) < SAME_WINDOW_US) {
		/* later answers of a window may arrive first: the lowest count is the truest */
		b->remaining = b->remaining < 0 ? r : MIN(b->remaining, r);
		if (r == 0)
			b->reset_at = MAX(b->reset_at, reset);
	} else if (b->reset_at == 0 || reset > b->reset_at || r == 0) {
		b->reset_at = reset;
		b->remaining = r;
	}
	if (r == 0)
		g_debug("%s: budget spent, waiting %" G_GINT64_FORMAT " s", key, t);
}

/* ---- waiting ---- */

typedef struct {
	gchar *key;
	GSource *timer;
	GSource *cancel;
	gint64 until; /* real time µs */
} WaitData;

static void
wait_data_free(WaitData *w)
{
	if (w->timer != NULL) {
		g_source_destroy(w->timer);
		g_source_unref(w->timer);
	}
	if (w->cancel != NULL) {
		g_source_destroy(w->cancel);
		g_source_unref(w->cancel);
	}
	g_free(w->key);
	g_free(w);
}

static void
hubd_hub_rate_limiter_set_waiting(HubdHubRateLimiter *self, gint64 until)
{
	if (self->waiting_until == until)
		return;
	self->waiting_until = until;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_WAITING_UNTIL]);
}

static void
hubd_hub_rate_limiter_waiter_done(HubdHubRateLimiter *self)
{
	if (--self->waiters == 0)
		hubd_hub_rate_limiter_set_waiting(self, 0);
}

static gboolean
hubd_hub_rate_limiter_timer_cb(gpointer user_data);

static gboolean
hubd_hub_rate_limiter_cancel_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	HubdHubRateLimiter *self = g_task_get_source_object(task);
	WaitData *w = g_task_get_task_data(task);

	g_clear_pointer(&w->cancel, g_source_unref);
	hubd_hub_rate_limiter_waiter_done(self);
	g_task_return_error_if_cancelled(task);
	g_object_unref(task);
	return G_SOURCE_REMOVE;
}

static void
hubd_hub_rate_limiter_arm(GTask *task, gint64 ms)
{
	HubdHubRateLimiter *self = g_task_get_source_object(task);
	WaitData *w = g_task_get_task_data(task);

	w->until = g_get_real_time() + ms * 1000;
	if (w->until > self->waiting_until)
		hubd_hub_rate_limiter_set_waiting(self, w->until);
	w->timer = g_timeout_source_new((guint)MIN(ms, G_MAXUINT));
	g_source_set_callback(w->timer, hubd_hub_rate_limiter_timer_cb, task, NULL);
	g_source_set_static_name(w->timer, "[hubd] rate limit wait");
	g_source_attach(w->timer, g_task_get_context(task));
}

static gboolean
hubd_hub_rate_limiter_timer_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	HubdHubRateLimiter *self = g_task_get_source_object(task);
	WaitData *w = g_task_get_task_data(task);
	gint64 ms;

	g_clear_pointer(&w->timer, g_source_unref);
	/* others woke with us: the new window may be spent again already */
	ms = w->key != NULL ? hubd_hub_rate_limiter_acquire(self, w->key) : 0;
	if (ms > 0) {
		hubd_hub_rate_limiter_arm(task, ms);
		return G_SOURCE_REMOVE;
	}
	hubd_hub_rate_limiter_waiter_done(self);
	g_task_return_boolean(task, TRUE);
	g_object_unref(task);
	return G_SOURCE_REMOVE;
}

void
hubd_hub_rate_limiter_wait_async(HubdHubRateLimiter *self,
				 const gchar *key,
				 gint64 min_ms,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	WaitData *w = g_new0(WaitData, 1);
	gint64 ms;

	g_task_set_source_tag(task, hubd_hub_rate_limiter_wait_async);
	w->key = g_strdup(key);
	g_task_set_task_data(task, w, (GDestroyNotify)wait_data_free);
	if (g_task_return_error_if_cancelled(task))
		return;
	/* after a 429's own wait the budget is asked when the timer fires, so
	 * that the request takes its place in the window it is sent in */
	ms = min_ms > 0 ? min_ms : key != NULL ? hubd_hub_rate_limiter_acquire(self, key) : 0;
	if (ms == 0) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	self->waiters++;
	if (cancellable != NULL) {
		w->cancel = g_cancellable_source_new(cancellable);
		g_source_set_callback(w->cancel,
				      G_SOURCE_FUNC(hubd_hub_rate_limiter_cancel_cb),
				      task,
				      NULL);
		g_source_attach(w->cancel, g_task_get_context(task));
	}
	hubd_hub_rate_limiter_arm(task, ms);
	/* one reference, dropped by whichever of timer and cancel finishes */
	g_steal_pointer(&task);
}

gboolean
hubd_hub_rate_limiter_wait_finish(HubdHubRateLimiter *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

gint64
hubd_hub_rate_limiter_get_waiting_until(HubdHubRateLimiter *self)
{
	return self->waiting_until;
}
