/*
 * The alert settings reach the device: `nightpose record --avoid supine
 * --alert-after 60 --alert-delay 0` against the QEMU firmware, with a supine
 * stretch pushed through its sensor port. The device's own alert (an EVENT it
 * sends) must fire 60 s after the stretch starts, by the device's clock, within
 * a second; the host, running the same engine, alerts then too. Recorded again
 * with --alert none on the same device, which still holds the first run's
 * settings: no device alert at all, while the host still decides and logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_record.h"
#include "np_err.h"
#include "np_msg.h"
#include "np_posture.h"
#include "np_recording.h"

#define RATE_HZ 25u          /* the firmware's default */
#define UPRIGHT_N (5u * RATE_HZ)
#define SUPINE_N (68u * RATE_HZ)
#define HOLD_S 60u
#define N_INPUT (UPRIGHT_N + SUPINE_N)

static struct np_sample input[N_INPUT];

/* Sitting up, then lying on the back; small patterns make the stretch findable. */
static void make_input(void)
{
	for (unsigned i = 0; i < N_INPUT; i++)
		input[i] = i < UPRIGHT_N ?
				   (struct np_sample){ 1000, (int16_t)(i % 7), 3 } :
				   (struct np_sample){ 2, (int16_t)(i % 5), (int16_t)(1000 - i % 3) };
}

struct rec_view {
	struct np_sample s[4 * N_INPUT];
	uint32_t tick[4 * N_INPUT];
	size_t n;
	struct np_event dev[16]; /* the device's ALERT_FIRED events */
	size_t n_dev;
	uint32_t host_alert_ms[16], first_sample_host_ms;
	size_t n_host;
	bool have_first;
};

static void read_recording(const char *npr, struct rec_view *v)
{
	struct np_rec_reader *r;
	struct np_rec_header h;
	memset(v, 0, sizeof *v);
	assert_int_equal(np_rec_reader_open(&r, npr, &h), NP_OK);
	struct np_rec_entry e;
	while (np_rec_reader_next(r, &e) == NP_OK) {
		struct np_samples s;
		struct np_event ev;
		if (e.frame.type == NP_MSG_SAMPLES &&
		    np_samples_decode(e.frame.payload, e.frame.len, &s) == NP_OK && s.sensor_id == 0) {
			for (unsigned i = 0; i < s.count && v->n < 4 * N_INPUT; i++) {
				v->tick[v->n] = s.first_tick + i * s.period_ticks;
				v->s[v->n++] = s.s[i];
			}
		} else if (e.frame.type == NP_MSG_EVENT &&
			   np_event_decode(e.frame.payload, e.frame.len, &ev) == NP_OK) {
			if (e.origin == NP_ORIGIN_DEVICE && ev.kind == NP_EVENT_ALERT_FIRED && v->n_dev < 16)
				v->dev[v->n_dev++] = ev;
			if (e.origin == NP_ORIGIN_HOST && ev.kind == NP_EVENT_HOST_ALERT && v->n_host < 16)
				v->host_alert_ms[v->n_host++] = e.host_ms;
		}
	}
	np_rec_reader_close(r);
}

/* --alert-when lying: the hold itself is under test, not the 5 minutes of stillness that
 * the default (asleep) waits for first (tested in test_np_alert and test_np_recorder). */
static const char *const alert_args_vibrate[] = {
	"--avoid", "supine", "--alert-after", "60", "--alert-delay", "0", "--alert", "vibrate",
	"--alert-when", "lying", NULL,
};
static const char *const alert_args_none[] = {
	"--avoid", "supine", "--alert-after", "60", "--alert-delay", "0", "--alert", "none",
	"--alert-when", "lying", NULL,
};

/* Record while the input is pushed, until all of it is in the file; *at: its start. */
static void record_input(struct board *b, const char *npr, const char *log,
			 const char *const *args, struct rec_view *v, long *at)
{
	pid_t rec = e2e_spawn_record(b->link_slave, npr, log, args);
	e2e_wait_for_log(log, "] recording ", 20000);
	e2e_sleep_ms(1500); /* SET_ALERT and START on their way */
	e2e_board_feed(b, input, N_INPUT);
	*at = -1;
	for (int i = 0; i < 60 && *at < 0; i++) {
		e2e_sleep_ms(2000);
		read_recording(npr, v);
		*at = e2e_find_run(v->s, v->n, input, N_INPUT);
	}
	e2e_sleep_ms(1500); /* the last frames and EVENTs */
	assert_int_equal(e2e_stop_record(rec), 0);
	read_recording(npr, v);
	if (*at < 0)
		fail_msg("the pushed samples are not in %s", npr);
}

static void test_device_alerts_by_the_host_settings(void **state)
{
	(void)state;
	char npr[256], npr2[256], log[256];
	snprintf(npr, sizeof npr, "%s/test_e2e_alert-%ld-vibrate.npr", NP_BINARY_DIR, (long)getpid());
	snprintf(npr2, sizeof npr2, "%s/test_e2e_alert-%ld-none.npr", NP_BINARY_DIR, (long)getpid());
	snprintf(log, sizeof log, "%s/test_e2e_alert-%ld.log", NP_BINARY_DIR, (long)getpid());
	make_input();
	struct board b;
	e2e_board_start(&b);

	static struct rec_view v;
	long at;
	record_input(&b, npr, log, alert_args_vibrate, &v, &at);
	uint32_t supine_tick = v.tick[at + (long)UPRIGHT_N];
	uint32_t expected = supine_tick + HOLD_S * 1000u;
	if (v.n_dev == 0)
		fail_msg("the device sent no alert (settings not sent, or refused?)");
	int32_t err_ms = (int32_t)(v.dev[0].tick - expected);
	print_message("supine from device tick %u; device alert at %u (expected %u, %+d ms), "
		      "level %u; host alerts %zu\n", supine_tick, v.dev[0].tick, expected, err_ms,
		      v.dev[0].level, v.n_host);
	assert_true(err_ms >= -1000 && err_ms <= 1000);
	assert_int_equal(v.dev[0].position, NP_POS_SUPINE);
	assert_int_equal(v.dev[0].level, 1);
	assert_true(v.n_host >= 1); /* the host decided the same, by the same engine */

	/* Same device, still holding those settings: --alert none turns them off. */
	record_input(&b, npr2, log, alert_args_none, &v, &at);
	e2e_board_kill(&b);
	print_message("--alert none: %zu device alerts, %zu host decisions logged\n", v.n_dev, v.n_host);
	assert_int_equal(v.n_dev, 0);
	assert_true(v.n_host >= 1);
	unlink(npr);
	unlink(npr2);
	unlink(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_alerts_by_the_host_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
