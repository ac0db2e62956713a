#include <math.h>
#include <string.h>

#include "np_bytes.h"
#include "np_posture.h"
#include "sensor_source.h"

void qsrc_init(struct qsrc *q)
{
	memset(q, 0, sizeof *q);
	q->rng = 0x12345678u;
}

void qsrc_configure(struct qsrc *q, unsigned rate_hz, uint32_t now_ms)
{
	q->rate_hz = rate_hz;
	q->next_ms = now_ms;
}

size_t qsrc_parse(struct qsrc *q, const uint8_t *in, size_t len)
{
	size_t i = 0;

	if (len > 0)
		q->external = true;
	while (i < len) {
		uint8_t b = in[i];
		if (q->fill == 0) {
			if (b != QSRC_SYNC && b != QSRC_SYNC_1) {
				q->sync_errors++;
				i++;
				continue;
			}
			if (q->queued[b - QSRC_SYNC] == QSRC_QUEUE_LEN)
				break;
		}
		q->rec[q->fill++] = b;
		i++;
		if (q->fill < QSRC_RECORD_LEN)
			continue;
		q->fill = 0;
		unsigned id = (unsigned)(q->rec[0] - QSRC_SYNC);
		struct np_sample *v = &q->queue[id][q->queued[id]++];
		v->x = np_get_le16s(q->rec + 1);
		v->y = np_get_le16s(q->rec + 3);
		v->z = np_get_le16s(q->rec + 5);
		if (id == 1)
			q->seen_1 = true;
	}
	return i;
}

size_t qsrc_room(const struct qsrc *q)
{
	/* Every record may be for the fuller queue; the one being parsed counts too. */
	size_t slots = QSRC_QUEUE_LEN - (q->queued[0] > q->queued[1] ? q->queued[0] : q->queued[1]);
	return slots == 0 ? 0 : slots * QSRC_RECORD_LEN - q->fill;
}

size_t qsrc_take(struct qsrc *q, unsigned id, struct np_sample *out, size_t cap)
{
	size_t n = q->queued[id] < cap ? q->queued[id] : cap;
	memcpy(out, q->queue[id], n * sizeof *out);
	memmove(q->queue[id], q->queue[id] + n, (q->queued[id] - n) * sizeof *out);
	q->queued[id] = (uint8_t)(q->queued[id] - n);
	return n;
}

/*
 * One synthetic night, repeating every 70 minutes: (minutes, position).
 * Prone lasts long enough for the default alert (15 min delay, 30 s) to fire.
 */
static const struct {
	uint16_t minutes;
	uint8_t position;
} night[] = {
	{ 3, NP_POS_UPRIGHT }, { 20, NP_POS_SUPINE }, { 12, NP_POS_LEFT },
	{ 10, NP_POS_PRONE }, { 15, NP_POS_RIGHT }, { 10, NP_POS_SUPINE },
};
#define NIGHT_TURN_MS 3000u

static unsigned night_index(uint32_t t_ms, uint32_t *into_ms)
{
	uint32_t total = 0;
	for (size_t i = 0; i < sizeof night / sizeof night[0]; i++)
		total += night[i].minutes * 60000u;
	uint32_t t = t_ms % total;
	for (unsigned i = 0;; i++) {
		uint32_t d = night[i].minutes * 60000u;
		if (t < d) {
			*into_ms = t;
			return i;
		}
		t -= d;
	}
}

unsigned qsrc_synth_position(uint32_t t_ms)
{
	uint32_t into;
	return night[night_index(t_ms, &into)].position;
}

/* Gravity in mg for a position (body frame, see np_posture.h), slightly off-axis like a real chest. */
static void gravity(unsigned pos, float g[3])
{
	static const float v[NP_POS_COUNT][3] = {
		[NP_POS_UNKNOWN] = { 0, 0, 1000 },
		[NP_POS_SUPINE] = { 150, 80, 985 },
		[NP_POS_PRONE] = { 120, -60, -990 },
		[NP_POS_LEFT] = { 100, -985, 140 },
		[NP_POS_RIGHT] = { 110, 980, 160 },
		[NP_POS_UPRIGHT] = { 990, 40, 120 },
	};
	memcpy(g, v[pos < NP_POS_COUNT ? pos : 0], sizeof v[0]);
}

static int16_t noise(struct qsrc *q)
{
	q->rng = q->rng * 1664525u + 1013904223u; /* Numerical Recipes LCG */
	return (int16_t)((int32_t)(q->rng >> 28) - 8); /* -8..7 mg */
}

size_t qsrc_synth(struct qsrc *q, uint32_t now_ms, struct np_sample *out, size_t cap)
{
	size_t n = 0;

	if (q->external || q->rate_hz == 0)
		return 0;
	uint32_t period = 1000u / q->rate_hz;
	while (n < cap && (int32_t)(now_ms - q->next_ms) >= 0) {
		uint32_t t = q->next_ms, into;
		unsigned i = night_index(t, &into);
		float g[3], p[3];
		gravity(night[i].position, g);
		if (into < NIGHT_TURN_MS) {
			/* Turning over: blend from the previous position. */
			size_t prev = i == 0 ? sizeof night / sizeof night[0] - 1 : i - 1;
			float w = (float)into / (float)NIGHT_TURN_MS;
			gravity(night[prev].position, p);
			for (int a = 0; a < 3; a++)
				g[a] = p[a] + (g[a] - p[a]) * w;
		}
		/* Breathing: about 15 breaths a minute, a few mg along the chest normal. */
		float breath = 6.0f * sinf(6.2831853f * (float)(t % 4000u) / 4000.0f);
		out[n].x = (int16_t)((int32_t)g[0] + noise(q));
		out[n].y = (int16_t)((int32_t)g[1] + noise(q));
		out[n].z = (int16_t)((int32_t)(g[2] + breath) + noise(q));
		n++;
		q->next_ms += period;
	}
	return n;
}
