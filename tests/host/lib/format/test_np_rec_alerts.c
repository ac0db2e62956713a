/* The alerts a recording holds, from the host and from the device (np_rec_alerts.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_msg.h"
#include "np_posture.h"
#include "np_rec_alerts.h"
#include "np_recording.h"
#include "rec_fixture.h"

static void put_event(struct np_rec_writer *w, uint32_t host_ms, uint8_t origin, uint8_t kind,
		      uint8_t position, uint8_t level)
{
	struct np_event ev = { .tick = host_ms, .kind = kind, .position = position, .level = level };
	uint8_t p[NP_EVENT_LEN];
	size_t n;
	assert_int_equal(np_event_encode(&ev, p, sizeof p, &n), NP_OK);
	struct np_frame f = { .type = NP_MSG_EVENT, .len = (uint16_t)n, .payload = p };
	assert_int_equal(np_rec_writer_append(w, host_ms, origin, &f), NP_OK);
}

/* Host alerts and the device's own are both read, each with its source; other events
 * (a cleared alert, a device event logged as host, a lost link) are not alerts. */
static void test_both_sources(void **state)
{
	struct fx_ctx *fx = *state;
	struct np_rec_header h;
	fx_header(&h);
	struct np_rec_writer *w;
	assert_int_equal(np_rec_writer_open(&w, fx->path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	put_event(w, 1000, NP_ORIGIN_HOST, NP_EVENT_HOST_ALERT, NP_POS_PRONE, 1);
	put_event(w, 1500, NP_ORIGIN_DEVICE, NP_EVENT_ALERT_FIRED, NP_POS_SUPINE, 2);
	put_event(w, 1600, NP_ORIGIN_DEVICE, NP_EVENT_ALERT_CLEARED, NP_POS_SUPINE, 0);
	put_event(w, 1700, NP_ORIGIN_HOST, NP_EVENT_ALERT_FIRED, NP_POS_SUPINE, 1);
	put_event(w, 1800, NP_ORIGIN_HOST, NP_EVENT_LINK_LOST, NP_POS_UNKNOWN, 0);
	put_event(w, 2000, NP_ORIGIN_HOST, NP_EVENT_HOST_ALERT, NP_POS_PRONE, 2);
	assert_int_equal(np_rec_writer_close(w), NP_OK);

	struct np_rec_alerts l;
	assert_int_equal(np_rec_alerts_read(fx->path, &l), NP_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(np_rec_alerts_count(&l, NP_ALERT_FROM_HOST), 2);
	assert_int_equal(np_rec_alerts_count(&l, NP_ALERT_FROM_DEVICE), 1);
	assert_int_equal(l.v[1].source, NP_ALERT_FROM_DEVICE);
	assert_int_equal(l.v[1].host_ms, 1500);
	assert_int_equal(l.v[1].position, NP_POS_SUPINE);
	assert_int_equal(l.v[1].level, 2);

	/* Same host times, whatever the device did. */
	struct np_rec_alerts r = { 0 };
	struct np_rec_alert a = { .host_ms = 1000, .source = NP_ALERT_FROM_HOST };
	assert_int_equal(np_rec_alerts_add(&r, &a), NP_OK);
	assert_false(np_rec_alerts_same_times(&l, &r, NP_ALERT_FROM_HOST));
	a.host_ms = 2000;
	assert_int_equal(np_rec_alerts_add(&r, &a), NP_OK);
	assert_true(np_rec_alerts_same_times(&l, &r, NP_ALERT_FROM_HOST));
	assert_false(np_rec_alerts_same_times(&l, &r, NP_ALERT_FROM_DEVICE));
	r.v[1].host_ms = 2001;
	assert_false(np_rec_alerts_same_times(&l, &r, NP_ALERT_FROM_HOST));
	np_rec_alerts_free(&r);
	np_rec_alerts_free(&l);
	assert_null(l.v);
}

/* A file that is not a recording gives the reader's error and an empty list. */
static void test_not_a_recording(void **state)
{
	struct fx_ctx *fx = *state;
	fx_write(fx->path, "hello", 5);
	struct np_rec_alerts l;
	assert_int_not_equal(np_rec_alerts_read(fx->path, &l), NP_OK);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_both_sources, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_recording, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
