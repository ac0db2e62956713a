/* The live settings note of a recording (np_settings.h, datasets/FORMAT.md 3.3). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"
#include "np_recording.h"
#include "np_settings.h"

static const char *const mode_names[NP_ALERT_MODE_COUNT] = {
	[NP_ALERT_MODE_NONE] = "none", [NP_ALERT_MODE_BELL] = "bell", [NP_ALERT_MODE_VIBRATE] = "vibrate",
};

/* The keys of a settings note, as bits of what parse_setting() has seen. */
enum {
	SEEN_AVOID = 1u << 0,
	SEEN_AFTER = 1u << 1,
	SEEN_DELAY = 1u << 2,
	SEEN_MODE = 1u << 3,
	SEEN_ROT = 1u << 4,
	SEEN_ALL = (1u << 5) - 1u,
};

/* Longest alert time or delay a note may hold: a day. */
#define SETTING_S_MAX 86400u

void np_live_settings_default(struct np_live_settings *s)
{
	memset(s, 0, sizeof *s);
	s->avoid_mask = NP_POS_BIT(NP_POS_PRONE);
	s->alert_mode = NP_ALERT_MODE_NONE;
	np_mat3_identity(&s->mounting);
}

static const char *const when_names[NP_ALERT_WHEN_COUNT] = {
	[NP_ALERT_WHEN_ASLEEP] = "asleep", [NP_ALERT_WHEN_LYING] = "lying",
};

const char *np_alert_when_name(enum np_alert_when w)
{
	return (unsigned)w < NP_ALERT_WHEN_COUNT ? when_names[w] : when_names[0];
}

int np_alert_when_parse(const char *name, enum np_alert_when *w)
{
	for (unsigned k = 0; k < NP_ALERT_WHEN_COUNT; k++)
		if (strcmp(name, when_names[k]) == 0) {
			*w = (enum np_alert_when)k;
			return NP_OK;
		}
	return NP_ERR_ARG;
}

const char *np_alert_mode_name(enum np_alert_mode m)
{
	return (unsigned)m < NP_ALERT_MODE_COUNT ? mode_names[m] : "none";
}

int np_alert_mode_parse(const char *name, enum np_alert_mode *m)
{
	for (unsigned k = 0; k < NP_ALERT_MODE_COUNT; k++)
		if (strcmp(name, mode_names[k]) == 0) {
			*m = (enum np_alert_mode)k;
			return NP_OK;
		}
	return NP_ERR_ARG;
}

static bool is_identity(const struct np_mat3 *m)
{
	struct np_mat3 id;
	np_mat3_identity(&id);
	return memcmp(m, &id, sizeof id) == 0;
}

int np_live_settings_text(const struct np_live_settings *cfg, char *buf, size_t cap)
{
	char avoid[64]; /* all five names take 31 bytes */
	np_avoid_text(cfg->avoid_mask, ",", avoid, sizeof avoid);
	int k = snprintf(buf, cap, NP_LIVE_SETTINGS_TAG "avoid=%s after=%" PRIu32 " delay=%" PRIu32
			 " mode=%s when=%s rot=", avoid[0] ? avoid : "none", cfg->alert_after_s,
			 cfg->alert_delay_s, np_alert_mode_name(cfg->alert_mode),
			 np_alert_when_name(cfg->alert_when));
	if (k < 0 || (size_t)k >= cap)
		return NP_ERR_NOSPACE;
	size_t used = (size_t)k;
	if (is_identity(&cfg->mounting)) {
		k = snprintf(buf + used, cap - used, "identity");
		return k < 0 || (size_t)k >= cap - used ? NP_ERR_NOSPACE : NP_OK;
	}
	/* Bits, not decimals: the replay must rotate exactly as the night did. */
	for (int i = 0; i < 9; i++) {
		uint32_t bits;
		memcpy(&bits, &cfg->mounting.m[i / 3][i % 3], sizeof bits);
		k = snprintf(buf + used, cap - used, "%s%08" PRIx32, i ? "," : "", bits);
		if (k < 0 || (size_t)k >= cap - used)
			return NP_ERR_NOSPACE;
		used += (size_t)k;
	}
	return NP_OK;
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long x = strtoul(s, &end, 10);
	if (errno || *end || x > max)
		return false;
	*v = (uint32_t)x;
	return true;
}

