/* hubd-test-poison-storage.h: HubdTestPoisonStorage, a backend that counts every call it gets and
 * does nothing */
#pragma once

#include "hubd-storage.h"

G_BEGIN_DECLS

#define HUBD_TYPE_TEST_POISON_STORAGE (hubd_test_poison_storage_get_type())
G_DECLARE_FINAL_TYPE(HubdTestPoisonStorage,
		     hubd_test_poison_storage,
		     HUBD,
		     TEST_POISON_STORAGE,
		     GObject)

/* Proves the public wrappers check arguments before a backend sees them:
 * every vfunc counts the call and fails with HUBD_ERROR_FAILED. */
HubdStorage *
hubd_test_poison_storage_new(void);
guint
hubd_test_poison_storage_get_calls(HubdTestPoisonStorage *self);

G_END_DECLS
