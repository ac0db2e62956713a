/* The settings note of live recordings (np_settings.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_msg.h"
#include "np_recording.h"
#include "np_settings.h"

#define SERIAL "NP-SETTINGS"

static void assert_settings_equal(const struct np_live_settings *a, const struct np_live_settings *b)
{
	assert_int_equal(a->avoid_mask, b->avoid_mask);
	assert_int_equal(a->alert_after_s, b->alert_after_s);
	assert_int_equal(a->alert_delay_s, b->alert_delay_s);
	assert_int_equal(a->alert_mode, b->alert_mode);
	assert_int_equal(a->alert_when, b->alert_when);
	assert_memory_equal(&a->mounting, &b->mounting, sizeof a->mounting);
}

/* The settings note says everything replay needs, exactly, and nothing half-read passes. */
static void test_settings_text(void **state)
{
	(void)state;
	struct np_live_settings cfg, back;
	char text[NP_ANNOTATION_TEXT_MAX + 1];
	np_live_settings_default(&cfg);
	assert_int_equal(np_live_settings_text(&cfg, text, sizeof text), NP_OK);
	assert_string_equal(text, "nightpose-live avoid=prone after=0 delay=0 mode=none when=asleep rot=identity");

	/* The longest text there can be, with a rotation decimals would not reproduce. */
	cfg.avoid_mask = 0;
	for (int p = 1; p < NP_POS_COUNT; p++)
		cfg.avoid_mask |= NP_POS_BIT(p);
	cfg.alert_after_s = 86400;
	cfg.alert_delay_s = 86400;
	cfg.alert_mode = NP_ALERT_MODE_VIBRATE;
	for (int i = 0; i < 9; i++)
		cfg.mounting.m[i / 3][i % 3] = -1.0f / (float)(i + 3) - 1e-7f * (float)i;
	assert_int_equal(np_live_settings_text(&cfg, text, sizeof text), NP_OK);
	print_message("%s\n", text);
	np_live_settings_default(&back);
	assert_int_equal(np_live_settings_parse(text, &back), NP_OK);
	assert_settings_equal(&back, &cfg);
	assert_int_equal(np_live_settings_text(&cfg, text, 60), NP_ERR_NOSPACE);

	np_live_settings_default(&back);
	struct np_live_settings before = back;
	static const char *const bad[] = {
		"nightpose-live avoid=prone after=60 delay=0 mode=bell",           /* no rot */
		"nightpose-live avoid=prone after=60 delay=0 mode=bell rot=3f80",  /* short rot */
		"nightpose-live avoid=belly after=60 delay=0 mode=bell rot=identity",
		"nightpose-live avoid=prone after=-1 delay=0 mode=bell rot=identity",
		"nightpose-live avoid=prone after=60 delay=0 mode=loud rot=identity",
		"avoid=prone after=60 delay=0 mode=bell rot=identity",             /* not the tag */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(np_live_settings_parse(bad[i], &back), NP_ERR_FORMAT);
		assert_settings_equal(&back, &before);
	}
	/* A later writer may add keys. */
	assert_int_equal(np_live_settings_parse("nightpose-live avoid=supine after=7 delay=3 "
						    "mode=bell rot=identity sway=2", &back), NP_OK);
	assert_int_equal(back.avoid_mask, NP_POS_BIT(NP_POS_SUPINE));
	assert_int_equal(back.alert_after_s, 7);
	/* A note from before "when": those nights alerted whenever lying. */
	assert_int_equal(back.alert_when, NP_ALERT_WHEN_LYING);
	assert_int_equal(np_live_settings_parse("nightpose-live avoid=supine after=7 delay=3 "
						    "mode=bell when=asleep rot=identity", &back), NP_OK);
	assert_int_equal(back.alert_when, NP_ALERT_WHEN_ASLEEP);
	assert_int_equal(np_live_settings_parse("nightpose-live avoid=supine after=7 delay=3 "
						    "mode=bell when=dozing rot=identity", &back),
			 NP_ERR_FORMAT);
}

/* Recordings made without settings (older, simulated, imported) say so. */
static void test_no_settings_recorded(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/test_np_settings-%ld-nosettings.npr", NP_BINARY_DIR,
		 (long)getpid());
	struct np_rec_header hdr = { .version = NP_REC_VERSION };
	snprintf(hdr.hello.serial, sizeof hdr.hello.serial, SERIAL);
	hdr.hello.protocol_version = NP_PROTOCOL_VERSION;
	struct np_rec_writer *w;
	assert_int_equal(np_rec_writer_open(&w, path, &hdr, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	struct np_annotation a = { .kind = NP_ANN_NOTE, .position = NP_POS_UNKNOWN };
	snprintf(a.text, sizeof a.text, "nightpose-live avoid=prone"); /* a user's note, not ours */
	a.text_len = (uint8_t)strlen(a.text);
	uint8_t p[NP_ANNOTATION_HEADER_LEN + NP_ANNOTATION_TEXT_MAX];
	size_t n;
	assert_int_equal(np_annotation_encode(&a, p, sizeof p, &n), NP_OK);
	struct np_frame fr = { .type = NP_MSG_ANNOTATION, .len = (uint16_t)n, .payload = p };
	assert_int_equal(np_rec_writer_append(w, 0, NP_ORIGIN_HOST, &fr), NP_OK);
	assert_int_equal(np_rec_writer_close(w), NP_OK);
	struct np_live_settings cfg, before;
	np_live_settings_default(&cfg);
	before = cfg;
	bool found = true;
	assert_int_equal(np_live_settings_read(path, &cfg, &found), NP_OK);
	assert_false(found);
	assert_settings_equal(&cfg, &before);
	unlink(path);
}

static void test_alert_mode_names(void **state)
{
	(void)state;
	enum np_alert_mode m = NP_ALERT_MODE_NONE;
	assert_string_equal(np_alert_mode_name(NP_ALERT_MODE_VIBRATE), "vibrate");
	assert_string_equal(np_alert_mode_name((enum np_alert_mode)7), "none");
	assert_int_equal(np_alert_mode_parse("bell", &m), NP_OK);
	assert_int_equal(m, NP_ALERT_MODE_BELL);
	assert_int_equal(np_alert_mode_parse("loud", &m), NP_ERR_ARG);
	assert_int_equal(m, NP_ALERT_MODE_BELL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_text),
		cmocka_unit_test(test_no_settings_recorded),
		cmocka_unit_test(test_alert_mode_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