static bool parse_rot(const char *s, struct np_mat3 *m)
{
	if (strcmp(s, "identity") == 0) {
		np_mat3_identity(m);
		return true;
	}
	for (int i = 0; i < 9; i++) {
		char *end;
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
		errno = 0;
		unsigned long x = strtoul(s, &end, 16);
		if (errno || end - s != 8 || *end != (i < 8 ? ',' : '\0'))
			return false;
		uint32_t bits = (uint32_t)x;
		memcpy(&m->m[i / 3][i % 3], &bits, sizeof bits);
		s = end + 1;
	}
	return true;
}

/* One "key=value" of a settings note into *c; unknown keys are skipped. */
static bool parse_setting(char *item, struct np_live_settings *c, unsigned *seen)
{
	char *eq = strchr(item, '=');
	if (!eq)
		return false;
	*eq = '\0';
	const char *key = item, *v = eq + 1;
	if (strcmp(key, "avoid") == 0) {
		unsigned m = 0;
		if (strcmp(v, "none") != 0 && np_avoid_parse(v, &m) != NP_OK)
			return false;
		c->avoid_mask = m;
		*seen |= SEEN_AVOID;
	} else if (strcmp(key, "after") == 0) {
		if (!parse_u32(v, SETTING_S_MAX, &c->alert_after_s))
			return false;
		*seen |= SEEN_AFTER;
	} else if (strcmp(key, "delay") == 0) {
		if (!parse_u32(v, SETTING_S_MAX, &c->alert_delay_s))
			return false;
		*seen |= SEEN_DELAY;
	} else if (strcmp(key, "mode") == 0) {
		if (np_alert_mode_parse(v, &c->alert_mode) != NP_OK)
			return false;
		*seen |= SEEN_MODE;
	} else if (strcmp(key, "when") == 0) {
		if (np_alert_when_parse(v, &c->alert_when) != NP_OK)
			return false;
	} else if (strcmp(key, "rot") == 0) {
		if (!parse_rot(v, &c->mounting))
			return false;
		*seen |= SEEN_ROT;
	}
	return true;
}

int np_live_settings_parse(const char *text, struct np_live_settings *cfg)
{
	char buf[NP_ANNOTATION_TEXT_MAX + 1];
	size_t tag = strlen(NP_LIVE_SETTINGS_TAG);
	if (strncmp(text, NP_LIVE_SETTINGS_TAG, tag) != 0 || strlen(text) >= sizeof buf)
		return NP_ERR_FORMAT;
	strcpy(buf, text + tag);
	struct np_live_settings c = *cfg;
	/* Notes written before "when" existed come from nights that alerted whenever lying. */
	c.alert_when = NP_ALERT_WHEN_LYING;
	unsigned seen = 0;
	char *save = NULL;
	for (char *item = strtok_r(buf, " ", &save); item; item = strtok_r(NULL, " ", &save))
		if (!parse_setting(item, &c, &seen))
			return NP_ERR_FORMAT;
	/* Every key a version 1 writer writes must be there: a half-read setting would
	 * replay other decisions than the night's. */
	if (seen != SEEN_ALL)
		return NP_ERR_FORMAT;
	*cfg = c;
	return NP_OK;
}

int np_live_settings_read(const char *path, struct np_live_settings *cfg, bool *found)
{
	*found = false;
	struct np_rec_reader *r;
	struct np_rec_header h;
	int rc = np_rec_reader_open(&r, path, &h);
	if (rc != NP_OK)
		return rc;
	struct np_rec_entry e;
	while (!*found && (rc = np_rec_reader_next(r, &e)) == NP_OK) {
		struct np_annotation a;
		if (e.origin == NP_ORIGIN_HOST && e.frame.type == NP_MSG_ANNOTATION &&
		    np_annotation_decode(e.frame.payload, e.frame.len, &a) == NP_OK &&
		    a.kind == NP_ANN_NOTE && np_live_settings_parse(a.text, cfg) == NP_OK)
			*found = true;
	}
	np_rec_reader_close(r);
	return *found || rc == NP_ERR_EOF ? NP_OK : rc;
}

