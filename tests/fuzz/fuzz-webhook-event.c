/* fuzz-webhook-event.c: libFuzzer target for the webhook payload parser (hubd-webhook-event)
 *
 * Input: a delivery body as the listener would pass it on. */
#define G_LOG_DOMAIN "HubdFuzzWebhookEvent"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-webhook-event.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(HubdWebhookEvent) event = NULL;
	g_autoptr(HubdWebhookEvent) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) v = NULL;

	hubd_fuzz_abort_on_critical();
	event = hubd_webhook_event_parse((const gchar *)data, size, &error);
	if (event == NULL) {
		/* a refusal is always a typed, worded error */
		g_assert_nonnull(error);
		g_assert_nonnull(error->message);
		return 0;
	}
	g_assert_no_error(error);
	/* what the signal carries is complete and valid */
	g_assert_nonnull(event->scope);
	g_assert_nonnull(event->action);
	g_assert_nonnull(event->repo_type);
	g_assert_nonnull(event->repo_name);
	g_assert_nonnull(event->webhook_id);
	g_assert_true(g_str_has_prefix(event->scope, "repo") ||
		      g_str_has_prefix(event->scope, "discussion"));
	g_assert_true(event->head_sha == NULL || strlen(event->head_sha) == 40 ||
		      strlen(event->head_sha) == 64);
	g_assert_cmpmem(event->payload, strlen(event->payload), data, size);
	v = g_variant_ref_sink(hubd_webhook_event_to_variant(event));
	g_assert_true(g_variant_is_normal_form(v));
	/* parsing is a function of the bytes */
	again = hubd_webhook_event_parse(event->payload, strlen(event->payload), NULL);
	g_assert_nonnull(again);
	g_assert_cmpstr(again->scope, ==, event->scope);
	g_assert_cmpstr(again->repo_name, ==, event->repo_name);
	g_assert_cmpuint(again->updated_refs->len, ==, event->updated_refs->len);
	return 0;
}
