/* hubd-task.c: GTask helpers the daemon's areas share (not plugin API) */
#define G_LOG_DOMAIN "HubdTask"

#include "hubd-task.h"

void
hubd_task_run_in_thread(GTask *task, GTaskThreadFunc func, GAsyncReadyCallback cb)
{
	/* a sub-task carrying the same data, so its answer comes back here */
	GTask *inner = g_task_new(NULL, g_task_get_cancellable(task), cb, g_object_ref(task));

	g_task_set_task_data(inner, g_task_get_task_data(task), NULL);
	g_task_run_in_thread(inner, func);
	g_object_unref(inner);
}
